// Command digests measures kimbot's reminder pass against Mattermost's own
// speed: on a real Mattermost server (started with devstack) with a team of
// coaches who each have due items, it runs one kimbot reminder pass (the
// reminders package's pass, wired as `kimbot serve` wires it: the store,
// Redis, the bot as the sender) and, alternating with it, a do-nothing bot
// that only opens each coach's DM and posts the same message (the same text
// and attachments, made beforehand with bot.Messenger.NewPost) with as many
// posts at a time as kimbot's pass. Each round is a new working day, so every
// pass has every digest to send; the order of the two alternates. It
// reports each side's time per round and the ratio kimbot ÷ do-nothing.
//
// Every pass must send one digest to every coach and fail none; at the end
// every coach's DM channel with kimbot must hold exactly one digest per pass
// (exactly once). The users it made are deactivated at the end (an
// unlicensed Mattermost allows 250 active users; bots do not count).
//
//	go run ./bench/digests -coaches 240 -rounds 6   # with the KIMBOT_TEST_* environment of scripts/test (bench/run sets it)
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/bench/internal/proctree"
	"github.com/kimbot-nrw/kimbot/bot"
	"github.com/kimbot-nrw/kimbot/devstack"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/reminders"
	"github.com/kimbot-nrw/kimbot/secret"
	"github.com/kimbot-nrw/kimbot/store"
)

func main() {
	if err := benchmark(); err != nil {
		log.Fatal("digests: ", err)
	}
}

type coach struct {
	id, username string
}

