// Command kimdemo runs kimbot with a local Mattermost for trying it out: it starts Mattermost,
// creates a demo team with a coach and a coordinator, provisions and starts kimbot, shows a short
// guided tour as the coach, and then offers a prompt until Ctrl-C: /kim commands as one of the
// demo users, the dialogs they open (filled in at the prompt), one reminder pass as if it were a
// given time, and kimbot's direct messages with their buttons.
//
// Start it with scripts/demo, which provides Postgres, Redis and the Mattermost binary. Its state
// (databases, passwords, kimbot's encryption key, logs) lives in .stack/ and survives reruns.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
	_ "time/tzdata" // Europe/Berlin without the system's zone files

	"github.com/kimbot-nrw/kimbot/devstack"
	"github.com/kimbot-nrw/kimbot/kim"
)

const (
	teamName    = "kim-demo"
	adminName   = "sysadmin"
	coachName   = "coach"
	coordName   = "koordination"
	botUsername = "kimbot"
)

// options are kimdemo's command-line flags.
type options struct {
	stackDir    string
	postgresURL string
	redisURL    string
	mmBin       string
	mmAssets    string
	mmClient    string
	mmPort      int
	kimbotPort  int
	noShell     bool
	// mmDatabase and kimbotDatabase name the databases on the Postgres server (default
	// "mattermost" and "kimbot"; tests use their own).
	mmDatabase, kimbotDatabase string
}

// state is what kimdemo keeps between runs in .stack/kimdemo.json.
type state struct {
	EncryptionKey string            `json:"encryption_key"`
	Passwords     map[string]string `json:"passwords"`
	// TourCase is the case the first tour opened; later tours show it instead of opening another.
	TourCase string `json:"tour_case,omitempty"`

	path string
}

func main() {
	var o options
	flag.StringVar(&o.stackDir, "stack", ".stack", "directory for the demo's state (kept between runs)")
	flag.StringVar(&o.postgresURL, "postgres", os.Getenv("KIMDEMO_POSTGRES_URL"), "Postgres superuser URL (scripts/demo sets it)")
	flag.StringVar(&o.redisURL, "redis", os.Getenv("KIMDEMO_REDIS_URL"), "Redis URL (scripts/demo sets it)")
	flag.StringVar(&o.mmBin, "mattermost-bin", os.Getenv("KIMBOT_TEST_MATTERMOST_BIN"), "Mattermost server binary (scripts/build-mattermost)")
	flag.StringVar(&o.mmAssets, "mattermost-assets", os.Getenv("KIMBOT_TEST_MATTERMOST_ASSETS"), "directory with Mattermost's i18n/, templates/, fonts/")
	flag.StringVar(&o.mmClient, "mattermost-client", os.Getenv("KIMDEMO_MATTERMOST_CLIENT"), "optional: a Mattermost web app (client/ of a release tarball) for a browser UI")
	flag.IntVar(&o.mmPort, "port", 8065, "Mattermost port (another free one if taken; 0 picks one)")
	flag.IntVar(&o.kimbotPort, "kimbot-port", 8066, "kimbot port (another free one if taken; 0 picks one)")
	flag.BoolVar(&o.noShell, "no-shell", false, "do not read commands from stdin; just run until Ctrl-C")
	flag.Parse()

	// Ctrl-C, kill and a closed terminal stop the demo and everything it started. So does a
	// reader of our output that went away (`scripts/demo | head`, or a tee that the same Ctrl-C
	// ended first): with SIGPIPE caught, such a write fails with EPIPE instead of killing us
	// before we stopped Mattermost and kimbot.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := &output{w: os.Stdout, broken: cancel}
	var in io.Reader = os.Stdin
	if o.noShell {
		in = nil
	}
	if err := run(ctx, o, in, out); err != nil {
		fmt.Fprintf(os.Stderr, "kimdemo: %v\n", err)
		os.Exit(1)
	}
}

// output is the demo's standard output; broken is called once when its reader has gone away.
type output struct {
	w      io.Writer
	broken func()
	once   sync.Once
}

