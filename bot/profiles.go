package bot

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/fnv"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

// How long a profile of Mattermost is used: while it is fresh as it is; up
// to ProfileMaxAge while a background request refreshes it; never older. A
// profile is fresh for ProfileFresh less up to ProfileJitter of it, an
// amount that differs from profile to profile and from one fetch to the
// next, so that profiles fetched together (after a restart, or the first
// commands of a morning) do not all turn stale at the same moment and send
// a burst of requests to Mattermost. A change in Mattermost (locale, time
// zone, system admin) therefore reaches kimbot's answers at the latest
// ProfileMaxAge after it was made, and for a user who keeps typing commands
// with the first command more than ProfileFresh after it (whose refresh the
// next command sees).
const (
	ProfileFresh  = 30 * time.Second
	ProfileJitter = 0.5
	ProfileMaxAge = 5 * time.Minute
	// profilesLocalMax bounds the in-process layer.
	profilesLocalMax = 20000
	// profileRefreshers bounds the background refreshes under way at once;
	// a stale profile found while all are busy is used as it is, and a
	// later command of the user refreshes it.
	profileRefreshers = 8
)

var profileLookups = promauto.NewCounterVec(prometheus.CounterOpts{
	Name: "kimbot_profile_lookups_total",
	Help: "Profiles of callers by where they came from: local, redis, stale (refreshed in the background), stale_busy (used without a refresh: every refresher was busy), mattermost (the caller waited).",
}, []string{"source"})

// UserLookup is what the profile cache asks when it has nothing fresh: a
// Mattermost user by id.
type UserLookup interface {
	User(ctx context.Context, id string) (kim.User, error)
}

// Profiles caches what Mattermost says of the users who type commands
// (username, locale, time zone, system admin), so that the command path
// makes no request to Mattermost in the steady state: a small in-process
// layer in front of an entry in Redis that all replicas share. With Redis
// down the in-process layer and Mattermost still answer.
type Profiles struct {
	Lookup UserLookup
	Redis  *store.Redis // nil: in-process only
	Log    *slog.Logger
	Clock  func() time.Time
	// Fresh and MaxAge are ProfileFresh and ProfileMaxAge unless set.
	Fresh, MaxAge time.Duration

	mu         sync.Mutex
	local      map[string]profileEntry
	refreshing map[string]bool // users whose refresh is under way (at most profileRefreshers)
	background sync.WaitGroup
	warnedAt   time.Time
}

// profileEntry is a profile with the time Mattermost gave it.
type profileEntry struct {
	User kim.User  `json:"user"`
	At   time.Time `json:"at"`
}

// NewProfiles returns a cache in front of lookup, shared through r.
func NewProfiles(lookup UserLookup, r *store.Redis, log *slog.Logger) *Profiles {
	return &Profiles{Lookup: lookup, Redis: r, Log: log, Clock: time.Now}
}

func (p *Profiles) maxAge() time.Duration { return orDefault(p.MaxAge, ProfileMaxAge) }

