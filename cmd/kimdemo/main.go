// Command kimdemo runs kimbot with a local Mattermost for trying it out: it starts Mattermost,
// creates a demo team with a coach and a coordinator, provisions and starts kimbot, shows a short
// guided tour as the coach, and then lets you type /kim commands until Ctrl-C.
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
	"syscall"
	"time"

	"github.com/kimbot-nrw/kimbot/devstack"
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
	flag.IntVar(&o.mmPort, "port", 8065, "Mattermost port (another free one if taken)")
	flag.IntVar(&o.kimbotPort, "kimbot-port", 8066, "kimbot port (another free one if taken)")
	flag.BoolVar(&o.noShell, "no-shell", false, "do not read commands from stdin; just run until Ctrl-C")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintf(os.Stderr, "kimdemo: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	if o.postgresURL == "" || o.redisURL == "" || o.mmBin == "" || o.mmAssets == "" {
		return errors.New("missing Postgres, Redis or Mattermost settings: start the demo with scripts/demo")
	}
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
	mmDB, err := devstack.EnsureDatabase(setup, o.postgresURL, "mattermost")
	if err != nil {
		return err
	}
	port := o.mmPort
	if !devstack.PortFree(port) {
		port = 0
	}
	step("Starting Mattermost (first start sets up its database; log: %s)", mmLog.Name())
	mm, err := devstack.StartMattermost(setup, devstack.MattermostConfig{
		Bin: o.mmBin, Assets: o.mmAssets, ClientDir: o.mmClient,
		DatabaseURL: mmDB, WorkDir: filepath.Join(stackDir, "mattermost"), Port: port,
		DefaultLocale: "de", Log: mmLog,
	})
	if err != nil {
		return err
	}
	defer func() {
		step("Stopping Mattermost")
		if err := mm.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}()
	if port == 0 {
		note("port %d was taken; Mattermost listens on %s", o.mmPort, mm.URL)
	}

	// Admin, team, users.
	admin, err := ensureAdmin(setup, mm, st)
	if err != nil {
		return err
	}
	team, _, err := admin.GetTeamByName(setup, teamName, "")
	if err != nil {
		step("Creating team %s", teamName)
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
		c, err := ensureUser(setup, mm, admin, st, spec)
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
	step("Building kimbot")
	bin, err := devstack.BuildKimbot(setup, filepath.Join(stackDir, "bin"))
	if err != nil {
		return err
	}
	kimDB, err := devstack.EnsureDatabase(setup, o.postgresURL, "kimbot")
	if err != nil {
		return err
	}
	kport := o.kimbotPort
	if !devstack.PortFree(kport) {
		if kport, err = devstack.FreePort(); err != nil {
			return err
		}
	}
	kim := devstack.Kimbot{Bin: bin, Log: kimLog, Env: devstack.KimbotConfig{
		MattermostURL: mm.URL, AdminToken: admin.AuthToken, Teams: []string{teamName},
		DatabaseURL: kimDB, RedisURL: o.redisURL, ListenAddr: fmt.Sprintf("127.0.0.1:%d", kport),
		EncryptionKey: st.EncryptionKey,
	}.Env()}
	step("kimbot migrate")
	if _, err := kim.Run(setup, "migrate"); err != nil {
		return err
	}
	step("kimbot provision (bot account @%s, /kim in team %s)", botUsername, teamName)
	if _, err := kim.Run(setup, "provision"); err != nil {
		return err
	}
	step("Starting kimbot serve on %s (log: %s)", kim.BaseURL(), kimLog.Name())
	serve, err := kim.Serve(setup)
	if err != nil {
		return err
	}
	defer func() {
		step("Stopping kimbot")
		if err := serve.Stop(15 * time.Second); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}()

	sh := &shell{ctx: ctx, teamID: team.Id, channelID: townSquare, users: users, out: os.Stdout}
	step("Granting roles as %s", adminName)
	for _, line := range []string{
		"/kim admin role @" + coachName + " coach org=Caritas",
		"/kim admin role @" + coordName + " coordinator",
	} {
		if err := sh.command(adminName, line); err != nil {
			return err
		}
	}

	step("A short tour as @%s", coachName)
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
	if err := sh.command(coachName, "/kim faelle"); err != nil {
		return err
	}
	if st.TourCase != "" {
		if err := sh.command(coachName, "/kim zeige "+st.TourCase); err != nil {
			return err
		}
	} else {
		note("no case reference (K-YYYY-NNNN) in the answer to /kim open; skipping /kim zeige")
	}

	printSummary(mm.URL, o.mmClient != "", st, kim.BaseURL(), stackDir)

	lines := make(chan string)
	if !o.noShell {
		go readLines(os.Stdin, lines)
		sh.as = coachName
		sh.prompt()
	}
	for {
		select {
		case <-ctx.Done():
			fmt.Println()
			return nil
		case <-serve.Done():
			return fmt.Errorf("kimbot serve exited unexpectedly:\n%s", devstack.Tail(serve.Output(), 40))
		case line, ok := <-lines:
			if !ok {
				lines = nil // stdin closed: keep running until Ctrl-C
				continue
			}
			if sh.handle(line) {
				return nil
			}
			sh.prompt()
		}
	}
}

var caseRef = regexp.MustCompile(`(?i)\bK-\d{4}-\d{3,}\b`)

