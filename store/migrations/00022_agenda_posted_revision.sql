-- +goose Up
-- The revision of a meeting (00020) its last agenda post showed: a meeting
-- corrected since has an agenda out of date in its channel. (Until now the
-- correction marked it so by setting agenda_posted_items to -1; such rows
-- get the revision before theirs.)
ALTER TABLE meetings ADD COLUMN agenda_posted_revision int NOT NULL DEFAULT 0;
UPDATE meetings SET agenda_posted_revision = revision - CASE WHEN agenda_posted_items < 0 THEN 1 ELSE 0 END WHERE revision > 0;

-- +goose Down
ALTER TABLE meetings DROP COLUMN agenda_posted_revision;
