-- +goose Up
-- A meeting can be corrected (date, time, title, channel) and called off
-- until it begins. revision counts the corrections of what its agenda post
-- shows: the automatic post and the reminder of an empty agenda are
-- delivered once per revision (their keys name it from the first
-- correction on), so a meeting moved after its agenda went out gets it
-- again for the new date. A called-off meeting gets neither.
ALTER TABLE meetings ADD COLUMN revision int NOT NULL DEFAULT 0 CHECK (revision >= 0);
ALTER TABLE meetings ADD COLUMN cancelled_at timestamptz;

-- +goose Down
ALTER TABLE meetings DROP COLUMN cancelled_at;
ALTER TABLE meetings DROP COLUMN revision;
