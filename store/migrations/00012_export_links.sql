-- +goose Up
-- Art. 15 exports are served through a short-lived signed download link of
-- kimbot's own instead of a file in the coach's DM (issue 10 point 5). A link
-- is a row here: the export is generated when it is fetched, never stored.
-- id is the SHA-256 (hex) of the link's random part, so the table alone does
-- not give anyone a usable link. Erasing the case deletes its links.
CREATE TABLE export_links (
    id          text PRIMARY KEY,
    team_id     text NOT NULL REFERENCES teams (id),
    case_id     bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    user_id     text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX export_links_case ON export_links (case_id);

-- What an erasure leaves to remove in Mattermost: the bot's posts about the
-- case's exports in the DM with each user who exported it (the export files
-- of earlier releases among them). Written in the erasure's transaction,
-- removed once the posts are deleted; the reminder pass retries what is left.
CREATE TABLE export_cleanups (
    team_id     text NOT NULL,
    case_ref    text NOT NULL,
    user_id     text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    attempts    int NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, case_ref, user_id)
);

-- +goose Down
DROP TABLE export_cleanups;
DROP TABLE export_links;