func benchmark() error {
	nCoaches := flag.Int("coaches", 240, "coaches, each with a digest in every pass (an unlicensed Mattermost allows 250 active users)")
	perCoach := flag.Int("cases", 8, "open cases per coach (each with two due items: first assessment and monitoring)")
	rounds := flag.Int("rounds", 6, "measured rounds (one kimbot pass and one do-nothing pass each), after one warm-up round")
	workers := flag.Int("workers", 4, "posts at a time of the do-nothing bot (kimbot's pass posts 4 digests at a time)")
	fresh := flag.Bool("fresh", false, "a new reminder service per pass, as `kimbot remind --now` has (no cached DM channels)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the last kimbot pass (this process: kimbot's side) to the file")
	bin := flag.String("kimbot", "", "kimbot binary for migrate and provision (empty: build the release binary)")
	flag.Parse()
	env := func(name string) string {
		v := os.Getenv(name)
		if v == "" {
			log.Fatalf("digests: %s is not set (bench/run sets it, as scripts/test does)", name) // nothing to clean up yet
		}
		return v
	}
	pgAdmin, redisURL := env("KIMBOT_TEST_DATABASE_URL"), env("KIMBOT_TEST_REDIS_URL")
	ctx := context.Background()
	tree = proctree.Find(pgAdmin, redisURL)
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	mm, err := devstack.StartMattermost(ctx, devstack.MattermostConfig{
		Bin: env("KIMBOT_TEST_MATTERMOST_BIN"), Assets: env("KIMBOT_TEST_MATTERMOST_ASSETS"),
		PostgresAdminURL: pgAdmin, DefaultLocale: "de"})
	if err != nil {
		return err
	}
	defer mm.Close()
	admin, err := mm.CreateFirstAdmin(ctx, "benchadmin", devstack.RandomPassword())
	if err != nil {
		return err
	}
	team, err := admin.NewTeam(ctx, "bench-digests", "bench digests")
	if err != nil {
		return err
	}

	// kimbot, provisioned into the team.
	if *bin == "" {
		tmp, err := os.MkdirTemp("", "kimbot-digests-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		*bin, err = devstack.BuildKimbot(ctx, tmp)
		if err != nil {
			return err
		}
	}
	dbURL, err := devstack.CreateDatabase(ctx, pgAdmin, "kimbot_digests")
	if err != nil {
		return err
	}
	defer devstack.DropDatabase(context.Background(), pgAdmin, dbURL)
	key := devstack.NewEncryptionKey()
	k := devstack.Kimbot{Bin: *bin, Env: devstack.KimbotConfig{MattermostURL: mm.URL, AdminToken: admin.AuthToken,
		Teams: []string{team.Name}, DatabaseURL: dbURL, RedisURL: redisURL, ListenAddr: "127.0.0.1:9",
		EncryptionKey: key}.Env()}
	for _, cmd := range []string{"migrate", "provision"} {
		if _, err := k.Run(ctx, cmd); err != nil {
			return err
		}
	}
	keys, err := secret.ParseKey(key)
	if err != nil {
		return err
	}
	s, err := store.Open(ctx, dbURL, keys)
	if err != nil {
		return err
	}
	defer s.Close()
	rdb, err := store.OpenRedis(redisURL, "kimbot:")
	if err != nil {
		return err
	}
	defer rdb.Close()
	kb, err := bot.LoadBot(ctx, s, mm.URL)
	if err != nil {
		return err
	}
	newService := func() *reminders.Service { // as cmd/kimbot's newReminders wires it
		d := &reminders.Deliverer{Deliveries: s, Locks: rdb, Log: logger, Lease: 2 * time.Minute, Backoff: 30 * time.Second,
			Sender: &bot.Messenger{Client: kb, Keys: keys, PublicURL: "http://127.0.0.1:9"}}
		return &reminders.Service{Sources: reminders.Sources{Due: s, Meetings: s, Retention: s, Items: s},
			Locks: rdb, Deliverer: d, Members: kb, Log: logger}
	}

	// The do-nothing bot: its own bot account and token.
	nb, _, err := admin.CreateBot(ctx, &model.Bot{Username: "noopbot", DisplayName: "noop"})
	if err != nil {
		return fmt.Errorf("create the do-nothing bot: %w", err)
	}
	nt, _, err := admin.CreateUserAccessToken(ctx, nb.UserId, "bench")
	if err != nil {
		return fmt.Errorf("token of the do-nothing bot: %w", err)
	}
	noop := model.NewAPIv4Client(mm.URL)
	noop.SetToken(nt.Token)
	noop.HTTPClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	messenger := &bot.Messenger{Client: kb, Keys: keys, PublicURL: "http://127.0.0.1:9"} // makes the do-nothing bot's posts

	// Coaches in Mattermost (members of the team) and in kimbot (coach role, cases).
	var coaches []coach
	var mu sync.Mutex
	defer func() { // deactivate everyone this run made
		for _, c := range coaches {
			if _, err := admin.DeleteUser(context.Background(), c.id); err != nil {
				log.Printf("digests: deactivate %s: %v", c.username, err)
			}
		}
	}()
	start := time.Now()
	today := kim.DateOf(time.Now().In(kim.Berlin))
	err = parallel(4, *nCoaches, func(i int) error {
		name := fmt.Sprintf("digestcoach%03d", i)
		u, _, err := admin.CreateUser(ctx, &model.User{Username: name, Email: name + "@kimbot.test", EmailVerified: true,
			Password: devstack.RandomPassword(), Locale: "de"})
		if err != nil {
			return fmt.Errorf("create user %s: %w", name, err)
		}
		mu.Lock()
		coaches = append(coaches, coach{id: u.Id, username: name})
		mu.Unlock()
		if err := admin.AddToTeam(ctx, team.Id, u.Id); err != nil {
			return err
		}
		if _, err := s.SyncUser(ctx, kim.User{ID: u.Id, Username: name, Locale: "de", TimeZone: "Europe/Berlin"}); err != nil {
			return err
		}
		if err := s.SetRole(ctx, team.Id, u.Id, kim.RoleCoach, fmt.Sprintf("Träger %d", i%8), "bench"); err != nil {
			return err
		}
		a := kim.Actor{TeamID: team.Id, UserID: u.Id, Today: today}
		for j := range *perCoach {
			if _, err := s.OpenCase(ctx, a, store.NewCase{Pseudonym: fmt.Sprintf("P%d-%d", i, j), Group: kim.TargetGroups[j%4], Domain: "SGB2"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(coaches, func(a, b coach) int { return strings.Compare(a.id, b.id) })
	fmt.Printf("%d coaches with %d cases each (%d due items a digest) made in %s\n", len(coaches), *perCoach, 2**perCoach,
		time.Since(start).Round(time.Second))

	// The passes: working days from six weeks ahead on (both dates of every case are overdue then).
	day := kim.Workday(today.AddDays(42))
	svc := newService()
	var profile *os.File
	kimbotPass := func(day kim.Date, cpu map[string]float64) (time.Duration, error) {
		if *fresh {
			svc = newService()
		}
		if profile != nil {
			if err := pprof.StartCPUProfile(profile); err != nil {
				return 0, err
			}
			defer pprof.StopCPUProfile()
		}
		before, start := proctree.Snapshot(), time.Now()
		rep, err := svc.RunPass(ctx, time.Date(day.Y, time.Month(day.M), day.D, 9, 0, 0, 0, kim.Berlin))
		d := time.Since(start)
		addCPU(cpu, before)
		if err != nil {
			return d, err
		}
		if n := rep.Count(reminders.DigestKind, reminders.Sent); n != len(coaches) || rep.Failed() > 0 {
			return d, fmt.Errorf("kimbot's pass of %s: %s; want %d digests sent", day, rep, len(coaches))
		}
		return d, nil
	}
	noopPass := func(day kim.Date, cpu map[string]float64) (time.Duration, error) {
		posts, err := digestPosts(ctx, s, messenger, team.Id, coaches, day)
		if err != nil {
			return 0, err
		}
		before, start := proctree.Snapshot(), time.Now()
		err = parallel(*workers, len(coaches), func(i int) error {
			ch, _, err := noop.CreateDirectChannel(ctx, nb.UserId, coaches[i].id)
			if err != nil {
				return fmt.Errorf("do-nothing bot: direct channel: %w", err)
			}
			p := posts[i].Clone()
			p.ChannelId = ch.Id
			_, resp, err := noop.CreatePost(ctx, p)
			// A direct channel just created can be refused with 403 for a
			// moment (as kimbot's Messenger.Post knows): post again.
			for wait := 100 * time.Millisecond; err != nil && resp != nil && resp.StatusCode == http.StatusForbidden && wait <= 1600*time.Millisecond; wait *= 2 {
				time.Sleep(wait)
				_, resp, err = noop.CreatePost(ctx, p)
			}
			if err != nil {
				return fmt.Errorf("do-nothing bot: post: %w", err)
			}
			return nil
		})
		d := time.Since(start)
		addCPU(cpu, before)
		return d, err
	}

	// Warm-up: both bots' DM channels exist, caches and prepared statements are filled.
	if _, err := kimbotPass(day, map[string]float64{}); err != nil {
		return err
	}
	if _, err := noopPass(day, map[string]float64{}); err != nil {
		return err
	}
	load0 := loadAverage()
	fmt.Println("| round | day | first | kimbot pass s | do-nothing bot s | ratio |")
	fmt.Println("|---|---|---|---|---|---|")
	var kt, nt2 []time.Duration
	var ratios []float64
	cpuK, cpuN := map[string]float64{}, map[string]float64{}
	for r := range *rounds {
		day = kim.Workday(day.AddDays(1))
		if r == *rounds-1 && *cpuProfile != "" {
			if profile, err = os.Create(*cpuProfile); err != nil {
				return err
			}
			defer profile.Close()
		}
		var dk, dn time.Duration
		first := "kimbot"
		if r%2 == 0 {
			if dk, err = kimbotPass(day, cpuK); err == nil {
				dn, err = noopPass(day, cpuN)
			}
		} else {
			first = "do-nothing"
			if dn, err = noopPass(day, cpuN); err == nil {
				dk, err = kimbotPass(day, cpuK)
			}
		}
		if err != nil {
			return err
		}
		kt, nt2 = append(kt, dk), append(nt2, dn)
		ratios = append(ratios, float64(dk)/float64(dn))
		fmt.Printf("| %d | %s | %s | %.2f | %.2f | %.2f |\n", r+1, day, first, dk.Seconds(), dn.Seconds(), float64(dk)/float64(dn))
	}
	var sk, sn time.Duration
	for i := range kt {
		sk, sn = sk+kt[i], sn+nt2[i]
	}
	slices.Sort(ratios)
	fmt.Printf("%d rounds of %d digests (fresh service per pass: %v), load average %s → %s (1 min)\n", *rounds, len(coaches), *fresh, load0, loadAverage())
	fmt.Printf("kimbot %.2f s a pass (%.1f ms a digest), do-nothing bot %.2f s (%.1f ms a digest): ratio %.2f (of the sums), %.2f (median of the rounds)\n",
		sk.Seconds()/float64(len(kt)), ms(sk)/float64(len(kt)*len(coaches)), sn.Seconds()/float64(len(kt)), ms(sn)/float64(len(kt)*len(coaches)),
		float64(sk)/float64(sn), ratios[len(ratios)/2])
	self := proctree.Self()
	per := func(cpu map[string]float64) string {
		var parts []string
		for _, p := range []struct{ name, comm string }{{"Mattermost", "mattermost"}, {"Postgres", "postgres"}, {"Redis", "redis-server"}, {"this process", self}} {
			parts = append(parts, fmt.Sprintf("%s %.0f", p.name, 1000*cpu[p.comm]/float64(len(kt))))
		}
		return strings.Join(parts, ", ")
	}
	fmt.Printf("CPU ms a pass: kimbot's pass: %s; do-nothing bot: %s\n", per(cpuK), per(cpuN))

	// Exactly once: every coach's DM channel with kimbot holds one digest per pass.
	want := *rounds + 1
	err = parallel(4, len(coaches), func(i int) error {
		ch, _, err := admin.CreateDirectChannel(ctx, kb.BotID, coaches[i].id)
		if err != nil {
			return err
		}
		list, _, err := admin.GetPostsForChannel(ctx, ch.Id, 0, 200, "", false, false)
		if err != nil {
			return err
		}
		n := 0
		for _, p := range list.Posts {
			if p.UserId == kb.BotID && strings.HasPrefix(fmt.Sprint(p.GetProp(bot.DeliveryProp)), "digest:") {
				n++
			}
		}
		if n != want {
			return fmt.Errorf("%s has %d digests from kimbot, want %d", coaches[i].username, n, want)
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Printf("checked: every coach has exactly %d digests from kimbot\n", want)
	return nil
}

// digestPosts returns the posts of the coaches' digests of day as kimbot's
// pass makes them (their own items, nobody away; channel id left empty).
func digestPosts(ctx context.Context, s *store.Store, m *bot.Messenger, teamID string, coaches []coach, day kim.Date) ([]*model.Post, error) {
	routes := make([]store.Route, len(coaches))
	for i, c := range coaches {
		routes[i] = store.Route{TeamID: teamID, OwnerID: c.id, RecipientID: c.id, Day: day}
	}
	items, err := s.DueItems(ctx, routes)
	if err != nil {
		return nil, err
	}
	by := map[string][]kim.DueItem{}
	for _, it := range items {
		by[it.RecipientID] = append(by[it.RecipientID], it)
	}
	out := make([]*model.Post, len(coaches))
	for i, c := range coaches {
		if len(by[c.id]) == 0 {
			return nil, fmt.Errorf("%s has nothing due on %s", c.username, day)
		}
		key := "noop:" + c.id + ":" + day.String()
		p, err := m.NewPost("", kim.Target{UserID: c.id}, key, reminders.RenderDigest("de", day, by[c.id]))
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

// parallel runs f(0..n-1) with w at a time and returns the first error.
func parallel(w, n int, f func(i int) error) error {
	var next atomic.Int64
	var first atomic.Value
	var wg sync.WaitGroup
	for range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || first.Load() != nil {
					return
				}
				if err := f(i); err != nil {
					first.CompareAndSwap(nil, err)
				}
			}
		}()
	}
	wg.Wait()
	if err, ok := first.Load().(error); ok {
		return err
	}
	return nil
}

// addCPU adds the CPU time that this run's processes used since before to
// cpu, by command name.
func addCPU(cpu map[string]float64, before map[int]proctree.Proc) {
	for comm, sec := range tree.Since(before) {
		cpu[comm] += sec
	}
}

// tree is this run's processes (proctree.Find).
var tree *proctree.Tree

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// loadAverage returns the machine's one-minute load average.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}
