// Command load drives kimbot's slash-command endpoint directly, at fixed
// rates, as Mattermost would: signed form posts to /mattermost/command of a
// `kimbot serve` it starts itself, a mix of `/kim show`, `/kim cases` and
// `/kim contact` spread over many coaches (kimbot allows 60 commands per user
// and minute), every answer checked. Per rate it reports the latency (p50,
// p99, max: from the moment a request was due, so a queue in kimbot counts),
// the errors and the resident memory of the kimbot process.
//
// It seeds a fresh database through the store (a team, its coaches and
// their cases) and answers the few requests kimbot makes to Mattermost (a
// caller's profile, when its cache has none) itself: the team is larger
// than an unlicensed Mattermost allows (250 users). See BENCHMARKS.md.
//
//	go run ./bench/load -db "$KIMBOT_TEST_DATABASE_URL" -redis "$KIMBOT_TEST_REDIS_URL" -rates 50,100,200,300,400,500
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/bench/internal/proctree"
	"github.com/kimbot-nrw/kimbot/bench/internal/profile"
	"github.com/kimbot-nrw/kimbot/devstack"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/secret"
	"github.com/kimbot-nrw/kimbot/store"
)

const (
	teamID = "benchteam00000000000000000"
	token  = "bench-command-token"
)

func main() {
	db := flag.String("db", os.Getenv("KIMBOT_TEST_DATABASE_URL"), "Postgres superuser URL (a fresh database is made and dropped)")
	redisURL := flag.String("redis", os.Getenv("KIMBOT_TEST_REDIS_URL"), "Redis URL")
	coaches := flag.Int("coaches", 1000, "coaches of the team (each sends at most rate/coaches commands a second)")
	cases := flag.Int("cases", 40000, "open cases, spread evenly over the coaches")
	rates := flag.String("rates", "50,100,200,300,400,500", "request rates per second, one step each")
	duration := flag.Duration("duration", 30*time.Second, "length of each step")
	maxConns := flag.String("max-conns", "", "KIMBOT_DATABASE_MAX_CONNS for kimbot (empty: its default)")
	bin := flag.String("kimbot", "", "kimbot binary (empty: build the release binary)")
	cpuProfile := flag.String("cpuprofile", "", "write CPU profiles of kimbot and of this driver during each step to PREFIX-RATE.pprof and PREFIX-driver-RATE.pprof (go tool pprof reads them)")
	flag.Parse()
	if *db == "" || *redisURL == "" {
		log.Fatal("load: -db and -redis (or KIMBOT_TEST_DATABASE_URL and KIMBOT_TEST_REDIS_URL) are required")
	}
	if *coaches < 1 || *cases < *coaches {
		log.Fatalf("load: %d cases over %d coaches: every coach needs a case (use fewer -coaches or more -cases)", *cases, *coaches)
	}
	var steps []int
	for _, r := range strings.Split(*rates, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(r))
		if err != nil || n <= 0 {
			log.Fatalf("load: rate %q", r)
		}
		if n*60 / *coaches >= 55 {
			log.Fatalf("load: %d/s over %d coaches is %d commands per coach and minute; kimbot allows 60: use more -coaches", n, *coaches, n*60 / *coaches)
		}
		steps = append(steps, n)
	}
	ctx := context.Background()
	dbURL, err := devstack.CreateDatabase(ctx, *db, "kimbot_bench")
	check(err)
	defer devstack.DropDatabase(context.Background(), *db, dbURL)

	key := devstack.NewEncryptionKey()
	users, err := seed(ctx, dbURL, key, *coaches, *cases)
	check(err)

	mm := httptest.NewServer(fakeMattermost(users))
	defer mm.Close()
	if *bin == "" {
		tmp, err := os.MkdirTemp("", "kimbot-bench-")
		check(err)
		defer os.RemoveAll(tmp)
		*bin, err = devstack.BuildKimbot(ctx, tmp)
		check(err)
	}
	port, err := devstack.FreePort()
	check(err)
	pprofAddr := ""
	if *cpuProfile != "" {
		pp, err := devstack.FreePort()
		check(err)
		pprofAddr = fmt.Sprintf("127.0.0.1:%d", pp)
	}
	cfg := devstack.KimbotConfig{MattermostURL: mm.URL, DatabaseURL: dbURL, RedisURL: *redisURL,
		ListenAddr: fmt.Sprintf("127.0.0.1:%d", port), EncryptionKey: key}
	k := devstack.Kimbot{Bin: *bin, Env: cfg.Env()}.With(
		"KIMBOT_REMINDER_SCHEDULE", "0 3 1 1 *", // no reminder pass during the run
		"KIMBOT_DATABASE_MAX_CONNS", *maxConns,
		"KIMBOT_PPROF_ADDR", pprofAddr)
	serve, err := k.Serve(ctx)
	check(err)
	defer serve.Stop(15 * time.Second)

	d := &driver{url: k.BaseURL() + "/mattermost/command", users: users, pid: serve.Pid(), tree: proctree.Find(*db, *redisURL),
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 512, MaxConnsPerHost: 0}}}
	fmt.Printf("%d coaches, %d cases, KIMBOT_DATABASE_MAX_CONNS=%q, %s per step, mix show/cases/contact\n",
		*coaches, *cases, *maxConns, *duration)
	d.warm()
	fmt.Println("| rate/s | sent | errors | p50 ms | p99 ms | max ms | kimbot RSS MB (max) | requests to Mattermost | CPU ms a command: kimbot, Postgres, Redis, driver | load average (1 min, before → after) |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range steps {
		before := profileRequests.Load()
		var profiled chan error
		if pprofAddr != "" {
			profiled = make(chan error, 1)
			go func() { profiled <- profile.CPUTo(fmt.Sprintf("%s-%d.pprof", *cpuProfile, r), pprofAddr, *duration) }()
			f, err := os.Create(fmt.Sprintf("%s-driver-%d.pprof", *cpuProfile, r))
			check(err)
			check(pprof.StartCPUProfile(f))
			defer f.Close()
		}
		res := d.step(r, *duration)
		if profiled != nil {
			pprof.StopCPUProfile()
			if err := <-profiled; err != nil {
				fmt.Fprintln(os.Stderr, "load: CPU profile:", err)
			}
		}
		per := func(comm string) float64 { return 1000 * res.cpu[comm] / float64(res.sent) }
		fmt.Printf("| %d | %d | %d | %.2f | %.2f | %.1f | %.0f | %d | %.2f, %.2f, %.2f, %.2f | %s → %s |\n", r, res.sent, res.errors,
			ms(res.quantile(0.5)), ms(res.quantile(0.99)), ms(res.quantile(1)), res.rssMB, profileRequests.Load()-before,
			per("kimbot"), per("postgres"), per("redis-server"), per(proctree.Self()), res.loadBefore, res.loadAfter)
		if res.errors > 0 {
			fmt.Fprintf(os.Stderr, "load: %d/s: first error: %s\n", r, res.firstError)
		}
	}
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// coach is one seeded coach with the references of their cases.
type coach struct {
	kim.User
	refs []string
	next atomic.Int64
}