func (o *output) Write(p []byte) (int, error) {
	n, err := o.w.Write(p)
	if errors.Is(err, syscall.EPIPE) {
		o.once.Do(o.broken)
	}
	return n, err
}

// run sets up the demo, shows the tour and runs the prompt on in (nil: no prompt) until ctx ends
// or the person quits; everything it started is stopped before it returns.
func run(ctx context.Context, o options, in io.Reader, out io.Writer) error {
	if o.postgresURL == "" || o.redisURL == "" || o.mmBin == "" || o.mmAssets == "" {
		return errors.New("missing Postgres, Redis or Mattermost settings: start the demo with scripts/demo")
	}
	if o.mmDatabase == "" {
		o.mmDatabase = "mattermost"
	}
	if o.kimbotDatabase == "" {
		o.kimbotDatabase = "kimbot"
	}
	p := printer{out}
	stackDir, err := filepath.Abs(o.stackDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(stackDir, 0o755); err != nil {
		return err
	}
	st, err := loadState(filepath.Join(stackDir, "kimdemo.json"))
	if err != nil {
		return err
	}
	mmLog, err := openLog(filepath.Join(stackDir, "mattermost.log"))
	if err != nil {
		return err
	}
	defer mmLog.Close()
	kimLog, err := openLog(filepath.Join(stackDir, "kimbot.log"))
	if err != nil {
		return err
	}
	defer kimLog.Close()

	setup, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()

	// Mattermost.
	mmDB, err := devstack.EnsureDatabase(setup, o.postgresURL, o.mmDatabase)
	if err != nil {
		return err
	}
	port := o.mmPort
	if port != 0 && !devstack.PortFree(port) {
		p.note("port %d is taken; Mattermost gets another one", port)
		port = 0
	}
	p.step("Starting Mattermost (first start sets up its database; log: %s)", mmLog.Name())
	mm, err := devstack.StartMattermost(setup, devstack.MattermostConfig{
		Bin: o.mmBin, Assets: o.mmAssets, ClientDir: o.mmClient,
		DatabaseURL: mmDB, WorkDir: filepath.Join(stackDir, "mattermost"), Port: port,
		DefaultLocale: "de", Log: mmLog,
	})
	if err != nil {
		return err
	}
	defer func() {
		p.step("Stopping Mattermost")
		if err := mm.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}()

	// Admin, team, users.
	admin, err := ensureAdmin(setup, p, mm, st)
	if err != nil {
		return err
	}
	team, _, err := admin.GetTeamByName(setup, teamName, "")
	if err != nil {
		p.step("Creating team %s", teamName)
		if team, err = admin.NewTeam(setup, teamName, "KIM Demo"); err != nil {
			return err
		}
	}
	if err := admin.AddToTeam(setup, team.Id, admin.UserID()); err != nil {
		return err
	}
	users := map[string]*devstack.Client{adminName: admin}
	for _, spec := range []devstack.UserSpec{
		{Username: coachName, FirstName: "Coach", LastName: "Caritas", Locale: "de", TimeZone: "Europe/Berlin"},
		{Username: coordName, FirstName: "KIM", LastName: "Koordination", Locale: "de", TimeZone: "Europe/Berlin"},
	} {
		c, err := ensureUser(setup, p, mm, admin, st, spec)
		if err != nil {
			return err
		}
		if err := admin.AddToTeam(setup, team.Id, c.UserID()); err != nil {
			return err
		}
		users[spec.Username] = c
	}
	if err := st.save(); err != nil {
		return err
	}
	townSquare, err := admin.TownSquareID(setup, team.Id)
	if err != nil {
		return err
	}

	// kimbot.
	p.step("Building kimbot")
	bin, err := devstack.BuildKimbot(setup, filepath.Join(stackDir, "bin"))
	if err != nil {
		return err
	}
	kimDB, err := devstack.EnsureDatabase(setup, o.postgresURL, o.kimbotDatabase)
	if err != nil {
		return err
	}
	kport := o.kimbotPort
	if kport == 0 || !devstack.PortFree(kport) {
		if kport, err = devstack.FreePort(); err != nil {
			return err
		}
	}
	kimbot := devstack.Kimbot{Bin: bin, Log: kimLog, Env: devstack.KimbotConfig{
		MattermostURL: mm.URL, AdminToken: admin.AuthToken, Teams: []string{teamName},
		DatabaseURL: kimDB, RedisURL: o.redisURL, ListenAddr: fmt.Sprintf("127.0.0.1:%d", kport),
		EncryptionKey: st.EncryptionKey,
	}.Env()}
	p.step("kimbot migrate")
	if _, err := kimbot.Run(setup, "migrate"); err != nil {
		return err
	}
	p.step("kimbot provision (bot account @%s, /kim in team %s)", botUsername, teamName)
	if _, err := kimbot.Run(setup, "provision"); err != nil {
		return err
	}
	p.step("Starting kimbot serve on %s (log: %s)", kimbot.BaseURL(), kimLog.Name())
	serve, err := kimbot.Serve(setup)
	if err != nil {
		return err
	}
	defer func() {
		p.step("Stopping kimbot")
		if err := serve.Stop(15 * time.Second); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}()

	// The shell's context ends before Mattermost and kimbot stop, so its listeners let go first.
	shellCtx, stopShell := context.WithCancel(ctx)
	defer stopShell()
	sh := newShell(shellCtx, out, team.Id, townSquare, users, kimbot)
	p.step("Listening on each demo user's Mattermost WebSocket (dialogs and answers only a client sees)")
	for name, c := range users {
		ev, err := c.Listen(setup)
		if err != nil {
			return err
		}
		defer ev.Close()
		go sh.forward(name, ev)
	}

	p.step("Granting roles as %s", adminName)
	for _, line := range []string{
		"/kim admin role @" + coachName + " coach org=Caritas",
		"/kim admin role @" + coordName + " coordinator",
	} {
		if err := sh.command(adminName, line); err != nil {
			return err
		}
	}

	p.step("A short tour as @%s", coachName)
	if err := sh.command(coachName, "/kim hilfe"); err != nil {
		return err
	}
	if st.TourCase == "" {
		answer, err := sh.exec(coachName, "/kim open AB group=refugee domain=SGB2 consent=yes")
		if err != nil {
			return err
		}
		st.TourCase = caseRef.FindString(answer)
		if err := st.save(); err != nil {
			return err
		}
	}
	if err := sh.command(coachName, "/kim fälle"); err != nil {
		return err
	}
	if st.TourCase != "" {
		if err := sh.command(coachName, "/kim zeige "+st.TourCase); err != nil {
			return err
		}
	} else {
		p.note("no case reference (K-YYYY-NNNN) in the answer to /kim open; skipping /kim zeige")
	}

	printSummary(out, mm.URL, o.mmClient != "", st, kimbot.BaseURL(), stackDir, suggestRemind(time.Now()))

	var lines <-chan string
	if in != nil {
		ch := make(chan string)
		go readLines(ctx, in, ch)
		lines = ch
		sh.as = coachName
	}
	return sh.loop(lines, serve)
}

var caseRef = regexp.MustCompile(`(?i)\bK-\d{4}-\d{3,}\b`)

// ensureAdmin logs the demo admin in, creating it as the server's first user on the first run.
func ensureAdmin(ctx context.Context, p printer, mm *devstack.Mattermost, st *state) (*devstack.Client, error) {
	pw := st.password(adminName)
	if c, err := mm.Login(ctx, adminName, pw); err == nil {
		return c, nil
	}
	p.step("Creating the system admin %s", adminName)
	c, err := mm.CreateFirstAdmin(ctx, adminName, pw)
	if err != nil {
		return nil, fmt.Errorf("%w\n(the Mattermost database in .stack/ belongs to other passwords: remove .stack/ to start over)", err)
	}
	return c, nil
}

// ensureUser logs a demo user in, creating them on the first run.
func ensureUser(ctx context.Context, p printer, mm *devstack.Mattermost, admin *devstack.Client, st *state, spec devstack.UserSpec) (*devstack.Client, error) {
	spec.Password = st.password(spec.Username)
	if c, err := mm.Login(ctx, spec.Username, spec.Password); err == nil {
		return c, nil
	}
	p.step("Creating user %s", spec.Username)
	return admin.NewUser(ctx, spec)
}

// readLines sends the lines of r to out until r ends (then closes out) or ctx ends.
func readLines(ctx context.Context, r io.Reader, out chan<- string) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		select {
		case out <- sc.Text():
		case <-ctx.Done():
			return
		}
	}
	close(out)
}

