-- +goose Up
-- Barriers reach the network, people never do (issue 10).

-- The topics a team groups barriers by, kept by its admins: never free text.
-- Removing a topic keeps its row (removed_at) for the barriers and reports
-- that name it.
CREATE TABLE barrier_topics (
    id         bigserial PRIMARY KEY,
    team_id    text NOT NULL REFERENCES teams (id),
    key        text NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    position   int NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    removed_at timestamptz,
    UNIQUE (team_id, key)
);

INSERT INTO barrier_topics (team_id, key, name, position)
SELECT t.id, d.key, d.name, d.position FROM teams t CROSS JOIN (VALUES
    ('wohnen', 'Wohnen', 1), ('sprache', 'Sprache und Kurse', 2), ('gesundheit', 'Gesundheit', 3),
    ('aufenthalt', 'Aufenthalt und Papiere', 4), ('arbeit', 'Arbeit und Anerkennung', 5),
    ('kita-schule', 'Kita und Schule', 6), ('digitales', 'Digitales', 7), ('mobilitaet', 'Mobilität', 8),
    ('sonstiges', 'Sonstiges', 9)) AS d (key, name, position);

-- A barrier: a topic of the list instead of free text, a number within its
-- case, a draft until the coach confirmed the text as the network sees it,
-- and when it was first part of a posted agenda (then it can no longer be
-- changed).
ALTER TABLE barriers ADD COLUMN topic_id bigint REFERENCES barrier_topics (id);
ALTER TABLE barriers ADD COLUMN n int;
ALTER TABLE barriers ADD COLUMN draft boolean NOT NULL DEFAULT false;
ALTER TABLE barriers ADD COLUMN posted_at timestamptz;
ALTER TABLE barriers ADD COLUMN updated_at timestamptz;

UPDATE barriers b SET n = x.n
FROM (SELECT id, row_number() OVER (PARTITION BY case_id ORDER BY id) AS n FROM barriers) x WHERE x.id = b.id;

-- Free-text topics become the topic of the list with that name or key, else
-- Sonstiges; the free text itself goes (it could be a name).
UPDATE barriers b SET topic_id = coalesce(
    (SELECT t.id FROM barrier_topics t WHERE t.team_id = b.team_id
        AND (lower(t.name) = lower(btrim(b.topic)) OR t.key = lower(btrim(b.topic)))),
    (SELECT t.id FROM barrier_topics t WHERE t.team_id = b.team_id AND t.key = 'sonstiges'))
WHERE b.topic IS NOT NULL;
UPDATE barriers SET topic = NULL WHERE topic IS NOT NULL;

-- At most one group. A replica of the previous release may still write a
-- free topic during a rolling upgrade: it is shown as Sonstiges and cleared
-- when its case is erased (the column goes in a later release).
ALTER TABLE barriers DROP CONSTRAINT barriers_check;
ALTER TABLE barriers ADD CONSTRAINT barriers_one_group CHECK (num_nonnulls(partner_id, topic_id, topic) <= 1);

-- Numbers within the case, also for rows of the previous release (inserts
-- lock the case row first, so two never take the same number).
-- +goose StatementBegin
CREATE FUNCTION barriers_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.n IS NULL THEN
        SELECT coalesce(max(n), 0) + 1 INTO NEW.n FROM barriers WHERE case_id = NEW.case_id;
    END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER barriers_number BEFORE INSERT ON barriers FOR EACH ROW EXECUTE FUNCTION barriers_number();
CREATE UNIQUE INDEX barriers_case_n ON barriers (case_id, n);

-- +goose Down
DROP INDEX barriers_case_n;
DROP TRIGGER barriers_number ON barriers;
DROP FUNCTION barriers_number();
ALTER TABLE barriers DROP CONSTRAINT barriers_one_group;
UPDATE barriers b SET topic = t.name FROM barrier_topics t WHERE t.id = b.topic_id;
ALTER TABLE barriers ADD CONSTRAINT barriers_check CHECK ((partner_id IS NULL) <> (topic IS NULL)) NOT VALID;
ALTER TABLE barriers DROP COLUMN updated_at, DROP COLUMN posted_at, DROP COLUMN draft, DROP COLUMN n, DROP COLUMN topic_id;
DROP TABLE barrier_topics;
