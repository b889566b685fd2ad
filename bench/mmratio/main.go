// Command mmratio measures what kimbot adds to Mattermost's own speed: it
// runs `/kim show <case>` through a real Mattermost server (started with
// devstack) as coaches would, interleaved with a do-nothing Go slash-command
// integration (/noop: it checks the token and answers "ok", in a process of
// its own; /noopdriver: the same inside this driver) and Mattermost's
// built-in /echo, and reports each one's latency as the client sees it and
// the ratio kimbot / do-nothing. Every answer is checked; the coaches keep
// below kimbot's 60 commands per minute; the users it made are deactivated
// at the end (an unlicensed Mattermost allows 250 active users).
//
//	go run ./bench/mmratio -n 1500   # with the KIMBOT_TEST_* environment of scripts/test (bench/run sets it)
package main

import (
	"bufio"
	"context"
	"crypto/subtle"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/bench/internal/profile"
	"github.com/kimbot-nrw/kimbot/bot"
	"github.com/kimbot-nrw/kimbot/devstack"
	"github.com/kimbot-nrw/kimbot/messages"
	"github.com/kimbot-nrw/kimbot/store"
)

var caseRef = regexp.MustCompile(`K-\d{4}-\d{4,6}`)

// noopEnv, set to "<addr> <token>", makes this binary the do-nothing
// integration's own process: it serves /noop on addr and does nothing else.
const noopEnv = "MMRATIO_NOOP"

func main() {
	if v := os.Getenv(noopEnv); v != "" {
		addr, token, _ := strings.Cut(v, " ")
		log.Fatal(http.ListenAndServe(addr, &noopIntegration{token: token}))
	}
	if err := benchmark(); err != nil {
		log.Fatal("mmratio: ", err)
	}
}