// seed makes the team, its coaches and their cases through the store, as
// kimbot provision and /kim open would.
func seed(ctx context.Context, dbURL, key string, coaches, cases int) ([]*coach, error) {
	keys, err := secret.ParseKey(key)
	if err != nil {
		return nil, err
	}
	s, err := store.Open(ctx, dbURL, keys, store.MaxConns(8))
	if err != nil {
		return nil, err
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		return nil, err
	}
	if _, err := s.UpsertTeam(ctx, teamID, "bench", "benchcommand", token); err != nil {
		return nil, err
	}
	if err := s.SetInstallation(ctx, "bot_token", "benchbot0000000000000000000", "bench-bot-token"); err != nil {
		return nil, err
	}
	start := time.Now()
	users := make([]*coach, coaches)
	today := kim.DateOf(time.Now().In(kim.Berlin))
	work := make(chan int)
	errs := make(chan error, 8)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if err := seedCoach(ctx, s, users, i, coaches, cases, today); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for i := range coaches {
		users[i] = &coach{User: kim.User{ID: fmt.Sprintf("benchcoach%016d", i), Username: fmt.Sprintf("coach%04d", i), Locale: "de"}}
	}
	for i := range coaches {
		work <- i
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return nil, err
	default:
	}
	// Statistics now, as a database that grew to this size would have them:
	// without them the first minute of load runs plans made for empty tables.
	if _, err := s.Pool().Exec(ctx, "ANALYZE"); err != nil {
		return nil, err
	}
	fmt.Printf("seeded %d coaches and %d cases in %s (analyzed)\n", coaches, cases, time.Since(start).Round(time.Second))
	return users, nil
}

func seedCoach(ctx context.Context, s *store.Store, users []*coach, i, coaches, cases int, today kim.Date) error {
	u := users[i]
	if _, err := s.SyncUser(ctx, u.User); err != nil {
		return err
	}
	if err := s.SetRole(ctx, teamID, u.ID, kim.RoleCoach, fmt.Sprintf("Träger %d", i%8), "bench"); err != nil {
		return err
	}
	a := kim.Actor{TeamID: teamID, UserID: u.ID, Today: today}
	for j := i; j < cases; j += coaches {
		c, err := s.OpenCase(ctx, a, store.NewCase{Pseudonym: fmt.Sprintf("P%d", j), Group: kim.TargetGroups[j%4], Domain: "SGB2"})
		if err != nil {
			return err
		}
		u.refs = append(u.refs, c.Ref)
	}
	return nil
}

// fakeMattermost answers GET /api/v4/users/{id} for the seeded coaches, the
// only request kimbot makes on the command path (when its profile cache
// has nothing fresh); it counts them.
func fakeMattermost(users []*coach) http.Handler {
	byID := map[string]*coach{}
	for _, u := range users {
		byID[u.ID] = u
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := strings.CutPrefix(r.URL.Path, "/api/v4/users/")
		u := byID[id]
		if r.Method != http.MethodGet || !ok || u == nil {
			http.NotFound(w, r)
			return
		}
		profileRequests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(&model.User{Id: u.ID, Username: u.Username, Locale: u.Locale, Roles: model.SystemUserRoleId})
	})
}

