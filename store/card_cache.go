package store

import (
	"slices"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/kimbot-nrw/kimbot/kim"
)

// DefaultCardCache is how many case cards a store keeps unless
// KIMBOT_CARD_CACHE says otherwise.
const DefaultCardCache = 2000

// cardTTL is how long a kept card may be shown again; older ones are read
// anew (and dropped from memory as the cache fills).
const cardTTL = 5 * time.Minute

// cardCache keeps the case cards this replica has read, decrypted, by team
// and reference, with the version (cases.card_version, migration 00023) the
// case had when they were read. Showing a kept card still takes a round
// trip: the statement that checks access and writes the audit row returns
// the case's version too (auditKeptRead), and the card is shown from memory
// only when that version is the kept one. Every change of anything the card
// shows counts the version up in the changing transaction (triggers, so
// other replicas' and older releases' changes count as well), and a card
// read in a later snapshot than its version is only newer, never older: a
// kept card is never out of date when it is shown.
type cardCache struct {
	mu   sync.Mutex // guards the eviction of expired cards on add
	lru  *lru.Cache[cardKey, keptCard]
	now  func() time.Time
	ttl  time.Duration
	size int
}

type cardKey struct{ team, ref string }

type keptCard struct {
	id, version int64
	phase       string // the stored phase, before kim.PhaseOn
	card        kim.Card
	at          time.Time
}

// cardReads counts the card reads by how they were answered: from memory
// ("kept"), read again because the case changed ("changed"), or read
// ("read", no card kept).
var cardReads = promauto.NewCounterVec(prometheus.CounterOpts{
	Name: "kimbot_card_reads_total", Help: "Case card reads, by whether a kept card was shown (kept), the case had changed (changed) or none was kept (read).",
}, []string{"result"})

// newCardCache returns a cache of size cards, or nil for size 0.
func newCardCache(size int) *cardCache {
	if size <= 0 {
		return nil
	}
	c, err := lru.New[cardKey, keptCard](size)
	if err != nil {
		panic(err) // only for size <= 0
	}
	return &cardCache{lru: c, now: time.Now, ttl: cardTTL, size: size}
}

// get returns the kept card of the team's case ref, if one is kept and not
// older than the TTL.
func (c *cardCache) get(team, ref string) (keptCard, bool) {
	if c == nil {
		return keptCard{}, false
	}
	k, ok := c.lru.Get(cardKey{team, ref})
	if ok && c.now().Sub(k.at) > c.ttl {
		c.lru.Remove(cardKey{team, ref})
		return keptCard{}, false
	}
	return k, ok
}

// add keeps a card read at version, and drops the oldest kept card if it
// has expired.
func (c *cardCache) add(team, ref string, version int64, card kim.Card, phase string) {
	if c == nil {
		return
	}
	now := c.now()
	c.lru.Add(cardKey{team, ref}, keptCard{id: card.Case.ID, version: version, phase: phase, card: card, at: now})
	c.mu.Lock()
	defer c.mu.Unlock()
	if k, v, ok := c.lru.GetOldest(); ok && now.Sub(v.at) > c.ttl {
		c.lru.Remove(k)
	}
}

// remove forgets the card of the team's case ref.
func (c *cardCache) remove(team, ref string) {
	if c != nil {
		c.lru.Remove(cardKey{team, ref})
	}
}

// shown returns the kept card as Card returns it: its phase as of today, its
// lists copies (the kept ones stay as they are whatever the caller does).
func (k keptCard) shown(today kim.Date) kim.Card {
	card := k.card
	card.Case.Phase = kim.PhaseOn(k.phase, card.Case.NextAssessment, today)
	card.Consents, card.Assessments, card.Goals = slices.Clone(card.Consents), slices.Clone(card.Assessments), slices.Clone(card.Goals)
	card.Referrals, card.Contacts, card.Transitions = slices.Clone(card.Referrals), slices.Clone(card.Contacts), slices.Clone(card.Transitions)
	return card
}

// keptReadQuery finds the case ref the actor may see, writes the audit row
// of reading it, and returns its id and card version (NULL when the actor
// may not see it; nothing is written then). It keeps the case's id for the
// batch's reads (cardCase) only when the case is not the kept one at
// @kept_version: for a card that is unchanged they read nothing.
const keptReadQuery = `WITH found AS (SELECT c.id, c.ref, c.card_version FROM cases c WHERE ` + caseAccess + ` AND c.ref = @ref),
	audited AS (INSERT INTO audit_log (team_id, actor_id, action, case_id, case_ref)
		SELECT @team, @actor, 'case.read', id, ref FROM found RETURNING case_id),
	seen AS (SELECT f.id, f.card_version FROM found f JOIN audited a ON a.case_id = f.id)
	SELECT seen.id, seen.card_version, set_config('` + cardCaseSetting + `',
		coalesce(CASE WHEN seen.id = @kept_id AND seen.card_version = @kept_version THEN '' ELSE seen.id::text END, ''), true)
	FROM (SELECT) one LEFT JOIN seen ON true`

// versionRow scans a row of a card's case statement: the card version,
// then what scanCase reads.
type versionRow struct {
	pgx.Row
	version *int64
}

func (r versionRow) Scan(dest ...any) error {
	return r.Row.Scan(append([]any{r.version}, dest...)...)
}