func printSummary(w io.Writer, mmURL string, webapp bool, st *state, kimbotURL, stackDir string, remindAt time.Time) {
	fmt.Fprintf(w, `
================================================================================
 kimbot demo is running

 Mattermost   %s   (team %q; REST API and WebSocket only, see below)
 kimbot       %s
 Logins       %-13s password %s   (system admin)
              %-13s password %s   (coach, org Caritas)
              %-13s password %s   (coordinator)
 State, logs  %s   (kept between runs; delete it to start over)
 Times        Europe/Berlin
`, mmURL, teamName, kimbotURL,
		adminName, st.Passwords[adminName], coachName, st.Passwords[coachName], coordName, st.Passwords[coordName], stackDir)
	if webapp {
		fmt.Fprintf(w, `
 Mattermost serves the web app given with -mattermost-client at %s
 (the project's tests do not cover that).
`, mmURL)
	} else {
		fmt.Fprintf(w, `
 This Mattermost is built from source without its web app. What works: the prompt below, which
 acts as the demo users through Mattermost's REST API and WebSocket exactly as a client does,
 and the REST API itself, e.g.
     curl -si -d '{"login_id":"%s","password":"%s"}' %s/api/v4/users/login
 (send the Token header it returns as "Authorization: Bearer <token>"). There is no page to open
 in a browser, the Mattermost desktop app cannot be used (it shows the server's web app), and
 no phone reaches a server on 127.0.0.1 (the mobile apps were not tried). For a browser UI,
 unpack a Mattermost release tarball (mattermost-team-<version>-linux-amd64.tar.gz) and run
     scripts/demo -mattermost-client <unpacked>/mattermost/client
`, coachName, st.Passwords[coachName], mmURL)
	}
	fmt.Fprintf(w, `
 Try at the prompt below (you are %s; "help" lists everything):
   /kim neu                    opens kimbot's form for a new case; the prompt asks for each field
   /kim kontakt AB Telefon Termin vereinbart minuten 15
                               a contact of 15 minutes for the tour case, named by its pseudonym
   remind %s     one reminder pass as if it were then: the digest kimbot sends
                               the coach (first assessment of the tour case due), with buttons
   press <n>                   presses button n of the messages shown last
 Ctrl-C stops everything the demo started.
================================================================================
`, coachName, remindAt.Format("2006-01-02 15:04"))
}

