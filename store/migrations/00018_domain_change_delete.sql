-- +goose Up
-- A Rechtskreiswechsel recorded by mistake can be deleted with its steps
-- (/kim rechtskreis löschen). Step numbers are never given twice, so the
-- case counts the highest step number it has given (as it does for contacts
-- and goals, migration 00016), and a step closed as no longer needed by a
-- change names that change, so that deleting the change opens it again.
-- Both columns are new and optional: a replica of the previous release
-- still writes steps (and the counter is read as the greater of it and the
-- steps' highest number).
ALTER TABLE cases ADD COLUMN last_step_n int NOT NULL DEFAULT 0;
UPDATE cases c SET last_step_n = s.m FROM (SELECT case_id, max(n) AS m FROM transition_steps GROUP BY case_id) s WHERE s.case_id = c.id;
ALTER TABLE transition_steps ADD COLUMN dropped_by bigint REFERENCES domain_changes (id);

-- +goose Down
ALTER TABLE transition_steps DROP COLUMN dropped_by;
ALTER TABLE cases DROP COLUMN last_step_n;