func benchmark() error {
	n := flag.Int("n", 1500, "measured rounds (one /kim show, /noop, /noopdriver and /echo each)")
	gap := flag.Duration("pace", 0, "time from one round's start to the next (0: as fast as kimbot's rate limit allows; 1.5s: a team that types a command every few seconds)")
	coaches := flag.Int("coaches", 40, "coaches taking turns (kimbot allows each 60 commands a minute)")
	bin := flag.String("kimbot", "", "kimbot binary (empty: build the release binary)")
	kimbotPG := flag.String("kimbot-postgres", "", "admin URL of a Postgres for kimbot's database (empty: the one Mattermost uses, KIMBOT_TEST_DATABASE_URL)")
	var kimbotEnv []string
	flag.Func("kimbot-env", "KIMBOT_…=value for kimbot's environment (repeatable), e.g. KIMBOT_CARD_CACHE=0", func(kv string) error {
		if k, _, ok := strings.Cut(kv, "="); !ok || !strings.HasPrefix(k, "KIMBOT_") {
			return fmt.Errorf("%q is not KIMBOT_…=value", kv)
		}
		kimbotEnv = append(kimbotEnv, kv)
		return nil
	})
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of kimbot over the measured rounds to this file (go tool pprof reads it)")
	flag.Parse()
	env := func(name string) string {
		v := os.Getenv(name)
		if v == "" {
			log.Fatalf("mmratio: %s is not set (bench/run sets it, as scripts/test does)", name) // nothing to clean up yet
		}
		return v
	}
	pgAdmin, redisURL := env("KIMBOT_TEST_DATABASE_URL"), env("KIMBOT_TEST_REDIS_URL")
	ctx := context.Background()

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
	team, err := admin.NewTeam(ctx, "bench-ratio", "bench ratio")
	if err != nil {
		return err
	}
	channel, err := admin.TownSquareID(ctx, team.Id)
	if err != nil {
		return err
	}

	// kimbot, provisioned into the team.
	if *bin == "" {
		tmp, err := os.MkdirTemp("", "kimbot-mmratio-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		*bin, err = devstack.BuildKimbot(ctx, tmp)
		if err != nil {
			return err
		}
	}
	kimbotAdmin := pgAdmin
	if *kimbotPG != "" {
		kimbotAdmin = *kimbotPG
	}
	dbURL, err := devstack.CreateDatabase(ctx, kimbotAdmin, "kimbot_mmratio")
	if err != nil {
		return err
	}
	defer devstack.DropDatabase(context.Background(), kimbotAdmin, dbURL)
	port, err := devstack.FreePort()
	if err != nil {
		return err
	}
	k := devstack.Kimbot{Bin: *bin, Env: devstack.KimbotConfig{MattermostURL: mm.URL, AdminToken: admin.AuthToken,
		Teams: []string{team.Name}, DatabaseURL: dbURL, RedisURL: redisURL, ListenAddr: fmt.Sprintf("127.0.0.1:%d", port),
		EncryptionKey: devstack.NewEncryptionKey()}.Env()}.With("KIMBOT_REMINDER_SCHEDULE", "0 3 1 1 *")
	for _, kv := range kimbotEnv {
		k = k.With(strings.SplitN(kv, "=", 2)...)
	}
	pprofAddr := ""
	if *cpuProfile != "" {
		pp, err := devstack.FreePort()
		if err != nil {
			return err
		}
		pprofAddr = fmt.Sprintf("127.0.0.1:%d", pp)
		k = k.With("KIMBOT_PPROF_ADDR", pprofAddr)
	}
	for _, cmd := range []string{"migrate", "provision"} {
		_, err := k.Run(ctx, cmd)
		if err != nil {
			return err
		}
	}
	serve, err := k.Serve(ctx)
	if err != nil {
		return err
	}
	defer serve.Stop(15 * time.Second)

	// The do-nothing integration, twice: /noop in a process of its own, as an
	// integration is deployed (idle between its commands, as kimbot is), and
	// /noopdriver inside this driver, whose process is busy with every command.
	noopPort, err := devstack.FreePort()
	if err != nil {
		return err
	}
	noopAddr := fmt.Sprintf("127.0.0.1:%d", noopPort)
	cmd, _, err := admin.CreateCommand(ctx, &model.Command{TeamId: team.Id, Trigger: "noop", Method: model.CommandMethodPost,
		URL: "http://" + noopAddr, DisplayName: "noop", Username: "noop"})
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	child := exec.Command(self)
	child.Env = append(os.Environ(), noopEnv+"="+noopAddr+" "+cmd.Token)
	noopProc, err := devstack.StartProcess("noop", child, nil)
	if err != nil {
		return err
	}
	defer noopProc.Stop(5 * time.Second)
	if err := waitListening(noopAddr, noopProc); err != nil {
		return err
	}
	inDriver := &noopIntegration{}
	srv := httptest.NewServer(inDriver)
	defer srv.Close()
	cmd, _, err = admin.CreateCommand(ctx, &model.Command{TeamId: team.Id, Trigger: "noopdriver", Method: model.CommandMethodPost,
		URL: srv.URL, DisplayName: "noopdriver", Username: "noop"})
	if err != nil {
		return err
	}
	inDriver.token = cmd.Token

	// Coaches, each with a case.
	type coach struct {
		c   *devstack.Client
		ref string
	}
	var users []coach
	defer func() { // deactivate everyone this run made
		for _, u := range users {
			if _, err := admin.DeleteUser(context.Background(), u.c.UserID()); err != nil {
				log.Printf("mmratio: deactivate %s: %v", u.c.Username(), err)
			}
		}
	}()
	for i := range *coaches {
		c, err := admin.NewUser(ctx, devstack.UserSpec{Username: fmt.Sprintf("benchcoach%02d", i), Locale: "de"})
		if err != nil {
			return err
		}
		users = append(users, coach{c: c})
		if err := admin.AddToTeam(ctx, team.Id, c.UserID()); err != nil {
			return err
		}
		for {
			r, err := admin.ExecuteCommand(ctx, team.Id, channel, "/kim admin role @"+c.Username()+" coach")
			if err != nil {
				return err
			}
			if r.Text != messages.T("de", "err.rate_limited", nil) {
				break
			}
			// The admin's 60 commands a minute are used up (more than 60
			// coaches): wait for the next minute's window.
			time.Sleep(time.Until(store.RateWindowEnd(time.Now(), time.Minute).Add(time.Second)))
		}
		r, err := c.ExecuteCommand(ctx, team.Id, channel, "/kim open P"+strconv.Itoa(i)+" group=eu consent=yes")
		if err != nil {
			return err
		}
		ref := caseRef.FindString(r.Text)
		if ref == "" {
			return fmt.Errorf("/kim open answered %q", r.Text)
		}
		users[i].ref = ref
	}

	kinds := []string{"/kim show", "/noop", "/noopdriver", "/echo"}
	run := func(u coach, kind string) (time.Duration, error) {
		line, want := kind, ""
		switch kind {
		case "/kim show":
			line, want = "/kim show "+u.ref, u.ref+" · "
		case "/noop", "/noopdriver":
			want = "ok"
		case "/echo":
			line = "/echo bench"
		}
		start := time.Now()
		r, err := u.c.ExecuteCommand(ctx, team.Id, channel, line)
		d := time.Since(start)
		if err == nil && !strings.Contains(r.Text, want) {
			err = fmt.Errorf("%s: answer %q lacks %q", line, r.Text, want)
		}
		return d, err
	}
	for _, u := range users { // warm: kimbot's profile cache and prepared statements, Mattermost's caches
		for _, kind := range kinds {
			if _, err := run(u, kind); err != nil {
				return err
			}
		}
	}
	statements := profile.ResetStatements(ctx, dbURL)
	before := kimbotSeconds(k.BaseURL())
	pace := max(time.Minute/time.Duration(45**coaches), *gap)
	profiled := make(chan error, 1)
	if pprofAddr != "" {
		go func() { profiled <- profile.CPUTo(*cpuProfile, pprofAddr, time.Duration(*n)*pace) }()
	}

	// Interleaved rounds, the order rotating, paced so that no coach runs
	// more than 45 kimbot commands a minute.
	lat := map[string][]time.Duration{}
	var ratios, ratiosDriver []float64
	start := time.Now()
	load0 := loadAverage()
	for i := range *n {
		time.Sleep(time.Until(start.Add(time.Duration(i) * pace)))
		u := users[i%len(users)]
		got := map[string]time.Duration{}
		for j := range kinds {
			kind := kinds[(i+j)%len(kinds)]
			d, err := run(u, kind)
			if err != nil {
				return err
			}
			got[kind] = d
			lat[kind] = append(lat[kind], d)
		}
		ratios = append(ratios, float64(got["/kim show"])/float64(got["/noop"]))
		ratiosDriver = append(ratiosDriver, float64(got["/kim show"])/float64(got["/noopdriver"]))
	}
	after := kimbotSeconds(k.BaseURL())
	fmt.Printf("%d rounds over %d coaches in %s, load average %s → %s (1 min)\n", *n, *coaches,
		time.Since(start).Round(time.Second), load0, loadAverage())
	fmt.Println("| command | median ms | p90 ms | p99 ms |")
	fmt.Println("|---|---|---|---|")
	for _, kind := range kinds {
		l := lat[kind]
		slices.Sort(l)
		fmt.Printf("| `%s` | %.2f | %.2f | %.2f |\n", kind, ms(q(l, 0.5)), ms(q(l, 0.9)), ms(q(l, 0.99)))
	}
	slices.Sort(ratios)
	slices.Sort(ratiosDriver)
	fmt.Printf("ratio /kim show ÷ /noop: %.2f (of the medians), %.2f (median of the rounds' ratios)\n",
		ms(q(lat["/kim show"], 0.5))/ms(q(lat["/noop"], 0.5)), ratios[len(ratios)/2])
	fmt.Printf("ratio /kim show ÷ /noopdriver (in the driver's process): %.2f (of the medians), %.2f (median of the rounds' ratios)\n",
		ms(q(lat["/kim show"], 0.5))/ms(q(lat["/noopdriver"], 0.5)), ratiosDriver[len(ratiosDriver)/2])
	if after.count > before.count {
		per := after.count - before.count
		fmt.Printf("inside kimbot (kimbot_command_duration_seconds): %.2f ms a command on average\n",
			1000*(after.sum-before.sum)/per)
		fmt.Print("phases (kimbot_command_phase_seconds), ms a command:")
		for _, p := range bot.CommandPhases {
			fmt.Printf(" %s %.2f", p, 1000*(after.phases[p]-before.phases[p])/per)
		}
		fmt.Println()
	}
	if statements {
		t, err := profile.Statements(ctx, dbURL, 15, float64(*n))
		if err != nil {
			return err
		}
		fmt.Printf("kimbot's statements during the rounds (pg_stat_statements, execution only):\n%s", t)
	}
	if pprofAddr != "" {
		if err := <-profiled; err != nil {
			return fmt.Errorf("kimbot CPU profile: %w", err)
		}
		fmt.Printf("kimbot CPU profile of the rounds: %s\n", *cpuProfile)
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func q(sorted []time.Duration, p float64) time.Duration {
	i := int(p*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// noopIntegration is the do-nothing slash-command integration: it checks the
// command token and answers an ephemeral "ok".
type noopIntegration struct{ token string }

func (n *noopIntegration) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || subtle.ConstantTimeCompare([]byte(r.PostForm.Get("token")), []byte(n.token)) != 1 {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(&model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral, Text: "ok"})
}

// waitListening waits until something accepts connections on addr, for at
// most ten seconds or until proc exits.
func waitListening(addr string, proc *devstack.Process) error {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if proc.Exited() {
			return fmt.Errorf("the noop process exited: %s", proc.Output())
		}
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return nil
		}
	}
	return fmt.Errorf("nothing listens on %s", addr)
}

type histogram struct {
	sum, count float64
	phases     map[string]float64 // phase → seconds (kimbot_command_phase_seconds_sum)
}

// kimbotSeconds reads kimbot's command duration histogram from /metrics.
func kimbotSeconds(base string) histogram {
	h := histogram{phases: map[string]float64{}}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		return h
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 {
			continue
		}
		v, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "kimbot_command_duration_seconds_sum":
			h.sum = v
		case "kimbot_command_duration_seconds_count":
			h.count = v
		}
		if p, ok := strings.CutPrefix(f[0], `kimbot_command_phase_seconds_sum{phase="`); ok {
			h.phases[strings.TrimSuffix(p, `"}`)] = v
		}
	}
	return h
}

// loadAverage returns the machine's one-minute load average.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}
