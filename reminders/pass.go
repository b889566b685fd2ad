// Package reminders sends kimbot's reminders exactly once (SPEC §4): the
// daily digest of due and overdue dates per coach, and whatever other jobs
// register themselves (the meetings' agenda reminder and agenda post).
//
// A pass runs every registered Job as if it were a given time. `kimbot serve`
// runs a pass every minute (robfig/cron); `kimbot remind --now` runs one.
// Each job decides what is due and hands it to the pass's Deliverer, which
// makes every delivery happen once and only once across replicas, crashes and
// outages (see Deliverer).
//
// Adding a job (e.g. in reminders/agenda.go):
//
//	func init() {
//		reminders.Register(reminders.Job{Name: "agenda-post", Run: agendaPosts})
//	}
//
//	func agendaPosts(ctx context.Context, p *reminders.Pass) error {
//		for _, m := range meetingsDue(ctx, p.Meetings, p.Now) {
//			p.Deliver(ctx, reminders.Delivery{
//				Key:     fmt.Sprintf("agenda-post:%d", m.ID),
//				Kind:    "agenda-post",
//				Target:  kim.Target{ChannelID: m.ChannelID},
//				Day:     m.Day(),
//				Expires: m.StartsAt,
//				Build:   func(ctx context.Context) (kim.Message, error) { return agendaMessage(ctx, m) },
//				OnSent:  func(ctx context.Context, postID string) error { return p.Meetings.AgendaPosted(ctx, m.ID, postID) },
//			})
//		}
//		return nil
//	}
package reminders

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/store"
)

// Job is one kind of reminder work that every pass does.
type Job struct {
	// Name is unique, e.g. "digest" or "agenda-post".
	Name string
	// Run decides what is due at p.Now and delivers it with p.Deliver. It is
	// run by every pass of every replica, at any time (also late, after an
	// outage): it must rely on delivery keys, not on being run once.
	Run func(ctx context.Context, p *Pass) error
}

var (
	jobsMu sync.Mutex
	jobs   []Job
)

// Register adds a job to every pass; call it from an init function. Jobs
// run in the order of their names.
func Register(j Job) {
	jobsMu.Lock()
	defer jobsMu.Unlock()
	for _, x := range jobs {
		if x.Name == j.Name {
			panic("reminders: job " + j.Name + " registered twice")
		}
	}
	jobs = append(jobs, j)
	sort.Slice(jobs, func(a, b int) bool { return jobs[a].Name < jobs[b].Name })
}

// Jobs returns the names of the registered jobs.
func Jobs() []string {
	jobsMu.Lock()
	defer jobsMu.Unlock()
	out := make([]string, len(jobs))
	for i, j := range jobs {
		out[i] = j.Name
	}
	return out
}

// Sources are what the jobs and the buttons read and write, each a small
// interface defined where it is used; *store.Store implements them all.
type Sources struct {
	Due       DueSource     // the digest (digest.go)
	Meetings  MeetingSource // the agenda jobs (agenda.go)
	Retention Retention     // erasure and purging (retention.go)
	Items     ItemSource    // the digest's buttons (buttons.go)
	Exports   ExportCleaner // Mattermost's side of erasure (retention.go); nil: none
}

// Pass is one reminder pass at a point in time, as a job sees it.
type Pass struct {
	// Now is the time of the pass; jobs decide what is due from it alone.
	Now time.Time
	Sources
	Log *slog.Logger
	svc *Service
	job string
	rep *Report
}

// DeliveryStatuses returns the status of each of the delivery keys that has
// a record (a job skips what is settled before building it).
func (p *Pass) DeliveryStatuses(ctx context.Context, keys []string) (map[string]string, error) {
	return p.svc.Deliverer.Deliveries.DeliveryStatuses(ctx, keys)
}

// DeliveryRecord returns the record of a delivery key (kim.ENOTFOUND when
// it has none).
func (p *Pass) DeliveryRecord(ctx context.Context, key string) (store.DeliveryRecord, error) {
	return p.svc.Deliverer.Deliveries.Delivery(ctx, key, p.svc.Deliverer.clock().NowOrNil())
}

// Deliver delivers x exactly once (see Deliverer.Deliver) as of the pass's
// time and counts the outcome in the pass's report.
func (p *Pass) Deliver(ctx context.Context, x Delivery) (Outcome, error) {
	o, err := p.svc.Deliverer.Deliver(ctx, p.Now, x)
	p.rep.add(p.job, o, 1)
	if err != nil && o != Failed {
		p.Log.Error("reminders: delivery error", "job", p.job, "key", x.Key, "err", err)
	}
	return o, err
}

