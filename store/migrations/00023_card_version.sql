-- +goose Up
-- The version of a case card (issue 12): every change of a row the card
-- shows counts it up, in the transaction of the change, so a replica may
-- keep a card it has read and show it again after one statement that audits
-- the read and returns the version (store/card_cache.go). The card shows the
-- case row, its owner's username and organisation, consents, assessments
-- with their scores, goals, referrals with their outcomes and partners,
-- contacts, and Rechtskreiswechsel with their steps. Rows written by a
-- replica of the previous release count as well: the triggers are the
-- database's, not kimbot's.
ALTER TABLE cases ADD COLUMN card_version bigint NOT NULL DEFAULT 0;

-- An update of the case row counts once (an update that sets the version
-- itself, from the triggers below, is counted by that).
-- +goose StatementBegin
CREATE FUNCTION cases_card_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.card_version = OLD.card_version THEN
        NEW.card_version := OLD.card_version + 1;
    END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER cases_card_version BEFORE UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION cases_card_version();

-- The rows of a statement on a table with a case_id count their cases once
-- per statement (a rekey that re-seals every contact updates each case once),
-- and not at all where the transaction has updated the case row already:
-- its changes become visible together, so one count is enough (logging a
-- contact, which numbers it in the case row, writes that row once).
-- +goose StatementBegin
CREATE FUNCTION card_rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE cases SET card_version = card_version + 1 WHERE id IN (SELECT case_id FROM old_rows) AND xmin <> pg_current_xact_id()::xid;
    ELSE
        UPDATE cases SET card_version = card_version + 1 WHERE id IN (SELECT case_id FROM new_rows) AND xmin <> pg_current_xact_id()::xid;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- Scores belong to their assessment.
-- +goose StatementBegin
CREATE FUNCTION card_scores_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE cases SET card_version = card_version + 1
        WHERE id IN (SELECT a.case_id FROM assessments a JOIN old_rows o ON o.assessment_id = a.id) AND xmin <> pg_current_xact_id()::xid;
    ELSE
        UPDATE cases SET card_version = card_version + 1
        WHERE id IN (SELECT a.case_id FROM assessments a JOIN new_rows n ON n.assessment_id = a.id) AND xmin <> pg_current_xact_id()::xid;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
DECLARE
    t text;
    f text;
BEGIN
    FOREACH t IN ARRAY ARRAY['consents', 'assessments', 'assessment_scores', 'goals', 'referrals',
        'referral_outcomes', 'contacts', 'domain_changes', 'transition_steps'] LOOP
        f := CASE t WHEN 'assessment_scores' THEN 'card_scores_changed' ELSE 'card_rows_changed' END;
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION %I()', t || '_card_insert', t, f);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION %I()', t || '_card_update', t, f);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION %I()', t || '_card_delete', t, f);
    END LOOP;
END $$;
-- +goose StatementEnd

-- What the card shows of rows it shares with other cases: the owner's
-- username, the organisation's name, a partner's key, name and legal domain.
-- Row triggers with a WHEN, so that the users upsert of every command
-- (store/callers.go), which mostly writes nothing, runs no trigger at all.
-- +goose StatementBegin
CREATE FUNCTION card_owner_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases SET card_version = card_version + 1 WHERE owner_id = NEW.id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER users_card_update AFTER UPDATE OF username ON users FOR EACH ROW
    WHEN (NEW.username IS DISTINCT FROM OLD.username) EXECUTE FUNCTION card_owner_changed();

-- +goose StatementBegin
CREATE FUNCTION card_organisation_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases SET card_version = card_version + 1 WHERE organisation_id = NEW.id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER organisations_card_update AFTER UPDATE ON organisations FOR EACH ROW
    WHEN (NEW.name IS DISTINCT FROM OLD.name) EXECUTE FUNCTION card_organisation_changed();

-- +goose StatementBegin
CREATE FUNCTION card_partner_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases SET card_version = card_version + 1 WHERE id IN (
        SELECT case_id FROM referrals WHERE partner_id = NEW.id
        UNION SELECT case_id FROM consents WHERE partner_id = NEW.id
        UNION SELECT case_id FROM transition_steps WHERE partner_id = NEW.id);
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER partners_card_update AFTER UPDATE ON partners FOR EACH ROW
    WHEN ((NEW.key, NEW.name, NEW.legal_domain) IS DISTINCT FROM (OLD.key, OLD.name, OLD.legal_domain))
    EXECUTE FUNCTION card_partner_changed();

-- +goose Down
DROP TRIGGER partners_card_update ON partners;
DROP FUNCTION card_partner_changed();
DROP TRIGGER organisations_card_update ON organisations;
DROP FUNCTION card_organisation_changed();
DROP TRIGGER users_card_update ON users;
DROP FUNCTION card_owner_changed();
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['consents', 'assessments', 'assessment_scores', 'goals', 'referrals',
        'referral_outcomes', 'contacts', 'domain_changes', 'transition_steps'] LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_card_insert', t);
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_card_update', t);
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_card_delete', t);
    END LOOP;
END $$;
-- +goose StatementEnd
DROP FUNCTION card_scores_changed();
DROP FUNCTION card_rows_changed();
DROP TRIGGER cases_card_version ON cases;
DROP FUNCTION cases_card_version();
ALTER TABLE cases DROP COLUMN card_version;
