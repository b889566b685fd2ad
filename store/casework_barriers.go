package store

// Strukturhinweise (SPEC §3): barriers found in cases, written for the
// network. A barrier is grouped by a partner of the directory or a topic of
// the team's list (never free text). Its text is masked with the pseudonyms
// of every case of the team (package mask) and kept as a draft until the
// coach has seen it as the network will and confirmed it; it can be changed
// or deleted until an agenda that showed it has been posted.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/mask"
)

// DraftAge is how long an unconfirmed barrier is kept.
const DraftAge = 24 * time.Hour

// teamMasker returns a masker that knows the pseudonyms of every case of the
// team that is not erased.
func (s *Store) teamMasker(ctx context.Context, tx pgx.Tx, teamID string) (*mask.Masker, error) {
	rows, err := tx.Query(ctx, `SELECT pseudonym_enc FROM cases WHERE team_id = $1 AND pseudonym_enc IS NOT NULL`, teamID)
	if err != nil {
		return nil, err
	}
	encs, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return nil, err
	}
	ps := make([]string, 0, len(encs))
	for _, e := range encs {
		ps = append(ps, s.open(e, CasePseudonym))
	}
	return mask.New(ps...), nil
}

// neutralName refuses, as an EINVALID error of key, a name the network
// would see that the masking changes (a pseudonym of the team's cases, a
// reference, a person's name): a topic's, a partner's.
func (s *Store) neutralName(ctx context.Context, tx pgx.Tx, teamID, name, key string) error {
	m, err := s.teamMasker(ctx, tx, teamID)
	if err != nil {
		return err
	}
	if r := m.Mask(name); len(r.Replaced) > 0 || r.Text != strings.Join(strings.Fields(name), " ") {
		return kim.Errorf(kim.EINVALID, key, map[string]any{"Name": r.Text})
	}
	return nil
}

// Mask returns text as the network of the team would see it.
func (s *Store) Mask(ctx context.Context, teamID, text string) (mask.Result, error) {
	var r mask.Result
	err := s.tx(ctx, func(tx pgx.Tx) error {
		m, err := s.teamMasker(ctx, tx, teamID)
		r = m.Mask(text)
		return err
	})
	return r, wrap("unable to mask text", err)
}

// nameHasWord reports whether the folded word w, of at least min bytes, is
// one of the words of name (folded, split at spaces, hyphens, slashes and
// parentheses): "kurse" of "Sprache und Kurse", "jugendmigrationsdienst"
// of "Jugendmigrationsdienst (JMD)".
func nameHasWord(name, w string, min int) bool {
	if len(w) < min {
		return false
	}
	return slices.Contains(strings.FieldsFunc(kim.Fold(name), func(r rune) bool {
		return r == ' ' || r == '-' || r == '/' || r == '(' || r == ')'
	}), w)
}

// group resolves what a barrier is about: a partner of the directory or a
// topic of the team's list, by key or name as people type them (any case,
// ä or ae, ß or ss), or by a word of a topic's name (kurse, papiere). An
// EINVALID error lists both when it is neither.
func group(ctx context.Context, tx pgx.Tx, teamID, about string) (kim.Partner, kim.Topic, error) {
	partners, err := teamPartners(ctx, tx, teamID, false)
	if err != nil {
		return kim.Partner{}, kim.Topic{}, err
	}
	topics, err := activeTopics(ctx, tx, teamID)
	if err != nil {
		return kim.Partner{}, kim.Topic{}, err
	}
	w := kim.Fold(about)
	for _, p := range partners {
		if w == kim.Fold(p.Key) || w == kim.Fold(p.Name) {
			return p, kim.Topic{}, nil
		}
	}
	for _, t := range topics {
		if w == kim.Fold(t.Key) || w == kim.Fold(t.Name) || w == strings.ReplaceAll(kim.Fold(t.Name), " ", "-") {
			return kim.Partner{}, t, nil
		}
	}
	var found []kim.Topic
	for _, t := range topics {
		if nameHasWord(t.Name, w, 4) {
			found = append(found, t)
		}
	}
	if len(found) == 1 {
		return kim.Partner{}, found[0], nil
	}
	pk, tk := make([]string, len(partners)), make([]string, len(topics))
	for i, p := range partners {
		pk[i] = p.Key
	}
	for i, t := range topics {
		tk[i] = t.Key
	}
	return kim.Partner{}, kim.Topic{}, kim.Errorf(kim.EINVALID, "barrier.unknown_group", map[string]any{
		"Word": clipKey(about), "Partners": strings.Join(pk, ", "), "Topics": strings.Join(tk, ", ")})
}

