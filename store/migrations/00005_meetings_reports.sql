-- +goose Up
-- Meetings and reports (issue 5).

-- The channel's name as it was when the meeting was made, so lists need no
-- Mattermost call; the id stays the reference.
ALTER TABLE meetings ADD COLUMN channel_name text NOT NULL DEFAULT '';
CREATE INDEX meetings_team_starts ON meetings (team_id, starts_at);
-- What the last agenda post showed: its number of items and the newest
-- barrier in it, so the automatic post knows whether the agenda changed.
ALTER TABLE meetings ADD COLUMN agenda_posted_items int NOT NULL DEFAULT 0;
ALTER TABLE meetings ADD COLUMN agenda_posted_barrier bigint NOT NULL DEFAULT 0;
CREATE INDEX actions_meeting ON actions (meeting_id, n);

-- The agenda's "Strukturhinweise" select a team's barriers by day.
CREATE INDEX barriers_team_recorded ON barriers (team_id, recorded_on);

-- +goose Down
DROP INDEX barriers_team_recorded;
DROP INDEX actions_meeting;
DROP INDEX meetings_team_starts;
ALTER TABLE meetings DROP COLUMN agenda_posted_barrier;
ALTER TABLE meetings DROP COLUMN agenda_posted_items;
ALTER TABLE meetings DROP COLUMN channel_name;
