-- +goose Up
-- The record keeps everything (issue 9): the history of each referral's
-- outcomes, and a number per contact so that a coach can name one.

-- Every outcome recorded for a referral, oldest first by id. The referral row
-- keeps the current one (reports and the due query read it there). The note
-- is sealed with the same label as referrals.outcome_note_enc, so the copy of
-- the existing notes below stays readable.
CREATE TABLE referral_outcomes (
    id          bigserial PRIMARY KEY,
    case_id     bigint NOT NULL REFERENCES cases (id),
    referral_id bigint NOT NULL REFERENCES referrals (id),
    outcome     text NOT NULL CHECK (outcome IN ('accepted', 'rejected', 'pending', 'no-show', 'completed')),
    outcome_on  date NOT NULL,
    note_enc    bytea,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referral_outcomes_referral ON referral_outcomes (referral_id, id);
CREATE INDEX referral_outcomes_case ON referral_outcomes (case_id);
INSERT INTO referral_outcomes (case_id, referral_id, outcome, outcome_on, note_enc, created_by)
SELECT case_id, id, outcome, coalesce(outcome_on, referred_on), outcome_note_enc, created_by FROM referrals
WHERE outcome <> 'pending' OR outcome_note_enc IS NOT NULL ORDER BY id;

-- Contacts are numbered per case in the order they were logged. A trigger
-- numbers rows inserted without a number (as the previous release does
-- during a rolling upgrade); case writes lock the case row, so numbers of one
-- case are never assigned concurrently.
ALTER TABLE contacts ADD COLUMN n int CHECK (n >= 1);
UPDATE contacts c SET n = x.n FROM (
    SELECT id, row_number() OVER (PARTITION BY case_id ORDER BY id) AS n FROM contacts) x
WHERE x.id = c.id;
CREATE UNIQUE INDEX contacts_case_n ON contacts (case_id, n);
-- +goose StatementBegin
CREATE FUNCTION contacts_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.n IS NULL THEN
        SELECT coalesce(max(n), 0) + 1 INTO NEW.n FROM contacts WHERE case_id = NEW.case_id;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER contacts_number BEFORE INSERT ON contacts FOR EACH ROW EXECUTE FUNCTION contacts_number();

-- +goose Down
DROP TRIGGER contacts_number ON contacts;
DROP FUNCTION contacts_number();
DROP INDEX contacts_case_n;
ALTER TABLE contacts DROP COLUMN n;
DROP TABLE referral_outcomes;