const barrierColumns = `b.n, coalesce(p.id, 0), coalesce(p.key, ''), coalesce(p.name, ''), coalesce(t.id, 0), coalesce(t.key, ''),
	coalesce(t.name, ''), b.text_enc, b.recorded_on, b.draft, b.posted_at`

const barrierFrom = `barriers b LEFT JOIN partners p ON p.id = b.partner_id LEFT JOIN barrier_topics t ON t.id = b.topic_id`

func (s *Store) scanBarrier(r pgx.Row) (kim.Barrier, error) {
	var b kim.Barrier
	var enc []byte
	var on pgtypeDate
	err := r.Scan(&b.N, &b.Partner.ID, &b.Partner.Key, &b.Partner.Name, &b.Topic.ID, &b.Topic.Key, &b.Topic.Name, &enc, &on,
		&b.Draft, &b.PostedAt)
	if err != nil {
		return b, err
	}
	if d := dateOf(&on); d != nil {
		b.RecordedOn = *d
	}
	if enc != nil {
		b.Text = s.open(enc, BarrierText)
	}
	if b.Partner.ID == 0 && b.Topic.ID == 0 {
		b.Topic.Name = otherTopic
	}
	return b, nil
}

// otherTopic names the group of a barrier without partner or topic (a free
// topic of the previous release).
const otherTopic = "Sonstiges"

// DraftBarrier keeps a barrier of the case as a draft: grouped by about (a
// partner or a topic, see group), its text masked for the network. It
// returns the draft (its text as the network will see it) and what the
// masking replaced; the coach confirms it with ConfirmBarrier.
func (s *Store) DraftBarrier(ctx context.Context, a kim.Actor, ref, about, text string) (kim.Case, kim.Barrier, mask.Result, error) {
	var b kim.Barrier
	var r mask.Result
	c, err := s.caseWrite(ctx, a, ref, "barrier.add", "unable to record barrier", func(tx pgx.Tx, c kim.Case) error {
		p, t, err := group(ctx, tx, a.TeamID, about)
		if err != nil {
			return err
		}
		if r, err = s.maskBarrier(ctx, tx, a.TeamID, text); err != nil {
			return err
		}
		var partnerID, topicID *int64
		if p.ID != 0 {
			partnerID = &p.ID
		} else {
			topicID = &t.ID
		}
		var n int
		if err := tx.QueryRow(ctx, `INSERT INTO barriers (team_id, case_id, partner_id, topic_id, text_enc, recorded_on, created_by, draft)
			VALUES ($1, $2, $3, $4, $5, $6, $7, true) RETURNING n`,
			a.TeamID, c.ID, partnerID, topicID, s.seal(r.Text, BarrierText), a.Today.UTC(), a.UserID).Scan(&n); err != nil {
			return err
		}
		b = kim.Barrier{N: n, Partner: p, Topic: t, Text: r.Text, RecordedOn: a.Today, Draft: true}
		return nil
	})
	return c, b, r, err
}

// maskBarrier masks a barrier text for the team; a text of nothing but what
// the masking replaced is refused.
func (s *Store) maskBarrier(ctx context.Context, tx pgx.Tx, teamID, text string) (mask.Result, error) {
	m, err := s.teamMasker(ctx, tx, teamID)
	if err != nil {
		return mask.Result{}, err
	}
	r := m.Mask(text)
	if strings.Trim(strings.ReplaceAll(r.Text, mask.Marker, ""), " .,;:-–—!?()„“\"'") == "" {
		return r, kim.Errorf(kim.EINVALID, "barrier.nothing_left", nil)
	}
	return r, nil
}

