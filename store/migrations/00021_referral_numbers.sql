-- +goose Up
-- Referrals can be deleted now (a referral recorded by mistake), so their
-- numbers are counted per case like those of contacts and goals (00016):
-- never given twice. The counter starts at the highest number held.
ALTER TABLE cases ADD COLUMN last_referral_n int NOT NULL DEFAULT 0;
UPDATE cases c SET last_referral_n = x.n FROM (SELECT case_id, max(n) AS n FROM referrals GROUP BY case_id) x WHERE x.case_id = c.id;

-- +goose Down
ALTER TABLE cases DROP COLUMN last_referral_n;
