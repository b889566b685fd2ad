-- +goose Up
-- Numbers of records are never given twice (issue 9, point 4): an audit row
-- or a coach's note that says "Kontakt 5" keeps meaning that contact after
-- the newest one was deleted. Each case counts the highest number it has
-- given to its contacts, assessments, goals and barriers, each team that of
-- its action items; the insert takes the next one in the same statement
-- (greatest with the highest existing number, so rows written by a replica
-- of the previous release during a rolling upgrade never collide).
-- Referrals, meetings and transition steps are never deleted, so their
-- numbers stay max+1. Existing counters start at the highest number now held
-- (a number freed by a delete before this release cannot be known any more).
ALTER TABLE cases
    ADD COLUMN last_contact_n    int NOT NULL DEFAULT 0,
    ADD COLUMN last_assessment_n int NOT NULL DEFAULT 0,
    ADD COLUMN last_goal_n       int NOT NULL DEFAULT 0,
    ADD COLUMN last_barrier_n    int NOT NULL DEFAULT 0;
UPDATE cases c SET
    last_contact_n    = coalesce((SELECT max(n) FROM contacts k WHERE k.case_id = c.id), 0),
    last_assessment_n = coalesce((SELECT max(seq) FROM assessments a WHERE a.case_id = c.id), 0),
    last_goal_n       = coalesce((SELECT max(n) FROM goals g WHERE g.case_id = c.id), 0),
    last_barrier_n    = coalesce((SELECT max(n) FROM barriers b WHERE b.case_id = c.id), 0)
WHERE EXISTS (SELECT FROM contacts k WHERE k.case_id = c.id) OR EXISTS (SELECT FROM assessments a WHERE a.case_id = c.id)
    OR EXISTS (SELECT FROM goals g WHERE g.case_id = c.id) OR EXISTS (SELECT FROM barriers b WHERE b.case_id = c.id);
ALTER TABLE teams ADD COLUMN last_action_n int NOT NULL DEFAULT 0;
UPDATE teams t SET last_action_n = x.n FROM (SELECT team_id, max(n) AS n FROM actions GROUP BY team_id) x WHERE x.team_id = t.id;

-- Contacts and barriers are numbered by their triggers (rows inserted without
-- a number): from the counter now.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION contacts_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.n IS NULL THEN
        UPDATE cases SET last_contact_n = greatest(last_contact_n,
            (SELECT coalesce(max(n), 0) FROM contacts WHERE case_id = NEW.case_id)) + 1
        WHERE id = NEW.case_id RETURNING last_contact_n INTO NEW.n;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION barriers_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.n IS NULL THEN
        UPDATE cases SET last_barrier_n = greatest(last_barrier_n,
            (SELECT coalesce(max(n), 0) FROM barriers WHERE case_id = NEW.case_id)) + 1
        WHERE id = NEW.case_id RETURNING last_barrier_n INTO NEW.n;
    END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd

-- A next monitoring or re-assessment date set by hand (/kim termin) is kept
-- here as well: while the case's date is still that one, a correction of a
-- contact or an assessment leaves it (commands/corrections.go). Dates set
-- by hand before this release are treated as computed ones.
ALTER TABLE cases
    ADD COLUMN monitoring_by_hand date,
    ADD COLUMN assessment_by_hand date;

-- +goose Down
ALTER TABLE cases DROP COLUMN monitoring_by_hand, DROP COLUMN assessment_by_hand;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION contacts_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.n IS NULL THEN
        SELECT coalesce(max(n), 0) + 1 INTO NEW.n FROM contacts WHERE case_id = NEW.case_id;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION barriers_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.n IS NULL THEN
        SELECT coalesce(max(n), 0) + 1 INTO NEW.n FROM barriers WHERE case_id = NEW.case_id;
    END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
ALTER TABLE teams DROP COLUMN last_action_n;
ALTER TABLE cases DROP COLUMN last_contact_n, DROP COLUMN last_assessment_n, DROP COLUMN last_goal_n, DROP COLUMN last_barrier_n;