// barrierFor returns barrier n of case c, locked; ENOTFOUND when there is none.
func (s *Store) barrierFor(ctx context.Context, tx pgx.Tx, c kim.Case, n int) (kim.Barrier, error) {
	b, err := s.scanBarrier(tx.QueryRow(ctx, `SELECT `+barrierColumns+` FROM `+barrierFrom+` WHERE b.case_id = $1 AND b.n = $2
		FOR UPDATE OF b`, c.ID, n))
	if err == pgx.ErrNoRows {
		return b, kim.Errorf(kim.ENOTFOUND, "barrier.not_found", map[string]any{"Ref": c.Ref, "N": n})
	}
	return b, err
}

// changeable refuses a barrier that an agenda post has shown.
func changeable(c kim.Case, b kim.Barrier) error {
	if b.PostedAt != nil {
		return kim.Errorf(kim.ECONFLICT, "barrier.posted", map[string]any{"Ref": c.Ref, "N": b.N,
			"Date": kim.DateOf(b.PostedAt.In(kim.Berlin))})
	}
	return nil
}

// ConfirmBarrier makes draft n of the case a barrier the network sees, on
// the actor's day, and returns it.
func (s *Store) ConfirmBarrier(ctx context.Context, a kim.Actor, ref string, n int) (kim.Case, kim.Barrier, error) {
	var b kim.Barrier
	c, err := s.caseWrite(ctx, a, ref, "barrier.confirm", "unable to confirm barrier", func(tx pgx.Tx, c kim.Case) error {
		var err error
		if b, err = s.barrierFor(ctx, tx, c, n); err != nil {
			return err
		}
		if !b.Draft {
			return kim.Errorf(kim.ECONFLICT, "barrier.confirmed_already", map[string]any{"Ref": c.Ref, "N": n})
		}
		b.Draft, b.RecordedOn = false, a.Today
		_, err = tx.Exec(ctx, `UPDATE barriers SET draft = false, recorded_on = $3, updated_at = now() WHERE case_id = $1 AND n = $2`,
			c.ID, n, a.Today.UTC())
		return err
	})
	return c, b, err
}

// BarrierChange is a correction of a barrier: a new text, a new group (a
// partner or a topic, as DraftBarrier takes it), or both; nil leaves it.
type BarrierChange struct {
	Text, About *string
}

// EditBarrier corrects barrier n of the case — its text (masked again), its
// partner or topic (found as for a new barrier), or both — unless an agenda
// post has shown it; it is a draft again until confirmed. It returns the
// barrier as it is now and what the masking of a new text replaced.
func (s *Store) EditBarrier(ctx context.Context, a kim.Actor, ref string, n int, ch BarrierChange) (kim.Case, kim.Barrier, mask.Result, error) {
	var b kim.Barrier
	var r mask.Result
	c, err := s.caseWrite(ctx, a, ref, "barrier.edit", "unable to change barrier", func(tx pgx.Tx, c kim.Case) error {
		var err error
		if b, err = s.barrierFor(ctx, tx, c, n); err != nil {
			return err
		}
		if err := changeable(c, b); err != nil {
			return err
		}
		if ch.Text == nil && ch.About == nil {
			return kim.Errorf(kim.EINVALID, "barrier.nothing", map[string]any{"Ref": c.Ref, "N": n})
		}
		if ch.About != nil {
			if b.Partner, b.Topic, err = group(ctx, tx, a.TeamID, *ch.About); err != nil {
				return err
			}
		}
		r = mask.Result{Text: b.Text}
		var enc []byte // nil: the text stays
		if ch.Text != nil {
			if r, err = s.maskBarrier(ctx, tx, a.TeamID, *ch.Text); err != nil {
				return err
			}
			b.Text, enc = r.Text, s.seal(r.Text, BarrierText)
		}
		var partnerID, topicID *int64
		if b.Partner.ID != 0 {
			partnerID = &b.Partner.ID
		} else if b.Topic.ID != 0 {
			topicID = &b.Topic.ID
		}
		b.Draft = true
		// A free topic of the previous release goes once a group is set.
		_, err = tx.Exec(ctx, `UPDATE barriers SET text_enc = coalesce($3, text_enc), partner_id = $4, topic_id = $5,
			topic = CASE WHEN $4::bigint IS NULL AND $5::bigint IS NULL THEN topic END, draft = true, updated_at = now()
			WHERE case_id = $1 AND n = $2`, c.ID, n, enc, partnerID, topicID)
		return err
	})
	return c, b, r, err
}

