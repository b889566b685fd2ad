-- +goose Up
-- Reminders (issue 4): deliveries to channels as well as DMs, any job kind,
-- an expiry after which a delivery is given up, and indexes for the due query.

ALTER TABLE reminder_deliveries DROP CONSTRAINT reminder_deliveries_kind_check;
ALTER TABLE reminder_deliveries ADD CONSTRAINT reminder_deliveries_kind_check CHECK (kind ~ '^[a-z][a-z0-9-]{1,39}$');
ALTER TABLE reminder_deliveries ADD COLUMN channel_id text;
ALTER TABLE reminder_deliveries ADD COLUMN expires_at timestamptz;
ALTER TABLE reminder_deliveries ADD CONSTRAINT reminder_deliveries_target CHECK (user_id IS NOT NULL OR channel_id IS NOT NULL);
ALTER TABLE reminder_deliveries ADD CONSTRAINT reminder_deliveries_key_len CHECK (length(key) BETWEEN 1 AND 200);
-- Claimed deliveries by expiry, for the sweep that gives up old ones.
CREATE INDEX reminder_deliveries_claimed ON reminder_deliveries (expires_at) WHERE status = 'claimed';

-- The due query reads each routed owner's due case dates by team, owner and
-- date (follow-ups and goals come from their due-date indexes of 00001).
CREATE INDEX cases_team_owner_monitoring ON cases (team_id, owner_id, next_monitoring) WHERE closed_on IS NULL;
CREATE INDEX cases_team_owner_assessment ON cases (team_id, owner_id, next_assessment) WHERE closed_on IS NULL;

-- +goose Down
DROP INDEX cases_team_owner_assessment;
DROP INDEX cases_team_owner_monitoring;
DROP INDEX reminder_deliveries_claimed;
ALTER TABLE reminder_deliveries DROP CONSTRAINT reminder_deliveries_key_len;
ALTER TABLE reminder_deliveries DROP CONSTRAINT reminder_deliveries_target;
ALTER TABLE reminder_deliveries DROP COLUMN expires_at;
ALTER TABLE reminder_deliveries DROP COLUMN channel_id;
ALTER TABLE reminder_deliveries DROP CONSTRAINT reminder_deliveries_kind_check;
ALTER TABLE reminder_deliveries ADD CONSTRAINT reminder_deliveries_kind_check CHECK (kind IN ('digest', 'agenda-reminder', 'agenda-post'));
