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

-- The due query walks from the routed owners to their open cases and from
-- those cases to goals and referrals with a date.
CREATE INDEX goals_case_due ON goals (case_id, due_on) WHERE status = 'open' AND due_on IS NOT NULL;
CREATE INDEX referrals_case_followup ON referrals (case_id, followup_on) WHERE outcome = 'pending' AND followup_on IS NOT NULL;

-- +goose Down
DROP INDEX referrals_case_followup;
DROP INDEX goals_case_due;
DROP INDEX reminder_deliveries_claimed;
ALTER TABLE reminder_deliveries DROP CONSTRAINT reminder_deliveries_key_len;
ALTER TABLE reminder_deliveries DROP CONSTRAINT reminder_deliveries_target;
ALTER TABLE reminder_deliveries DROP COLUMN expires_at;
ALTER TABLE reminder_deliveries DROP COLUMN channel_id;
ALTER TABLE reminder_deliveries DROP CONSTRAINT reminder_deliveries_kind_check;
ALTER TABLE reminder_deliveries ADD CONSTRAINT reminder_deliveries_kind_check CHECK (kind IN ('digest', 'agenda-reminder', 'agenda-post'));
