-- +goose Up
-- One audit row per digest (issue 12): the row of a digest names all the
-- cases it showed its recipient in case_ids (case_id and case_ref stay
-- NULL), instead of one row per case. Earlier rows keep their form; the
-- admin's audit of a case reads both. A column added with no default
-- rewrites nothing, and the append-only triggers are untouched.
ALTER TABLE audit_log ADD COLUMN case_ids bigint[];

-- +goose Down
-- Digest rows would lose the cases they name: refuse rather than drop them.
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM audit_log WHERE case_ids IS NOT NULL) THEN
        RAISE EXCEPTION 'audit_log holds digest rows that name their cases in case_ids; the audit log is append-only';
    END IF;
END;
$$;
-- +goose StatementEnd
ALTER TABLE audit_log DROP COLUMN case_ids;
