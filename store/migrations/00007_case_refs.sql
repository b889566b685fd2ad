-- +goose Up
-- Case references grow past K-YYYY-9999: the 10 000th case of a team in a
-- year is K-YYYY-10000 (up to six digits, a million cases a year).
ALTER TABLE case_counters DROP CONSTRAINT case_counters_last_check,
    ADD CONSTRAINT case_counters_last_check CHECK (last BETWEEN 0 AND 999999);
ALTER TABLE cases DROP CONSTRAINT cases_ref_check,
    ADD CONSTRAINT cases_ref_check CHECK (ref ~ '^K-[0-9]{4}-[0-9]{4,6}$');

-- +goose Down
ALTER TABLE cases DROP CONSTRAINT cases_ref_check,
    ADD CONSTRAINT cases_ref_check CHECK (ref ~ '^K-[0-9]{4}-[0-9]{4}$');
ALTER TABLE case_counters DROP CONSTRAINT case_counters_last_check,
    ADD CONSTRAINT case_counters_last_check CHECK (last BETWEEN 0 AND 9999);