// DeleteBarrier deletes barrier n of the case unless an agenda post has
// shown it.
func (s *Store) DeleteBarrier(ctx context.Context, a kim.Actor, ref string, n int) (kim.Case, kim.Barrier, error) {
	var b kim.Barrier
	c, err := s.caseWrite(ctx, a, ref, "barrier.delete", "unable to delete barrier", func(tx pgx.Tx, c kim.Case) error {
		var err error
		if b, err = s.barrierFor(ctx, tx, c, n); err != nil {
			return err
		}
		if err := changeable(c, b); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM barriers WHERE case_id = $1 AND n = $2`, c.ID, n)
		return err
	})
	return c, b, err
}

// Barriers returns the barriers of a case of the actor, drafts included, by
// number, and audits the read.
func (s *Store) Barriers(ctx context.Context, a kim.Actor, ref string) (kim.Case, []kim.Barrier, error) {
	var out []kim.Barrier
	var c kim.Case
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if c, err = s.caseFor(ctx, tx, a, ref, false); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT `+barrierColumns+` FROM `+barrierFrom+` WHERE b.case_id = $1 ORDER BY b.n`, c.ID)
		if err != nil {
			return err
		}
		if out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (kim.Barrier, error) { return s.scanBarrier(r) }); err != nil {
			return err
		}
		return audit(ctx, tx, a, "barrier.list", c.ID, c.Ref)
	})
	return c, out, wrap("unable to read barriers", err)
}

