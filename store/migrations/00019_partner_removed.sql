-- +goose Up
-- A partner can be taken out of the directory (a service that closed, a key
-- added by mistake): no new consent, referral, barrier or template step
-- names it; what already does keeps it, and a consent given to it can still
-- be revoked. Adding the key again brings it back.
ALTER TABLE partners ADD COLUMN removed_at timestamptz;

-- +goose Down
ALTER TABLE partners DROP COLUMN removed_at;
