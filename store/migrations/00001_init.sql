-- +goose Up
-- The whole domain of SPEC §2. Personal data (pseudonym, free-text notes) is
-- stored only as AES-GCM ciphertext (*_enc columns); everything else is the
-- structure that reminders and reports work on.

-- Installation-wide values kept by `kimbot provision` (bot user id, bot token).
CREATE TABLE installation (
    key        text PRIMARY KEY CHECK (key ~ '^[a-z_]+$'),
    value      text NOT NULL DEFAULT '',
    secret_enc bytea,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- A tenant: one Mattermost team per municipality.
CREATE TABLE teams (
    id                    text PRIMARY KEY,
    name                  text NOT NULL UNIQUE,
    command_id            text,
    command_token_enc     bytea,
    monitoring_days       int NOT NULL DEFAULT 28 CHECK (monitoring_days BETWEEN 1 AND 365),
    first_assessment_days int NOT NULL DEFAULT 14 CHECK (first_assessment_days BETWEEN 1 AND 365),
    reassessment_months   int NOT NULL DEFAULT 6  CHECK (reassessment_months BETWEEN 1 AND 36),
    followup_days         int NOT NULL DEFAULT 14 CHECK (followup_days BETWEEN 1 AND 365),
    agenda_lead_workdays  int NOT NULL DEFAULT 2  CHECK (agenda_lead_workdays BETWEEN 0 AND 20),
    retention_months      int NOT NULL DEFAULT 6  CHECK (retention_months BETWEEN 1 AND 120),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id          text PRIMARY KEY,
    username    text NOT NULL DEFAULT '',
    locale      text NOT NULL DEFAULT '',
    lang        text CHECK (lang IN ('de', 'en')),
    timezone    text NOT NULL DEFAULT '',
    digest_time time DEFAULT '08:00',          -- NULL: digest off
    sysadmin    boolean NOT NULL DEFAULT false,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE organisations (
    id      bigserial PRIMARY KEY,
    team_id text NOT NULL REFERENCES teams (id),
    name    text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    UNIQUE (team_id, name)
);

-- Roles per team: one row per user and team; no row means no role.
CREATE TABLE memberships (
    team_id         text NOT NULL REFERENCES teams (id),
    user_id         text NOT NULL REFERENCES users (id),
    role            text NOT NULL CHECK (role IN ('coach', 'coordinator', 'admin')),
    organisation_id bigint REFERENCES organisations (id),
    granted_by      text NOT NULL,
    granted_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, user_id)
);

-- Absences: reminders and access go to the deputy from starts_on to ends_on.
CREATE TABLE absences (
    id        bigserial PRIMARY KEY,
    team_id   text NOT NULL REFERENCES teams (id),
    user_id   text NOT NULL REFERENCES users (id),
    deputy_id text NOT NULL REFERENCES users (id),
    starts_on date NOT NULL,
    ends_on   date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on >= starts_on),
    CHECK (deputy_id <> user_id)
);
CREATE INDEX absences_user ON absences (team_id, user_id, ends_on);
CREATE INDEX absences_deputy ON absences (deputy_id, ends_on);

