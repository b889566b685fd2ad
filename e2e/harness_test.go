// Package e2e tests kimbot end to end: a real Mattermost server, a real `kimbot serve`, Postgres
// and Redis, and users acting through Mattermost's REST API exactly as people would.
//
// Run it with scripts/test (it starts everything and sets the KIMBOT_TEST_* variables). TestMain
// starts one Mattermost and one `kimbot serve` for the whole package; each test makes its own
// team with newTeamEnv, so tests do not see each other's data and may use t.Parallel — except
// the ones that take shared pieces down (mattermostDown, restartServe), which must not.
//
//	env := newTeamEnv(t, withOwnKimbot())          // own kimbot: remind passes stay private
//	coach := env.newUser(t, "coach", "de")         // username coach-t7
//	env.grant(t, coach, "coach", "org=Caritas")
//	ans := coach.kimText(t, "open AB group=refugee consent=yes")
//	env.remindNow(t, time.Date(2026, 3, 2, 8, 0, 0, 0, berlin))
//	dm := coach.waitBotDMs(t, 1)[0]
//	coach.listen(t)                                // record ephemeral posts from now on
//	coach.press(t, dm, "done")
//	coach.waitEphemeral(t, "erledigt")
//	d := coach.kimDialog(t, "open")                // a dialog, as the web app would show it
//	coach.submitDialog(t, d, map[string]any{"pseudonym": "CD"})
//
// A remind pass sends everything due in its database, across teams: tests about reminders that
// may run in parallel with others use withOwnKimbot and env.remindNow. No `kimbot serve` of the
// suite runs passes on the real clock (neverSchedule) unless a test starts a replica with its own
// KIMBOT_REMINDER_SCHEDULE and KIMBOT_TEST_NOW.
//
// KIMBOT_TEST_VERBOSE=1 copies Mattermost's and kimbot's output to stderr while tests run.
package e2e

import (
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/devstack"
	"github.com/kimbot-nrw/kimbot/messages"
	"github.com/kimbot-nrw/kimbot/store"
)

// botUsername is the username of kimbot's bot account.
const botUsername = "kimbot"

// stack is what TestMain starts for the whole package.
var stack struct {
	mm         *devstack.Mattermost
	admin      *devstack.Client  // the first user, a system admin
	pgAdminURL string            // Postgres superuser URL (KIMBOT_TEST_DATABASE_URL)
	redisURL   string            // KIMBOT_TEST_REDIS_URL
	kimbot     devstack.Kimbot   // binary and environment of the shared kimbot database
	baseTeam   *model.Team       // provisioned by TestMain, so the bot exists before tests run
	log        io.Writer         // os.Stderr with KIMBOT_TEST_VERBOSE=1, else nil
	provision  sync.Mutex        // provisions run one at a time
	serveMu    sync.Mutex        // guards serve
	serve      *devstack.Process // the shared `kimbot serve`
	servePrev  string            // output of the shared serve before restarts
	teams      atomic.Int64      // counter for unique team names
	mmDown     atomic.Bool       // set while a test has Mattermost stopped
}