// printer writes the demo's progress lines.
type printer struct{ w io.Writer }

func (p printer) step(format string, args ...any) { fmt.Fprintf(p.w, "==> "+format+"\n", args...) }

func (p printer) note(format string, args ...any) { fmt.Fprintf(p.w, "    "+format+"\n", args...) }

func loadState(path string) (*state, error) {
	st := &state{path: path}
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, err
	default:
		if err := json.Unmarshal(b, st); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	if st.Passwords == nil {
		st.Passwords = map[string]string{}
	}
	if st.EncryptionKey == "" {
		st.EncryptionKey = devstack.NewEncryptionKey()
	}
	return st, st.save()
}

func (st *state) save() error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(st.path, append(b, '\n'), 0o600)
}

// password returns the demo password of user, making one up on first use.
func (st *state) password(user string) string {
	if st.Passwords[user] == "" {
		b := make([]byte, 3)
		_, _ = rand.Read(b)
		st.Passwords[user] = "KimDemo-" + hex.EncodeToString(b)
	}
	return st.Passwords[user]
}

func openLog(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
}

func indent(s, prefix string) string {
	if s == "" {
		return prefix + "(empty answer)"
	}
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// berlin formats a Mattermost timestamp (milliseconds) in Europe/Berlin.
func berlin(ms int64) string {
	return time.UnixMilli(ms).In(kim.Berlin).Format("02.01.2006 15:04 MST")
}