-- Partner directory per team (Jobcenter, Jugendamt, …).
CREATE TABLE partners (
    id           bigserial PRIMARY KEY,
    team_id      text NOT NULL REFERENCES teams (id),
    key          text NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    legal_domain text CHECK (legal_domain IN ('AsylbLG', 'SGB2', 'SGB3', 'SGB8', 'SGB12', 'none')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (team_id, key)
);

-- Case references K-YYYY-NNNN: one counter per team and year.
CREATE TABLE case_counters (
    team_id text NOT NULL REFERENCES teams (id),
    year    int  NOT NULL CHECK (year BETWEEN 2000 AND 2999),
    last    int  NOT NULL CHECK (last BETWEEN 0 AND 9999),
    PRIMARY KEY (team_id, year)
);

CREATE TABLE cases (
    id              bigserial PRIMARY KEY,
    team_id         text NOT NULL REFERENCES teams (id),
    ref             text NOT NULL CHECK (ref ~ '^K-[0-9]{4}-[0-9]{4}$'),
    owner_id        text NOT NULL REFERENCES users (id),
    organisation_id bigint REFERENCES organisations (id),
    pseudonym_enc   bytea,                      -- NULL once erased
    target_group    text NOT NULL CHECK (target_group IN ('refugee', 'eu', 'third-country', 'other')),
    legal_domain    text NOT NULL CHECK (legal_domain IN ('AsylbLG', 'SGB2', 'SGB3', 'SGB8', 'SGB12', 'none')),
    phase           text NOT NULL CHECK (phase IN ('intake', 'assessment', 'planning', 'linking', 'monitoring', 'reassessment', 'closed')),
    opened_on       date NOT NULL,
    closed_on       date,
    close_reason    text CHECK (close_reason IN ('goals-met', 'moved', 'withdrawn', 'transferred', 'other')),
    close_note_enc  bytea,
    next_monitoring date,
    next_assessment date,
    erased_at       timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (team_id, ref),
    CHECK ((phase = 'closed') = (closed_on IS NOT NULL)),
    CHECK ((closed_on IS NULL) = (close_reason IS NULL)),
    CHECK (closed_on IS NULL OR closed_on >= opened_on),
    CHECK (erased_at IS NULL OR pseudonym_enc IS NULL)
);
CREATE INDEX cases_owner ON cases (team_id, owner_id) WHERE closed_on IS NULL;
CREATE INDEX cases_due_monitoring ON cases (owner_id, next_monitoring) WHERE closed_on IS NULL;
CREATE INDEX cases_due_assessment ON cases (owner_id, next_assessment) WHERE closed_on IS NULL;
CREATE INDEX cases_team_opened ON cases (team_id, opened_on);
CREATE INDEX cases_team_closed ON cases (team_id, closed_on) WHERE closed_on IS NOT NULL;

-- Consent to processing, and per partner (Schweigepflichtentbindung).
CREATE TABLE consents (
    id         bigserial PRIMARY KEY,
    case_id    bigint NOT NULL REFERENCES cases (id),
    scope      text NOT NULL CHECK (scope IN ('processing', 'partner')),
    partner_id bigint REFERENCES partners (id),
    form       text NOT NULL DEFAULT 'written' CHECK (form IN ('written', 'oral')),
    granted_on date NOT NULL,
    revoked_on date,
    granted_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((scope = 'partner') = (partner_id IS NOT NULL)),
    CHECK (revoked_on IS NULL OR revoked_on >= granted_on)
);
CREATE UNIQUE INDEX consents_active ON consents (case_id, scope, coalesce(partner_id, 0)) WHERE revoked_on IS NULL;

CREATE TABLE contacts (
    id         bigserial PRIMARY KEY,
    case_id    bigint NOT NULL REFERENCES cases (id),
    kind       text NOT NULL CHECK (kind IN ('in-person', 'phone', 'video', 'message', 'home-visit')),
    minutes    int CHECK (minutes BETWEEN 0 AND 1440),
    contact_on date NOT NULL,
    note_enc   bytea,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contacts_case ON contacts (case_id, contact_on DESC);
CREATE INDEX contacts_on ON contacts (contact_on, case_id);

-- Assessments: seq 1 is the first assessment, later ones re-assessments.
CREATE TABLE assessments (
    id          bigserial PRIMARY KEY,
    case_id     bigint NOT NULL REFERENCES cases (id),
    seq         int NOT NULL CHECK (seq >= 1),
    assessed_on date NOT NULL,
    note_enc    bytea,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (case_id, seq)
);
CREATE INDEX assessments_on ON assessments (assessed_on);

CREATE TABLE assessment_scores (
    assessment_id bigint NOT NULL REFERENCES assessments (id),
    field         text NOT NULL CHECK (field IN ('residence', 'language', 'work', 'education', 'health', 'housing', 'family', 'finances', 'social')),
    score         smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (assessment_id, field)
);

-- Goals of the Integrationsvereinbarung, numbered per case.
CREATE TABLE goals (
    id         bigserial PRIMARY KEY,
    case_id    bigint NOT NULL REFERENCES cases (id),
    n          int NOT NULL CHECK (n >= 1),
    field      text NOT NULL CHECK (field IN ('residence', 'language', 'work', 'education', 'health', 'housing', 'family', 'finances', 'social')),
    text_enc   bytea,
    due_on     date,
    status     text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
    created_on date NOT NULL,
    closed_on  date,
    created_by text NOT NULL,
    UNIQUE (case_id, n),
    CHECK ((status = 'open') = (closed_on IS NULL))
);
CREATE INDEX goals_due ON goals (due_on, case_id) WHERE status = 'open';

-- Referrals (Linking) to partners, numbered per case.
CREATE TABLE referrals (
    id               bigserial PRIMARY KEY,
    case_id          bigint NOT NULL REFERENCES cases (id),
    n                int NOT NULL CHECK (n >= 1),
    partner_id       bigint NOT NULL REFERENCES partners (id),
    reason_enc       bytea,
    referred_on      date NOT NULL,
    followup_on      date,
    outcome          text NOT NULL DEFAULT 'pending' CHECK (outcome IN ('accepted', 'rejected', 'pending', 'no-show', 'completed')),
    outcome_on       date,
    outcome_note_enc bytea,
    created_by       text NOT NULL,
    UNIQUE (case_id, n),
    CHECK (outcome_on IS NULL OR outcome_on >= referred_on)
);
CREATE INDEX referrals_followup ON referrals (followup_on, case_id) WHERE outcome = 'pending';
CREATE INDEX referrals_on ON referrals (referred_on, partner_id);

-- Rechtskreiswechsel.
CREATE TABLE domain_changes (
    id          bigserial PRIMARY KEY,
    case_id     bigint NOT NULL REFERENCES cases (id),
    from_domain text NOT NULL CHECK (from_domain IN ('AsylbLG', 'SGB2', 'SGB3', 'SGB8', 'SGB12', 'none')),
    to_domain   text NOT NULL CHECK (to_domain IN ('AsylbLG', 'SGB2', 'SGB3', 'SGB8', 'SGB12', 'none')),
    since       date NOT NULL,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (from_domain <> to_domain)
);
CREATE INDEX domain_changes_since ON domain_changes (since);

-- Strukturhinweise: barriers found in cases. Shown to the network without case
-- reference; case_id stays for the owner's view and statistics only.
CREATE TABLE barriers (
    id          bigserial PRIMARY KEY,
    team_id     text NOT NULL REFERENCES teams (id),
    case_id     bigint REFERENCES cases (id),
    partner_id  bigint REFERENCES partners (id),
    topic       text CHECK (length(topic) BETWEEN 1 AND 80),
    text_enc    bytea,
    recorded_on date NOT NULL,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((partner_id IS NULL) <> (topic IS NULL))
);
CREATE INDEX barriers_team ON barriers (team_id, created_at);

-- Network meetings of the coordination, numbered per team (M-n).
CREATE TABLE meetings (
    id               bigserial PRIMARY KEY,
    team_id          text NOT NULL REFERENCES teams (id),
    n                int NOT NULL CHECK (n >= 1),
    title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    starts_at        timestamptz NOT NULL,
    channel_id       text NOT NULL,
    created_by       text NOT NULL REFERENCES users (id),
    agenda_posted_at timestamptz,
    agenda_post_id   text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (team_id, n)
);
CREATE INDEX meetings_starts ON meetings (starts_at);

CREATE TABLE agenda_items (
    id         bigserial PRIMARY KEY,
    meeting_id bigint NOT NULL REFERENCES meetings (id),
    position   int NOT NULL CHECK (position >= 1),
    text       text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (meeting_id, position)
);

-- Action items from meetings, numbered per team (A-n).
CREATE TABLE actions (
    id         bigserial PRIMARY KEY,
    team_id    text NOT NULL REFERENCES teams (id),
    n          int NOT NULL CHECK (n >= 1),
    meeting_id bigint NOT NULL REFERENCES meetings (id),
    owner_id   text NOT NULL REFERENCES users (id),
    text       text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
    due_on     date,
    done_on    date,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (team_id, n)
);
CREATE INDEX actions_due ON actions (owner_id, due_on) WHERE done_on IS NULL;

-- Reminder deliveries: the durable record that makes each delivery happen
-- once. key identifies the delivery (e.g. digest:<user>:<day>).
CREATE TABLE reminder_deliveries (
    id           bigserial PRIMARY KEY,
    key          text NOT NULL UNIQUE,
    kind         text NOT NULL CHECK (kind IN ('digest', 'agenda-reminder', 'agenda-post')),
    user_id      text REFERENCES users (id),
    meeting_id   bigint REFERENCES meetings (id),
    day          date NOT NULL,
    status       text NOT NULL DEFAULT 'claimed' CHECK (status IN ('claimed', 'sent', 'expired', 'empty')),
    claimed_by   text NOT NULL DEFAULT '',
    claimed_until timestamptz,
    attempts     int NOT NULL DEFAULT 0,
    next_attempt timestamptz,
    post_id      text,
    last_error   text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    sent_at      timestamptz,
    CHECK ((status = 'sent') = (post_id IS NOT NULL))
);
CREATE INDEX reminder_deliveries_open ON reminder_deliveries (day) WHERE status = 'claimed';

-- Append-only audit log: who, what kind of access, which case, when. No content.
CREATE TABLE audit_log (
    id       bigserial PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    team_id  text NOT NULL,
    actor_id text NOT NULL,
    action   text NOT NULL CHECK (action ~ '^[a-z][a-z._-]{1,40}$'),
    case_id  bigint REFERENCES cases (id),
    case_ref text
);
CREATE INDEX audit_log_case ON audit_log (case_id, at);

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_log, reminder_deliveries, actions, agenda_items, meetings, barriers,
    domain_changes, referrals, goals, assessment_scores, assessments, contacts, consents,
    cases, case_counters, partners, absences, memberships, organisations, users, teams,
    installation;
DROP FUNCTION audit_log_append_only();