// TestMain starts Mattermost and kimbot for the package and stops them afterwards.
func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) (code int) {
	need := map[string]string{}
	for _, name := range []string{"KIMBOT_TEST_DATABASE_URL", "KIMBOT_TEST_REDIS_URL", "KIMBOT_TEST_MATTERMOST_BIN", "KIMBOT_TEST_MATTERMOST_ASSETS"} {
		need[name] = os.Getenv(name)
		if need[name] == "" {
			fmt.Fprintf(os.Stderr, "e2e: %s is not set. Run the tests with scripts/test: it starts Postgres, Redis and builds Mattermost, and sets the KIMBOT_TEST_* variables.\n", name)
			return 2
		}
	}
	if os.Getenv("KIMBOT_TEST_VERBOSE") != "" {
		stack.log = os.Stderr
	}
	stack.pgAdminURL, stack.redisURL = need["KIMBOT_TEST_DATABASE_URL"], need["KIMBOT_TEST_REDIS_URL"]

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var cleanups []func()
	defer func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}()
	fail := func(format string, args ...any) int {
		fmt.Fprintf(os.Stderr, "e2e: setup: "+format+"\n", args...)
		return 1
	}

	// Mattermost, with its own fresh database.
	mm, err := devstack.StartMattermost(ctx, devstack.MattermostConfig{
		Bin:              need["KIMBOT_TEST_MATTERMOST_BIN"],
		Assets:           need["KIMBOT_TEST_MATTERMOST_ASSETS"],
		PostgresAdminURL: stack.pgAdminURL,
		DefaultLocale:    "de",
		Log:              stack.log,
	})
	if err != nil {
		return fail("%v", err)
	}
	stack.mm = mm
	cleanups = append(cleanups, func() { mm.Close() })

	if stack.admin, err = mm.CreateFirstAdmin(ctx, "sysadmin", devstack.RandomPassword()); err != nil {
		return fail("%v", err)
	}

	// kimbot: binary, database, migrate.
	tmp, err := os.MkdirTemp("", "kimbot-e2e-")
	if err != nil {
		return fail("%v", err)
	}
	cleanups = append(cleanups, func() { os.RemoveAll(tmp) })
	bin := os.Getenv("KIMBOT_TEST_KIMBOT_BIN") // a prebuilt binary, e.g. a release candidate
	if bin == "" {
		if bin, err = devstack.BuildKimbotTest(ctx, tmp); err != nil { // with the test hooks
			return fail("%v", err)
		}
	}
	dbURL, err := devstack.CreateDatabase(ctx, stack.pgAdminURL, "kimbot_e2e")
	if err != nil {
		return fail("%v", err)
	}
	cleanups = append(cleanups, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = devstack.DropDatabase(ctx, stack.pgAdminURL, dbURL)
	})
	stack.baseTeam, err = stack.admin.NewTeam(ctx, "e2e-base", "e2e base")
	if err != nil {
		return fail("%v", err)
	}
	stack.kimbot, err = newKimbot(bin, dbURL, stack.baseTeam.Name)
	if err != nil {
		return fail("%v", err)
	}
	if _, err := stack.kimbot.Run(ctx, "migrate"); err != nil {
		return fail("%v", err)
	}
	if _, err := stack.kimbot.Run(ctx, "provision"); err != nil {
		return fail("%v", err)
	}
	serve, err := stack.kimbot.Serve(ctx)
	if err != nil {
		return fail("%v", err)
	}
	stack.serve = serve
	cleanups = append(cleanups, func() {
		stack.serveMu.Lock()
		defer stack.serveMu.Unlock()
		_ = stack.serve.Stop(15 * time.Second)
	})

	code = m.Run()
	if code != 0 {
		fmt.Fprintf(os.Stderr, "\n--- kimbot serve output (last lines) ---\n%s\n", devstack.Tail(serveOutput(), 150))
		if out := strings.TrimSpace(stack.mm.Output()); out != "" {
			fmt.Fprintf(os.Stderr, "--- Mattermost output (last lines) ---\n%s\n", devstack.Tail(out, 60))
		}
	}
	return code
}

// newKimbot returns kimbot's environment for database dbURL, a fresh listen port and teams.
func newKimbot(bin, dbURL string, teams ...string) (devstack.Kimbot, error) {
	port, err := devstack.FreePort()
	if err != nil {
		return devstack.Kimbot{}, err
	}
	cfg := devstack.KimbotConfig{
		MattermostURL: stack.mm.URL,
		AdminToken:    stack.admin.AuthToken,
		Teams:         teams,
		DatabaseURL:   dbURL,
		RedisURL:      stack.redisURL,
		ListenAddr:    fmt.Sprintf("127.0.0.1:%d", port),
		EncryptionKey: devstack.NewEncryptionKey(),
	}
	// No pass on the real clock: a test's digests come from its own remind
	// passes (env.remindNow, or a replica with KIMBOT_TEST_NOW and its own
	// schedule), whatever the time of day the suite runs at — a pass every
	// minute would deliver today's digests of a test's coaches after 08:00.
	k := devstack.Kimbot{Bin: bin, Env: cfg.Env(), Log: stack.log}
	return k.With("KIMBOT_REMINDER_SCHEDULE", neverSchedule), nil
}

// neverSchedule is a cron spec that fires at 03:00 on the 1st of January only.
const neverSchedule = "0 3 1 1 *"

// ctxT returns a context that ends with the test (or after 2 minutes).
func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// ---------------------------------------------------------------------------------------------
// Teams and users

