-- +goose Up
-- Lückenloser Rechtskreiswechsel (issue 11): a change of legal domain brings
-- the steps of that transition from the team's templates as dated items of
-- the case.

-- The team's templates: per (from, to) pair an ordered list of steps, each
-- with a text, an optional partner and a due offset in days from the
-- change. Team texts written by admins, not personal data (so not sealed),
-- like partner and topic names. suggested marks the defaults kimbot seeded
-- that nobody changed yet (shown as suggestions to check).
CREATE TABLE transition_templates (
    id          bigserial PRIMARY KEY,
    team_id     text NOT NULL REFERENCES teams (id),
    from_domain text NOT NULL CHECK (from_domain IN ('AsylbLG', 'SGB2', 'SGB3', 'SGB8', 'SGB12', 'none')),
    to_domain   text NOT NULL CHECK (to_domain IN ('AsylbLG', 'SGB2', 'SGB3', 'SGB8', 'SGB12', 'none')),
    n           int NOT NULL CHECK (n BETWEEN 1 AND 50),
    text        text NOT NULL CHECK (length(text) BETWEEN 1 AND 200),
    partner_id  bigint REFERENCES partners (id),
    offset_days int NOT NULL CHECK (offset_days BETWEEN 0 AND 365),
    suggested   boolean NOT NULL DEFAULT false,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (from_domain <> to_domain),
    CONSTRAINT transition_templates_pos UNIQUE (team_id, from_domain, to_domain, n) DEFERRABLE INITIALLY DEFERRED
);

-- Whether the team got kimbot's default templates (once: a step an admin
-- removed stays removed).
ALTER TABLE teams ADD COLUMN transitions_seeded boolean NOT NULL DEFAULT false;

-- The steps of a case: copied from the template when the domain changed
-- (a later edit of the template changes only later transitions), numbered
-- within the case, open until done or closed as no longer needed (dropped,
-- after a confirmed further change). Holds no free text of the coach.
CREATE TABLE transition_steps (
    id         bigserial PRIMARY KEY,
    case_id    bigint NOT NULL REFERENCES cases (id),
    change_id  bigint NOT NULL REFERENCES domain_changes (id),
    n          int NOT NULL CHECK (n >= 1),
    pos        int NOT NULL,
    text       text NOT NULL CHECK (length(text) <= 200),
    partner_id bigint REFERENCES partners (id),
    due_on     date NOT NULL,
    status     text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
    closed_on  date,
    UNIQUE (case_id, n),
    CHECK ((status = 'open') = (closed_on IS NULL))
);
CREATE INDEX transition_steps_due ON transition_steps (due_on, case_id) WHERE status = 'open';
CREATE INDEX transition_steps_change ON transition_steps (change_id);

-- +goose Down
DROP TABLE transition_steps;
ALTER TABLE teams DROP COLUMN transitions_seeded;
DROP TABLE transition_templates;