// DeliverAll delivers each of xs exactly once (see Deliverer.DeliverAll)
// with workers posts at a time, and counts the outcomes in the pass's report.
func (p *Pass) DeliverAll(ctx context.Context, xs []Delivery, workers int) {
	p.svc.Deliverer.DeliverAll(ctx, p.Now, xs, workers, func(x Delivery, o Outcome, err error) {
		p.rep.add(p.job, o, 1)
		if err != nil && o != Failed {
			p.Log.Error("reminders: delivery error", "job", p.job, "key", x.Key, "err", err)
		}
	})
}

// Report counts what a pass did, per job and outcome.
type Report struct {
	mu     sync.Mutex
	Counts map[string]map[Outcome]int
	Errors []string // jobs that failed, with their error
}

func (r *Report) add(job string, o Outcome, n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Counts == nil {
		r.Counts = map[string]map[Outcome]int{}
	}
	if r.Counts[job] == nil {
		r.Counts[job] = map[Outcome]int{}
	}
	r.Counts[job][o] += n
}

// Count returns how many deliveries of a job had the outcome.
func (r *Report) Count(job string, o Outcome) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.Counts[job][o]
}

// Failed returns how many deliveries failed in all jobs.
func (r *Report) Failed() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, c := range r.Counts {
		n += c[Failed]
	}
	return n
}

// String renders the report on one line, e.g. "digest: 3 sent, 1 empty".
func (r *Report) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var parts []string
	names := make([]string, 0, len(r.Counts))
	for n := range r.Counts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		var cs []string
		for _, o := range []Outcome{Sent, Recovered, Empty, Settled, Busy, Failed, Expired} {
			if c := r.Counts[n][o]; c > 0 {
				cs = append(cs, fmt.Sprintf("%d %s", c, o))
			}
		}
		if len(cs) == 0 {
			cs = []string{"nothing due"}
		}
		parts = append(parts, n+": "+strings.Join(cs, ", "))
	}
	if len(parts) == 0 {
		parts = []string{"nothing due"}
	}
	s := strings.Join(parts, "; ")
	if len(r.Errors) > 0 {
		s += "; errors: " + strings.Join(r.Errors, "; ")
	}
	return s
}

// Service runs reminder passes and answers the reminders' buttons.
type Service struct {
	Sources
	Locks     Locks // nil: no pass lock, no idempotency keys
	Deliverer *Deliverer
	// Members checks the digests' recipients' team membership in
	// Mattermost (digest.go); nil: no check.
	Members Members
	// Clock is the time of scheduled passes and of button presses (nil:
	// kim.SystemClock).
	Clock kim.Clock
	Log   *slog.Logger
}

// passLockTTL bounds how long one replica's scheduled pass keeps the others
// from running theirs.
const passLockTTL = 50 * time.Second

// RunScheduled runs a pass at the service's clock unless another replica
// is running one (a Redis lock; without Redis every replica runs its pass and
// the delivery claims keep them apart).
func (s *Service) RunScheduled(ctx context.Context) (*Report, error) {
	if s.Locks != nil && s.Deliverer.redisUp() {
		l, ok, err := s.Locks.TryLock(ctx, "reminders:pass", passLockTTL)
		switch {
		case err != nil:
			s.Deliverer.redisFailed(err)
		case !ok:
			return &Report{}, nil
		default:
			defer l.Unlock(context.WithoutCancel(ctx))
		}
	}
	return s.RunPass(ctx, kim.ClockOr(s.Clock).Now())
}

// RunPass runs every registered job once as if it were now, then gives up
// deliveries whose time has passed. A job's error is logged and reported;
// the other jobs still run.
func (s *Service) RunPass(ctx context.Context, now time.Time) (*Report, error) {
	rep := &Report{}
	jobsMu.Lock()
	list := append([]Job(nil), jobs...)
	jobsMu.Unlock()
	for _, j := range list {
		p := &Pass{Now: now, Sources: s.Sources, Log: s.Log.With("job", j.Name), svc: s, job: j.Name, rep: rep}
		if err := j.Run(ctx, p); err != nil {
			s.Log.Error("reminders: job failed", "job", j.Name, "err", err)
			rep.Errors = append(rep.Errors, j.Name+": "+err.Error())
		}
	}
	swept, err := s.Deliverer.Sweep(ctx, now)
	if err != nil {
		rep.Errors = append(rep.Errors, "sweep: "+err.Error())
	}
	for o, n := range swept {
		rep.add("sweep", o, n)
	}
	if len(rep.Errors) > 0 {
		return rep, fmt.Errorf("reminders: %s", strings.Join(rep.Errors, "; "))
	}
	return rep, nil
}