// teamEnv is a fresh Mattermost team with /kim provisioned, private to one test.
type teamEnv struct {
	// Team is the Mattermost team.
	Team *model.Team
	// TownSquareID is the channel where users' /kim commands run by default.
	TownSquareID string
	// Admin is the system admin (a member of the team); kimbot treats system admins as admins.
	Admin *user
	// Kimbot runs kimbot subcommands against this team's kimbot (KIMBOT_TEAMS is the team).
	Kimbot devstack.Kimbot

	suffix string
	serve  *devstack.Process // only for envs with their own kimbot
}

// envOption changes how newTeamEnv sets up a team.
type envOption func(*envConfig)

type envConfig struct{ ownKimbot bool }

// withOwnKimbot gives the team its own kimbot database and `kimbot serve`, so that reminder
// passes of other tests (which send everything due in their database) cannot touch it.
func withOwnKimbot() envOption { return func(c *envConfig) { c.ownKimbot = true } }

var nonName = regexp.MustCompile(`[^a-z0-9]+`)

// newTeamEnv creates a team named after the test, runs `kimbot provision` for it and returns it.
func newTeamEnv(t testing.TB, opts ...envOption) *teamEnv {
	t.Helper()
	var cfg envConfig
	for _, o := range opts {
		o(&cfg)
	}
	ctx := ctxT(t)
	n := stack.teams.Add(1)
	e := &teamEnv{suffix: fmt.Sprintf("t%d", n)}
	name := e.suffix + "-" + strings.Trim(nonName.ReplaceAllString(strings.ToLower(t.Name()), "-"), "-")
	if len(name) > 50 {
		name = strings.TrimRight(name[:50], "-")
	}
	team, err := stack.admin.NewTeam(ctx, name, t.Name())
	if err != nil {
		t.Fatal(err)
	}
	e.Team = team
	if e.TownSquareID, err = stack.admin.TownSquareID(ctx, team.Id); err != nil {
		t.Fatal(err)
	}
	e.Admin = &user{Client: stack.admin, env: e}

	if cfg.ownKimbot {
		dbURL, err := devstack.CreateDatabase(ctx, stack.pgAdminURL, "kimbot_e2e")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { // runs after the serve below has stopped
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_ = devstack.DropDatabase(ctx, stack.pgAdminURL, dbURL)
		})
		if e.Kimbot, err = newKimbot(stack.kimbot.Bin, dbURL, team.Name); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Kimbot.Run(ctx, "migrate"); err != nil {
			t.Fatal(err)
		}
	} else {
		e.Kimbot = stack.kimbot.With("KIMBOT_TEAMS", team.Name)
	}
	e.provision(t)
	if cfg.ownKimbot {
		p, err := e.Kimbot.Serve(ctx)
		if err != nil {
			t.Fatal(err)
		}
		e.serve = p
		t.Cleanup(func() {
			if err := p.Stop(15 * time.Second); err != nil {
				t.Logf("own kimbot serve: %v", err)
			}
			if t.Failed() {
				t.Logf("own kimbot serve output:\n%s", devstack.Tail(p.Output(), 100))
			}
		})
	}
	return e
}