// isFresh reports whether e is still fresh at now: younger than Fresh less
// its jitter, a fraction of ProfileJitter of Fresh taken from a hash of the
// user and the time of the fetch (so every replica agrees on it).
func (p *Profiles) isFresh(e profileEntry, now time.Time) bool {
	fresh := orDefault(p.Fresh, ProfileFresh)
	h := fnv.New64a()
	h.Write([]byte(e.User.ID))
	binary.Write(h, binary.LittleEndian, e.At.UnixNano())
	jitter := time.Duration(float64(fresh) * ProfileJitter * float64(h.Sum64()%1024) / 1024)
	return now.Sub(e.At) < fresh-jitter
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// Get returns the profile of user id: from the in-process layer or Redis
// while fresh; a stale one (up to MaxAge) at once while it is refreshed in
// the background; otherwise — a user not seen for a while — after asking
// Mattermost.
func (p *Profiles) Get(ctx context.Context, id string) (kim.User, error) {
	now := p.Clock()
	e, ok := p.localEntry(id)
	if ok && p.isFresh(e, now) {
		profileLookups.WithLabelValues("local").Inc()
		return e.User, nil
	}
	if ok && now.Sub(e.At) < p.maxAge() {
		// Stale here: used at once; the refresh looks in Redis (another
		// replica may have refreshed it) before it asks Mattermost.
		return p.stale(id, e), nil
	}
	if r, found := p.remote(ctx, id); found && (!ok || r.At.After(e.At)) {
		e, ok = r, true
		p.keepLocal(id, e)
		if p.isFresh(e, now) {
			profileLookups.WithLabelValues("redis").Inc()
			return e.User, nil
		}
	}
	if ok && now.Sub(e.At) < p.maxAge() {
		return p.stale(id, e), nil
	}
	profileLookups.WithLabelValues("mattermost").Inc()
	return p.fetch(ctx, id)
}

// stale returns the stale profile e of id and has it refreshed.
func (p *Profiles) stale(id string, e profileEntry) kim.User {
	if p.refresh(id) {
		profileLookups.WithLabelValues("stale").Inc()
	} else {
		profileLookups.WithLabelValues("stale_busy").Inc()
	}
	return e.User
}

// fetch asks Mattermost and keeps the answer in both layers.
func (p *Profiles) fetch(ctx context.Context, id string) (kim.User, error) {
	u, err := p.Lookup.User(ctx, id)
	if err != nil {
		return u, err
	}
	e := profileEntry{User: u, At: p.Clock()}
	p.keepLocal(id, e)
	if p.Redis != nil {
		b, _ := json.Marshal(e)
		if err := p.Redis.PutShort(ctx, profileKey(id), b, p.maxAge()); err != nil {
			p.warn("bot: unable to share a profile in Redis", err)
		}
	}
	return u, nil
}

// refresh brings the profile up to date in the background — from Redis
// when another replica has a fresh one there, else from Mattermost — once
// at a time per user and at most profileRefreshers at a time in all; it
// does nothing and returns false when those are busy with other users.
func (p *Profiles) refresh(id string) bool {
	p.mu.Lock()
	if p.refreshing[id] {
		p.mu.Unlock()
		return true
	}
	if len(p.refreshing) >= profileRefreshers {
		p.mu.Unlock()
		return false
	}
	if p.refreshing == nil {
		p.refreshing = map[string]bool{}
	}
	p.refreshing[id] = true
	p.background.Add(1)
	p.mu.Unlock()
	go func() {
		defer p.background.Done()
		defer func() {
			p.mu.Lock()
			delete(p.refreshing, id)
			p.mu.Unlock()
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if r, found := p.remote(ctx, id); found && p.isFresh(r, p.Clock()) {
			p.keepLocal(id, r)
			return
		}
		if _, err := p.fetch(ctx, id); err != nil {
			p.warn("bot: unable to refresh a profile", err)
		}
	}()
	return true
}

// wait returns once the background refreshes started so far are done (tests).
func (p *Profiles) wait() { p.background.Wait() }

// remote reads the shared entry of id; a Redis failure counts as no entry.
func (p *Profiles) remote(ctx context.Context, id string) (profileEntry, bool) {
	if p.Redis == nil {
		return profileEntry{}, false
	}
	b, err := p.Redis.GetShort(ctx, profileKey(id))
	if err != nil {
		p.warn("bot: unable to read a profile from Redis", err)
		return profileEntry{}, false
	}
	var e profileEntry
	if b == nil || json.Unmarshal(b, &e) != nil || e.User.ID != id {
		return profileEntry{}, false
	}
	return e, true
}

func (p *Profiles) localEntry(id string) (profileEntry, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.local[id]
	return e, ok
}

// keepLocal stores e in the in-process layer; when it is full, entries past
// MaxAge go, and if that is not enough, all of them.
func (p *Profiles) keepLocal(id string, e profileEntry) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.local == nil {
		p.local = map[string]profileEntry{}
	}
	if len(p.local) >= profilesLocalMax {
		now := p.Clock()
		for k, v := range p.local {
			if now.Sub(v.At) >= p.maxAge() {
				delete(p.local, k)
			}
		}
		if len(p.local) >= profilesLocalMax {
			clear(p.local)
		}
	}
	if old, ok := p.local[id]; !ok || !old.At.After(e.At) {
		p.local[id] = e
	}
}

// warn logs a failure at most once a minute (Redis down would otherwise
// log on every command).
func (p *Profiles) warn(msg string, err error) {
	p.mu.Lock()
	now := time.Now()
	quiet := now.Sub(p.warnedAt) < time.Minute
	if !quiet {
		p.warnedAt = now
	}
	p.mu.Unlock()
	if !quiet && p.Log != nil {
		p.Log.Warn(msg, "err", err)
	}
}

func profileKey(id string) string { return "profile:" + id }
