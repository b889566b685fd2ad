-- +goose Up
-- An audit row names its case without a foreign key (issue 12). The key made
-- every audited read lock the case row (the check's SELECT … FOR KEY SHARE):
-- a write to the case's page and to the WAL for each /kim show, and lock
-- waits between two coaches reading the same case. Every statement that
-- writes an audit row takes the case id from cases in the same statement or
-- transaction, and cases are never deleted (an erasure empties them), so the
-- key checked nothing the writers do not already ensure.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_case_id_fkey;

-- +goose Down
ALTER TABLE audit_log ADD CONSTRAINT audit_log_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases (id);