// provision runs `kimbot provision` for the team (again); it must be idempotent.
func (e *teamEnv) provision(t testing.TB) string {
	t.Helper()
	stack.provision.Lock()
	defer stack.provision.Unlock()
	out, err := e.Kimbot.Run(ctxT(t), "provision")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// newUser creates a user "<name>-<team suffix>" (e.g. coach-t3) with locale "de", "en" or ""
// (the server default, "de"), adds them to the team and logs them in.
func (e *teamEnv) newUser(t testing.TB, name, locale string) *user {
	t.Helper()
	return e.newUserSpec(t, devstack.UserSpec{Username: name, Locale: locale})
}

// newUserSpec is newUser with every field of the spec (e.g. TimeZone); the suffix is appended
// to spec.Username.
func (e *teamEnv) newUserSpec(t testing.TB, spec devstack.UserSpec) *user {
	t.Helper()
	ctx := ctxT(t)
	spec.Username = strings.ToLower(spec.Username) + "-" + e.suffix
	c, err := stack.admin.NewUser(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if err := stack.admin.AddToTeam(ctx, e.Team.Id, c.UserID()); err != nil {
		t.Fatal(err)
	}
	return &user{Client: c, env: e}
}

// newChannel creates a public channel "<name>-<suffix>" in the team with the given members (the
// admin is always one) and returns it; use "~"+ch.Name in commands.
func (e *teamEnv) newChannel(t testing.TB, name string, members ...*user) *model.Channel {
	t.Helper()
	ctx := ctxT(t)
	ch, _, err := stack.admin.CreateChannel(ctx, &model.Channel{
		TeamId: e.Team.Id, Name: strings.ToLower(name) + "-" + e.suffix, DisplayName: name, Type: model.ChannelTypeOpen,
	})
	if err != nil {
		t.Fatalf("create channel %s: %v", name, err)
	}
	for _, m := range members {
		if _, _, err := stack.admin.AddChannelMember(ctx, ch.Id, m.UserID()); err != nil {
			t.Fatalf("add %s to channel %s: %v", m.Username(), name, err)
		}
	}
	return ch
}

// grant runs `/kim admin role @user <role> [options…]` as the admin and returns the answer text.
func (e *teamEnv) grant(t testing.TB, u *user, role string, options ...string) string {
	t.Helper()
	return e.Admin.kimText(t, strings.Join(append([]string{"admin", "role", u.mention(), role}, options...), " "))
}

// remindNow runs `kimbot remind --now at` for this team's kimbot and returns its output.
func (e *teamEnv) remindNow(t testing.TB, at time.Time) string {
	t.Helper()
	out, err := e.Kimbot.Run(ctxT(t), "remind", "--now", at.Format(time.RFC3339))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// user is a Mattermost user of one team; its methods act as that person would.
type user struct {
	*devstack.Client
	env *teamEnv

	mu     sync.Mutex
	events *devstack.Events // started by listen
}

// mention returns "@username".
func (u *user) mention() string { return "@" + u.Username() }

// run executes any slash command line in the team's town-square and returns the response.
func (u *user) run(t testing.TB, line string) (*model.CommandResponse, error) {
	t.Helper()
	return u.ExecuteCommand(ctxT(t), u.env.Team.Id, u.env.TownSquareID, line)
}

// runIn executes a slash command line in the given channel of the team.
func (u *user) runIn(t testing.TB, channelID, line string) (*model.CommandResponse, error) {
	t.Helper()
	return u.ExecuteCommand(ctxT(t), u.env.Team.Id, channelID, line)
}

// kim executes `/kim <args>` in town-square and fails the test if Mattermost reports an error.
// A command kimbot answers "busy" (all KIMBOT_MAX_INFLIGHT places taken for a second: it
// changed nothing) is run again after a second, up to busyRetries times. As the shared admin
// (stack.admin), a command kimbot refuses for its rate limit is run again once the next window
// starts; see sharedAdminRetries.
func (u *user) kim(t testing.TB, args string) *model.CommandResponse {
	t.Helper()
	busy, limited := 0, 0
	for {
		resp, err := u.run(t, "/kim "+args)
		if err != nil {
			t.Fatal(err)
		}
		if isBusy(resp) && busy < busyRetries {
			busy++
			t.Logf("/kim %s: kimbot busy, retrying in a second", clipArgs(args))
			time.Sleep(time.Second)
			continue
		}
		if u.Client != stack.admin || !isRateLimited(resp) || limited == sharedAdminRetries {
			return resp
		}
		limited++
		wait := time.Until(store.RateWindowEnd(time.Now(), time.Minute).Add(200 * time.Millisecond))
		t.Logf("/kim %s as the shared admin: rate limited, retrying in %s", clipArgs(args), wait.Round(time.Second))
		time.Sleep(wait)
	}
}

// sharedAdminRetries is how often a command of the shared admin is run again after kimbot's
// rate-limit refusal. The shared admin's commands come from all tests running in parallel, and
// kimbot allows a user 60 commands a minute, in windows of the Unix minute (store.Redis.Allow,
// on this machine's clock): a refused command waits for the next window. Tests that check the
// rate limit itself use a user of their own, whose refusals come back unchanged.
const sharedAdminRetries = 3

// rateLimitTexts are kimbot's rate-limit refusal in every language, from its catalogue.
var rateLimitTexts = func() map[string]bool {
	m := map[string]bool{}
	for _, lang := range messages.Languages {
		m[messages.T(lang, "err.rate_limited", nil)] = true
	}
	return m
}()

// busyRetries is how often a command answered "busy" is run again. The suite runs many tests in
// parallel against one kimbot on a 2-core machine; a busy answer says the machine, not kimbot,
// was slow, and a test that meant to check that would use kimbot's own tests (bot/).
const busyRetries = 5

// isBusy reports whether resp is exactly kimbot's busy answer (German and English in one text,
// since who sent the command is not known yet when it is given).
func isBusy(resp *model.CommandResponse) bool {
	return resp != nil && len(resp.Attachments) == 0 && resp.Text == messages.T("de", "err.busy", nil)
}

// isRateLimited reports whether resp is exactly kimbot's rate-limit refusal.
func isRateLimited(resp *model.CommandResponse) bool {
	return resp != nil && len(resp.Attachments) == 0 && len(resp.ExtraResponses) == 0 && rateLimitTexts[resp.Text]
}

// kimText is kim returning the answer as readable text (text, attachments, fields, buttons).
func (u *user) kimText(t testing.TB, args string) string {
	t.Helper()
	return devstack.ResponseText(u.kim(t, args))
}

// botDMs returns the bot's posts in the direct channel with this user, oldest first.
func (u *user) botDMs(t testing.TB) []*model.Post {
	t.Helper()
	posts, err := u.DirectPostsFrom(ctxT(t), botUsername)
	if err != nil {
		t.Fatal(err)
	}
	return posts
}

// waitBotDMs waits up to 15 s until the bot has sent this user at least n DMs and returns all.
func (u *user) waitBotDMs(t testing.TB, n int) []*model.Post {
	t.Helper()
	var posts []*model.Post
	deadline := time.Now().Add(15 * time.Second)
	for {
		posts = u.botDMs(t)
		if len(posts) >= n || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(posts) < n {
		t.Fatalf("%s got %d DMs from the bot, want at least %d:\n%s", u.Username(), len(posts), n, postsText(posts))
	}
	return posts
}

// channelPosts returns the posts of a channel (as seen by this user), oldest first.
func (u *user) channelPosts(t testing.TB, channelID string) []*model.Post {
	t.Helper()
	posts, err := u.ChannelPosts(ctxT(t), channelID)
	if err != nil {
		t.Fatal(err)
	}
	return posts
}

// press presses the button of post whose id is action or whose name contains it, failing the
// test if there is no such button or Mattermost reports an error; it returns the updated post.
func (u *user) press(t testing.TB, post *model.Post, action string) *model.Post {
	t.Helper()
	a := devstack.FindAction(post, action)
	if a == nil {
		t.Fatalf("post %s has no button %q:\n%s", post.Id, action, devstack.PostText(post))
	}
	if err := u.tryPress(t, post.Id, a.Id); err != nil {
		t.Fatal(err)
	}
	p, _, err := u.GetPost(ctxT(t), post.Id, "")
	if err != nil {
		t.Fatalf("read post %s after pressing %s: %v", post.Id, action, err)
	}
	return p
}

// tryPress presses button actionID of post postID and returns Mattermost's error, if any.
func (u *user) tryPress(t testing.TB, postID, actionID string) error {
	t.Helper()
	return u.PressButton(ctxT(t), postID, actionID)
}

// listen connects the user's WebSocket (once; closed when the test ends), so that dialogs and
// ephemeral posts sent from now on are recorded.
func (u *user) listen(t testing.TB) *devstack.Events {
	t.Helper()
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.events == nil {
		ev, err := u.Listen(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		u.events = ev
		t.Cleanup(func() {
			u.mu.Lock()
			defer u.mu.Unlock()
			u.events.Close()
			u.events = nil
		})
	}
	return u.events
}

// kimDialog executes `/kim <args>` and returns the interactive dialog it opens (failing the
// test if none opens within 15 s).
func (u *user) kimDialog(t testing.TB, args string) *model.OpenDialogRequest {
	t.Helper()
	ev := u.listen(t)
	resp := u.kim(t, args)
	ctx, cancel := context.WithTimeout(ctxT(t), 15*time.Second)
	defer cancel()
	d, err := ev.WaitDialog(ctx)
	if err != nil {
		t.Fatalf("/kim %s opened no dialog (answer: %q): %v", args, devstack.ResponseText(resp), err)
	}
	return d
}

// submitDialog submits a dialog opened in town-square with the given element values.
func (u *user) submitDialog(t testing.TB, d *model.OpenDialogRequest, values map[string]any) *model.SubmitDialogResponse {
	t.Helper()
	resp, err := u.SubmitDialog(ctxT(t), d, u.env.TownSquareID, u.env.Team.Id, values)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// waitEphemeral waits up to 15 s for an ephemeral post to this user containing substr (any if
// ""), e.g. the answer to a button press; call listen before the action that causes it.
func (u *user) waitEphemeral(t testing.TB, substr string) *model.Post {
	t.Helper()
	ev := u.listen(t)
	ctx, cancel := context.WithTimeout(ctxT(t), 15*time.Second)
	defer cancel()
	p, err := ev.WaitEphemeral(ctx, substr)
	if err != nil {
		t.Fatalf("%s: %v; ephemeral posts so far:\n%s", u.Username(), err, postsText(ev.Ephemeral()))
	}
	return p
}

// postsText renders posts for failure messages.
func postsText(posts []*model.Post) string {
	var b strings.Builder
	for i, p := range posts {
		fmt.Fprintf(&b, "[%d] %s\n", i, devstack.PostText(p))
	}
	return b.String()
}

// ---------------------------------------------------------------------------------------------
// Shared kimbot and Mattermost

// kimbotURL returns the base URL of the shared `kimbot serve` (what Mattermost calls).
func kimbotURL() string { return stack.kimbot.BaseURL() }

// serveOutput returns what the shared `kimbot serve` has printed so far.
func serveOutput() string {
	stack.serveMu.Lock()
	defer stack.serveMu.Unlock()
	return stack.servePrev + stack.serve.Output()
}

// remindNow runs `kimbot remind --now at` against the shared kimbot database (all teams made
// without withOwnKimbot) and returns its output.
func remindNow(t testing.TB, at time.Time) string {
	t.Helper()
	out, err := stack.kimbot.Run(ctxT(t), "remind", "--now", at.Format(time.RFC3339))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// startReplica starts another `kimbot serve` on the shared database (a second replica behind
// the same load balancer, in production terms), stopped when the test ends; it returns the
// process and its base URL.
func startReplica(t testing.TB) (*devstack.Process, string) {
	t.Helper()
	port, err := devstack.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	p, err := stack.kimbot.With("KIMBOT_LISTEN_ADDR", addr, "KIMBOT_PUBLIC_URL", "http://"+addr).Serve(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Stop(15 * time.Second); err != nil {
			t.Logf("replica: %v", err)
		}
		if t.Failed() {
			t.Logf("replica output:\n%s", devstack.Tail(p.Output(), 100))
		}
	})
	return p, "http://" + addr
}

// restartServe stops the shared `kimbot serve` — with SIGKILL if crash, else SIGTERM (and then
// requires a clean exit) — and starts it again on the same address. Not for parallel tests.
func restartServe(t testing.TB, crash bool) {
	t.Helper()
	stack.serveMu.Lock()
	defer stack.serveMu.Unlock()
	if crash {
		stack.serve.Kill()
	} else if err := stack.serve.Stop(30 * time.Second); err != nil {
		t.Errorf("kimbot serve did not shut down cleanly on SIGTERM: %v", err)
	}
	stack.servePrev += stack.serve.Output()
	p, err := stack.kimbot.Serve(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	stack.serve = p
}

// mattermostDown stops the Mattermost server (cleanly; stack.mm.Kill would crash it) until
// mattermostUp or the end of the test. Not for parallel tests.
func mattermostDown(t testing.TB) {
	t.Helper()
	if err := stack.mm.Stop(); err != nil {
		t.Fatal(err)
	}
	if stack.mmDown.CompareAndSwap(false, true) {
		t.Cleanup(func() {
			if stack.mmDown.Load() {
				mattermostUp(t)
			}
		})
	}
}

// mattermostUp starts the Mattermost server again after mattermostDown (same port and data).
func mattermostUp(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := stack.mm.Start(ctx); err != nil {
		t.Fatal(err)
	}
	stack.mmDown.Store(false)
}