// PurgeBarrierDrafts deletes drafts nobody confirmed, made before before,
// and returns how many.
func (s *Store) PurgeBarrierDrafts(ctx context.Context, before time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM barriers WHERE draft AND coalesce(updated_at, created_at) < $1`, before)
	if err != nil {
		return 0, fmt.Errorf("store: unable to purge barrier drafts: %w", err)
	}
	return tag.RowsAffected(), nil
}

// Topics returns the team's topic list (without removed topics), in order.
func (s *Store) Topics(ctx context.Context, teamID string) ([]kim.Topic, error) {
	var out []kim.Topic
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = activeTopics(ctx, tx, teamID)
		return err
	})
	return out, wrap("unable to read topics", err)
}

func activeTopics(ctx context.Context, tx pgx.Tx, teamID string) ([]kim.Topic, error) {
	rows, err := tx.Query(ctx, `SELECT id, key, name FROM barrier_topics WHERE team_id = $1 AND removed_at IS NULL
		ORDER BY position, key`, teamID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (kim.Topic, error) {
		var t kim.Topic
		return t, r.Scan(&t.ID, &t.Key, &t.Name)
	})
}

// AddTopic adds a topic to the team's list (or brings back a removed one
// with a new name). A name the masking would change (a pseudonym, a
// reference, a name) is refused, and so is a key that is taken.
func (s *Store) AddTopic(ctx context.Context, a kim.Actor, t kim.Topic) (kim.Topic, error) {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if err := s.neutralName(ctx, tx, a.TeamID, t.Name, "topic.not_neutral"); err != nil {
			return err
		}
		var removed *time.Time
		err := tx.QueryRow(ctx, `SELECT removed_at FROM barrier_topics WHERE team_id = $1 AND key = $2 FOR UPDATE`, a.TeamID, t.Key).Scan(&removed)
		switch {
		case err == pgx.ErrNoRows:
			err = tx.QueryRow(ctx, `INSERT INTO barrier_topics (team_id, key, name, position)
				SELECT $1, $2, $3, coalesce(max(position), 0) + 1 FROM barrier_topics WHERE team_id = $1 RETURNING id`,
				a.TeamID, t.Key, t.Name).Scan(&t.ID)
		case err != nil:
		case removed == nil:
			return kim.Errorf(kim.ECONFLICT, "topic.exists", map[string]any{"Key": t.Key})
		default:
			err = tx.QueryRow(ctx, `UPDATE barrier_topics SET name = $3, removed_at = NULL WHERE team_id = $1 AND key = $2 RETURNING id`,
				a.TeamID, t.Key, t.Name).Scan(&t.ID)
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, a, "admin.topic", 0, "")
	})
	return t, wrap("unable to add topic", err)
}

// RenameTopic gives a topic of the team's list a new name (one the
// masking leaves as typed); the barriers grouped by it show the new name.
func (s *Store) RenameTopic(ctx context.Context, a kim.Actor, key, name string) (kim.Topic, error) {
	var t kim.Topic
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if t, err = activeTopic(ctx, tx, a.TeamID, key); err != nil {
			return err
		}
		if err := s.neutralName(ctx, tx, a.TeamID, name, "topic.not_neutral"); err != nil {
			return err
		}
		t.Name = name
		if _, err := tx.Exec(ctx, `UPDATE barrier_topics SET name = $2 WHERE id = $1`, t.ID, name); err != nil {
			return err
		}
		return audit(ctx, tx, a, "admin.topic", 0, "")
	})
	return t, wrap("unable to rename topic", err)
}

// activeTopic returns the topic of the team's list with the key, folded;
// ENOTFOUND naming the keys when there is none.
func activeTopic(ctx context.Context, tx pgx.Tx, teamID, key string) (kim.Topic, error) {
	all, err := activeTopics(ctx, tx, teamID)
	if err != nil {
		return kim.Topic{}, err
	}
	keys := make([]string, len(all))
	for i, x := range all {
		keys[i] = x.Key
		if kim.Fold(x.Key) == kim.Fold(key) {
			return x, nil
		}
	}
	return kim.Topic{}, kim.Errorf(kim.ENOTFOUND, "topic.unknown", map[string]any{"Key": clipKey(key), "Keys": strings.Join(keys, ", ")})
}

// RemoveTopic takes a topic off the team's list: no new barrier is grouped
// by it; those that are keep it. The last topic stays.
func (s *Store) RemoveTopic(ctx context.Context, a kim.Actor, key string) (kim.Topic, error) {
	var t kim.Topic
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if t, err = activeTopic(ctx, tx, a.TeamID, key); err != nil {
			return err
		}
		all, err := activeTopics(ctx, tx, a.TeamID)
		if err != nil {
			return err
		}
		if len(all) == 1 {
			return kim.Errorf(kim.ECONFLICT, "topic.last", map[string]any{"Key": t.Key})
		}
		if _, err := tx.Exec(ctx, `UPDATE barrier_topics SET removed_at = now() WHERE id = $1`, t.ID); err != nil {
			return err
		}
		return audit(ctx, tx, a, "admin.topic", 0, "")
	})
	return t, wrap("unable to remove topic", err)
}

// seedTopics gives a team the default topics it does not have.
func seedTopics(ctx context.Context, tx pgx.Tx, teamID string) (bool, error) {
	changed := false
	for i, t := range kim.DefaultTopics {
		tag, err := tx.Exec(ctx, `INSERT INTO barrier_topics (team_id, key, name, position) VALUES ($1, $2, $3, $4)
			ON CONFLICT (team_id, key) DO NOTHING`, teamID, t.Key, t.Name, i+1)
		if err != nil {
			return false, err
		}
		changed = changed || tag.RowsAffected() > 0
	}
	return changed, nil
}

// AddBarrier records a barrier and confirms it at once (DraftBarrier and
// ConfirmBarrier without the coach's look at the draft in between); it
// returns the case and the partner (zero for a topic).
func (s *Store) AddBarrier(ctx context.Context, a kim.Actor, ref, about, text string) (kim.Case, kim.Partner, error) {
	_, b, _, err := s.DraftBarrier(ctx, a, ref, about, text)
	if err != nil {
		return kim.Case{}, kim.Partner{}, err
	}
	c, b, err := s.ConfirmBarrier(ctx, a, ref, b.N)
	return c, b.Partner, err
}