var profileRequests atomic.Int64

type driver struct {
	url    string
	users  []*coach
	pid    int
	tree   *proctree.Tree // kimbot (a child of this process), Postgres, Redis
	client *http.Client
	seq    atomic.Int64
}

// request is the i-th command of a run: its user and line, and what its
// answer must contain.
func (d *driver) request(i int64) (u *coach, line, want string) {
	u = d.users[i%int64(len(d.users))]
	ref := u.refs[int(u.next.Add(1))%len(u.refs)]
	switch (i / int64(len(d.users))) % 3 {
	case 0:
		return u, "show " + ref, ref + " · "
	case 1:
		return u, "cases", u.refs[0]
	default:
		return u, "contact " + ref + " phone minutes=10 Anruf wegen Termin", ref
	}
}

// formFixed is the part of a slash request's form that is the same for
// every command (built once: the driver's own CPU shares the machine).
var formFixed = url.Values{"team_id": {teamID}, "team_domain": {"bench"}, "channel_id": {"benchchannel00000000000000"},
	"command": {"/kim"}, "token": {token}, "trigger_id": {"benchtrigger"}, "response_url": {""}}.Encode()

// send posts one command and checks its answer.
func (d *driver) send(u *coach, line, want string) error {
	form := formFixed + "&user_id=" + url.QueryEscape(u.ID) + "&user_name=" + url.QueryEscape(u.Username) + "&text=" + url.QueryEscape(line)
	req, err := http.NewRequest(http.MethodPost, d.url, strings.NewReader(form))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Token "+token)
	resp, err := d.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%q: HTTP %d %s", line, resp.StatusCode, body)
	}
	var cr struct{ Text string } // of model.CommandResponse
	if err := json.Unmarshal(body, &cr); err != nil {
		return fmt.Errorf("%q: %v", line, err)
	}
	if !strings.Contains(cr.Text, want) {
		return fmt.Errorf("%q: answer lacks %q: %.200s", line, want, cr.Text)
	}
	return nil
}

// warm sends one `/kim cases` per coach (16 at a time), so that the profile
// cache and each connection's prepared statements are filled as in the
// steady state.
func (d *driver) warm() {
	start := time.Now()
	sem := make(chan struct{}, 16)
	var wg sync.WaitGroup
	var failed atomic.Int64
	for _, u := range d.users {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := d.send(u, "cases", u.refs[0]); err != nil {
				if failed.Add(1) == 1 {
					fmt.Fprintln(os.Stderr, "load: warm-up:", err)
				}
			}
		}()
	}
	wg.Wait()
	fmt.Printf("warm-up: %d commands in %s, %d failed, %d profile requests to Mattermost\n",
		len(d.users), time.Since(start).Round(time.Millisecond), failed.Load(), profileRequests.Load())
}

type result struct {
	sent, errors          int
	latencies             []time.Duration
	rssMB                 float64
	cpu                   map[string]float64 // CPU seconds by command name (proctree)
	firstError            string
	loadBefore, loadAfter string
}

func (r *result) quantile(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	i := int(q*float64(len(r.latencies))+0.5) - 1
	return r.latencies[max(0, min(i, len(r.latencies)-1))]
}

// step sends rate requests a second for d, each at its due time (open
// loop), and waits for all answers.
func (d *driver) step(rate int, dur time.Duration) *result {
	res := &result{loadBefore: loadAverage()}
	cpu0 := proctree.Snapshot()
	n := int(dur.Seconds() * float64(rate))
	lat := make([]time.Duration, n)
	var errs atomic.Int64
	var firstErr atomic.Value
	stopRSS := make(chan struct{})
	rss := make(chan float64)
	go func() {
		top := 0.0
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			top = max(top, rssMB(d.pid))
			select {
			case <-tick.C:
			case <-stopRSS:
				rss <- top
				return
			}
		}
	}()
	var wg sync.WaitGroup
	start := time.Now().Add(50 * time.Millisecond)
	interval := time.Second / time.Duration(rate)
	for i := 0; i < n; i++ {
		due := start.Add(time.Duration(i) * interval)
		time.Sleep(time.Until(due))
		u, line, want := d.request(d.seq.Add(1))
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := d.send(u, line, want)
			lat[i] = time.Since(due)
			if err != nil {
				errs.Add(1)
				firstErr.CompareAndSwap(nil, err.Error())
			}
		}()
	}
	wg.Wait()
	res.cpu = d.tree.Since(cpu0)
	close(stopRSS)
	res.rssMB = <-rss
	res.sent, res.errors, res.latencies = n, int(errs.Load()), lat
	if e, ok := firstErr.Load().(string); ok {
		res.firstError = e
	}
	slices.Sort(res.latencies)
	res.loadAfter = loadAverage()
	return res
}

// rssMB returns the resident set of process pid in MB (0 if unknown).
func rssMB(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}

// loadAverage returns the machine's one-minute load average.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}