// ensureAdmin logs the demo admin in, creating it as the server's first user on the first run.
func ensureAdmin(ctx context.Context, mm *devstack.Mattermost, st *state) (*devstack.Client, error) {
	pw := st.password(adminName)
	if c, err := mm.Login(ctx, adminName, pw); err == nil {
		return c, nil
	}
	step("Creating the system admin %s", adminName)
	c, err := mm.CreateFirstAdmin(ctx, adminName, pw)
	if err != nil {
		return nil, fmt.Errorf("%w\n(the Mattermost database in .stack/ belongs to other passwords: remove .stack/ to start over)", err)
	}
	return c, nil
}

// ensureUser logs a demo user in, creating them on the first run.
func ensureUser(ctx context.Context, mm *devstack.Mattermost, admin *devstack.Client, st *state, spec devstack.UserSpec) (*devstack.Client, error) {
	spec.Password = st.password(spec.Username)
	if c, err := mm.Login(ctx, spec.Username, spec.Password); err == nil {
		return c, nil
	}
	step("Creating user %s", spec.Username)
	return admin.NewUser(ctx, spec)
}

// shell executes slash commands as one of the demo users and prints what they see.
type shell struct {
	ctx       context.Context
	teamID    string
	channelID string
	users     map[string]*devstack.Client
	as        string
	out       io.Writer
}

// exec runs line as user and prints the exchange; it returns the answer text.
func (s *shell) exec(user, line string) (string, error) {
	ctx, cancel := context.WithTimeout(s.ctx, 45*time.Second)
	defer cancel()
	fmt.Fprintf(s.out, "\n  %s> %s\n", user, line)
	resp, err := s.users[user].ExecuteCommand(ctx, s.teamID, s.channelID, line)
	if err != nil {
		return "", err
	}
	text := devstack.ResponseText(resp)
	fmt.Fprintln(s.out, indent(text, "    "))
	return text, nil
}

// command is exec without the answer.
func (s *shell) command(user, line string) error {
	_, err := s.exec(user, line)
	return err
}

func (s *shell) prompt() { fmt.Fprintf(s.out, "\n%s> ", s.as) }

// handle runs one line typed by the person at the terminal; it reports whether to quit.
func (s *shell) handle(line string) (quit bool) {
	line = strings.TrimSpace(line)
	fields := strings.Fields(line)
	switch {
	case line == "":
	case line == "quit" || line == "exit":
		return true
	case line == "help" || line == "?":
		fmt.Fprintln(s.out, shellHelp)
	case fields[0] == "as" && len(fields) == 2:
		if _, ok := s.users[fields[1]]; !ok {
			fmt.Fprintf(s.out, "unknown user %q (%s, %s, %s)\n", fields[1], coachName, coordName, adminName)
		} else {
			s.as = fields[1]
		}
	case line == "dms":
		s.showDMs()
	case strings.HasPrefix(line, "/"):
		if _, err := s.exec(s.as, line); err != nil {
			fmt.Fprintln(s.out, "error:", err)
		}
	default:
		fmt.Fprintln(s.out, "type a /kim command, or help")
	}
	return false
}

func (s *shell) showDMs() {
	ctx, cancel := context.WithTimeout(s.ctx, 30*time.Second)
	defer cancel()
	posts, err := s.users[s.as].DirectPostsFrom(ctx, botUsername)
	if err != nil {
		fmt.Fprintln(s.out, "error:", err)
		return
	}
	if len(posts) == 0 {
		fmt.Fprintf(s.out, "no direct messages from @%s to %s yet\n", botUsername, s.as)
	}
	for _, p := range posts {
		when := time.UnixMilli(p.CreateAt).Format("2006-01-02 15:04")
		fmt.Fprintf(s.out, "  [%s] %s\n", when, indent(devstack.PostText(p), "    ")[4:])
	}
}

const shellHelp = `  /kim …          run a command as the current user (e.g. /kim faelle, /kim hilfe open)
  as <user>       switch user: coach, koordination or sysadmin
  dms             show kimbot's direct messages to the current user
  quit            stop the demo (or Ctrl-C)`

func readLines(r io.Reader, out chan<- string) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		out <- sc.Text()
	}
	close(out)
}

func printSummary(mmURL string, webapp bool, st *state, kimbotURL, stackDir string) {
	fmt.Printf(`
================================================================================
 kimbot demo is running

 Mattermost   %s   (team %q)
 kimbot       %s
 Logins       %-13s password %s   (system admin)
              %-13s password %s   (coach, org Caritas)
              %-13s password %s   (coordinator)
 State, logs  %s   (kept between runs; delete it to start over)
`, mmURL, teamName, kimbotURL,
		adminName, st.Passwords[adminName], coachName, st.Passwords[coachName], coordName, st.Passwords[coordName], stackDir)
	if !webapp {
		fmt.Printf(`
 This Mattermost is built from source without its web app: use the prompt below or the
 REST API. For a browser UI, unpack a Mattermost 11.4 release tarball
 (mattermost-team-11.4.*-linux-amd64.tar.gz) and run:
     scripts/demo -mattermost-client <unpacked>/mattermost/client
`)
	}
	fmt.Printf(`
 Type /kim commands below as %s ("help" lists more). Ctrl-C stops everything.
================================================================================
`, coachName)
}

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

func step(format string, args ...any) { fmt.Printf("==> "+format+"\n", args...) }

func note(format string, args ...any) { fmt.Printf("    "+format+"\n", args...) }

func indent(s, prefix string) string {
	if s == "" {
		return prefix + "(empty answer)"
	}
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
