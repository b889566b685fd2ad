package e2e

// End-to-end tests of the reminders (issue 4): the daily digest DM, its buttons, absences, and
// exactly-once delivery across replicas, crashes and outages of Mattermost and Redis — each
// asserted by counting the bot's DMs in Mattermost.
//
// Time: cases opened now are due in 14 (first assessment) and 28 days (monitoring); the tests
// run reminder passes as if it were a working day more than two weeks ahead (remDay), with
// `kimbot remind --now` or with `kimbot serve` replicas whose reminder clock starts there
// (KIMBOT_TEST_NOW, a test hook of the kimbottest build). The own `kimbot serve` of each test's team runs its real-time schedule
// meanwhile; it finds nothing due today and so cannot interfere.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/bot"
	"github.com/kimbot-nrw/kimbot/devstack"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/secret"
)

// remToday is today in Berlin (the day kimbot serve's commands use).
func remToday() kim.Date { return kim.DateOf(time.Now().In(kim.Berlin)) }

// remDay is the simulated day of the passes: the first working day at least 16 days ahead, when
// the first assessment of a case opened today is overdue.
func remDay() kim.Date { return kim.Workday(remToday().AddDays(16)) }

// remAt returns h:m in Berlin on day d.
func remAt(d kim.Date, h, m int) time.Time {
	return time.Date(d.Y, time.Month(d.M), d.D, h, m, 0, 0, kim.Berlin)
}

// remOpen opens a case as the coach and returns its reference.
func (u *user) remOpen(t testing.TB, pseudonym string) string {
	t.Helper()
	text := u.kimOK(t, fmt.Sprintf("open %q group=refugee consent=yes", pseudonym))
	ref := caseRefRE.FindString(text)
	if ref == "" {
		t.Fatalf("no case reference in %q", text)
	}
	return ref
}

// remCount waits a moment for stragglers and returns how many DMs the bot has sent the user.
func (u *user) remCount(t testing.TB) int {
	t.Helper()
	time.Sleep(time.Second)
	return len(u.botDMs(t))
}

// remExpect requires exactly n DMs from the bot (after waiting for at least n) and returns them.
func (u *user) remExpect(t testing.TB, n int) []*model.Post {
	t.Helper()
	if n > 0 {
		u.waitBotDMs(t, n)
	}
	time.Sleep(1500 * time.Millisecond) // a duplicate would arrive now
	posts := u.botDMs(t)
	if len(posts) != n {
		t.Fatalf("%s has %d DMs from the bot, want exactly %d:\n%s", u.Username(), len(posts), n, postsText(posts))
	}
	return posts
}

// remWait waits up to timeout until the bot has sent the user at least n DMs.
func (u *user) remWait(t testing.TB, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for len(u.botDMs(t)) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%s got fewer than %d DMs within %s", u.Username(), n, timeout)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// remItem returns the button whose id starts with verb of the digest item of case ref (the
// attachments of one case follow its titled attachment) whose text contains what.
func remItem(t testing.TB, p *model.Post, ref, what, verb string) *model.PostAction {
	t.Helper()
	title := ""
	for _, a := range p.Attachments() {
		if a.Title != "" {
			title = a.Title
		}
		if strings.HasPrefix(title, ref) && strings.Contains(a.Text, what) {
			for _, act := range a.Actions {
				if strings.HasPrefix(act.Id, verb) {
					return act
				}
			}
		}
	}
	t.Fatalf("no %s button for %q of %s in:\n%s", verb, what, ref, devstack.PostText(p))
	return nil
}

// remAttachment returns the attachment that held the action id.
func remAttachment(p *model.Post, text string) *model.SlackAttachment {
	for _, a := range p.Attachments() {
		if strings.Contains(a.Text, text) {
			return a
		}
	}
	return nil
}

// remPost posts a button request to kimbot's action endpoint directly (as anyone on the network
// could) and returns the HTTP status and the ephemeral answer.
func (e *teamEnv) remPost(t testing.TB, body any) (int, string) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctxT(t), http.MethodPost, e.Kimbot.BaseURL()+"/mattermost/action", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out model.PostActionIntegrationResponse
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out.EphemeralText
}

// TestReminderDigest: a coach receives one digest DM with the right items; snooze and done
// through Mattermost's button API change the case as `/kim show` shows; the card opens; forged,
// altered, foreign and stale presses change nothing.
func TestReminderDigest(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t, withOwnKimbot())
	coach := env.newUser(t, "coach", "de")
	other := env.newUser(t, "other", "de")
	env.grant(t, coach, "coach", "org=Caritas")
	env.grant(t, other, "coach", "org=DRK")
	today, day := remToday(), remDay()
	k1 := coach.remOpen(t, "A. B.")
	k2 := coach.remOpen(t, "C. D.")
	coach.kimOK(t, "due "+k1+" monitoring "+day.String(), k1)
	firstAssessment := kim.Workday(today.AddDays(14))

	out := env.remindNow(t, remAt(day, 8, 0))
	if !strings.Contains(out, "digest: 1 sent") {
		t.Errorf("remind output: %s", out)
	}
	dm := coach.remExpect(t, 1)[0]
	text := devstack.PostText(dm)
	for _, want := range []string{
		"Tagesübersicht für " + day.German(), "3 Termine",
		"**Monitoring-Kontakt** – heute fällig",
		"**Ersteinschätzung** – fällig seit " + firstAssessment.German(),
		k1, k2, "[Erledigt] [+1 Woche] [Fall öffnen]",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(text, k1+" · A. B.") || !strings.Contains(text, k2+" · C. D.") {
		t.Errorf("the digest does not say whose cases they are (pseudonyms):\n%s", text)
	}
	if other.remCount(t) != 0 {
		t.Error("a coach without due dates got a digest")
	}
	// Another pass the same morning, and one by another process: still one digest.
	env.remindNow(t, remAt(day, 8, 30))
	coach.remExpect(t, 1)

	t.Run("snooze", func(t *testing.T) {
		coach.listen(t)
		p := coach.press(t, dm, remItem(t, dm, k1, "Monitoring", "snooze").Id)
		until := day.AddDays(7).German()
		coach.waitEphemeral(t, "Verschoben auf "+until)
		a := remAttachment(p, "Monitoring-Kontakt")
		if a == nil || !strings.Contains(a.Text, "verschoben auf "+until) || len(a.Actions) != 1 || !strings.HasPrefix(a.Actions[0].Id, "open") {
			t.Fatalf("the digest does not show the snooze:\n%s", devstack.PostText(p))
		}
		coach.kimOK(t, "show "+k1, "Monitoring "+until)
	})

	t.Run("done opens the assessment form", func(t *testing.T) {
		// The press alone moved the date six months with no scores, once: now it opens the form.
		d := coach.pressForm(t, dm, remItem(t, dm, k2, "Ersteinschätzung", "done").Id)
		if d.Dialog.CallbackId != "assess "+k2 {
			t.Fatalf("the press opened %q", d.Dialog.CallbackId)
		}
		coach.kimOK(t, "zeige "+k2, "Einschätzung "+firstAssessment.German())
		coach.submitFormIn(t, d, dm.ChannelId, map[string]any{"language": "2", "work": "1"})
		next := kim.Workday(today.AddMonths(6)).German()
		coach.kimOK(t, "zeige "+k2, "Einschätzung "+next, "| Sprache | 2 |", "| Arbeit | 1 |")
	})

	t.Run("open card", func(t *testing.T) {
		coach.listen(t)
		coach.press(t, dm, remItem(t, dm, k1, "Ersteinschätzung", "open").Id)
		card := coach.waitEphemeral(t, k1+" · A. B.")
		if !strings.Contains(card.Message, "Caritas") && !strings.Contains(card.Message, "@"+coach.Username()) {
			t.Errorf("card: %s", card.Message)
		}
	})

	t.Run("forged presses change nothing", func(t *testing.T) {
		before := coach.kimOK(t, "show "+k1) + coach.kimOK(t, "show "+k2)
		// Mattermost never hands out a button's context; the test makes them with kimbot's key,
		// exactly as kimbot signs them (see bot.signButton), to replay, alter and forge them.
		keys, err := secret.ParseKey(env.Kimbot.Env["KIMBOT_ENCRYPTION_KEY"])
		if err != nil {
			t.Fatal(err)
		}
		wrongKeys, _ := secret.ParseKey(secret.NewKey())
		key, _ := dm.GetProp("kimbot_delivery").(string)
		if !strings.HasPrefix(key, "digest:"+coach.UserID()+":") {
			t.Fatalf("delivery key in the post: %q", key)
		}
		sign := func(k *secret.Keys, ttl time.Duration, a *model.PostAction, userID, verb, deliveryKey, kind, ref string, due kim.Date) string {
			return bot.SignFields(k, time.Now(), ttl, "btn", a.Id, userID, env.Team.Id, verb, deliveryKey, kind, ref, "0", due.String())
		}
		doneK2 := remItem(t, dm, k2, "Ersteinschätzung", "done") // pressed in "done": gone from the post
		doneK1 := remItem(t, dm, k1, "Ersteinschätzung", "done")
		valid := sign(keys, time.Hour, doneK1, coach.UserID(), "done", key, "assessment", k1, firstAssessment)
		req := func(userID, postID, ctx string) map[string]any {
			return map[string]any{"user_id": userID, "post_id": postID, "channel_id": dm.ChannelId, "context": map[string]any{"s": ctx}}
		}
		cases := []struct {
			name string
			body any
			want string
		}{
			{"replay of a settled press", req(coach.UserID(), dm.Id, sign(keys, time.Hour, doneK2, coach.UserID(), "done", key, "assessment", k2, firstAssessment)), "ungültig"},
			{"signed with another key", req(coach.UserID(), dm.Id, sign(wrongKeys, time.Hour, doneK1, coach.UserID(), "done", key, "assessment", k1, firstAssessment)), "ungültig"},
			{"altered verb", req(coach.UserID(), dm.Id, strings.Replace(valid, "|done|", "|snooze|", 1)), "ungültig"},
			{"altered date", req(coach.UserID(), dm.Id, strings.Replace(valid, firstAssessment.String(), day.String(), 1)), "ungültig"},
			{"expired", req(coach.UserID(), dm.Id, sign(keys, -time.Minute, doneK1, coach.UserID(), "done", key, "assessment", k1, firstAssessment)), "ungültig"},
			{"another user with a valid button", req(other.UserID(), dm.Id, valid), "anderen Person"},
			{"signed for another digest", req(coach.UserID(), dm.Id, sign(keys, time.Hour, doneK1, coach.UserID(), "done", "digest:"+coach.UserID()+":2030-01-02", "assessment", k1, firstAssessment)), "ungültig"},
			{"valid button on another post", req(coach.UserID(), otherPostID(dm.Id), valid), "ungültig"},
			{"no context", map[string]any{"user_id": coach.UserID(), "post_id": dm.Id, "channel_id": dm.ChannelId}, "ungültig"},
		}
		for _, c := range cases {
			status, eph := env.remPost(t, c.body)
			if status != http.StatusOK || !strings.Contains(eph, c.want) {
				t.Errorf("%s: HTTP %d %q, want a refusal containing %q", c.name, status, eph, c.want)
			}
		}
		if status, _ := env.remPost(t, "not json"); status != http.StatusBadRequest {
			t.Errorf("garbage: HTTP %d", status)
		}
		if after := coach.kimOK(t, "show "+k1) + coach.kimOK(t, "show "+k2); after != before {
			t.Fatalf("forged presses changed the cases:\nbefore:\n%s\nafter:\n%s", before, after)
		}
		// The other coach pressing through Mattermost cannot reach the coach's DM at all.
		if err := other.tryPress(t, dm.Id, doneK1.Id); err == nil {
			t.Error("another user pressed a button of the coach's DM")
		}
	})

	t.Run("stale press from an older digest", func(t *testing.T) {
		next := kim.Workday(day.AddDays(1))
		env.remindNow(t, remAt(next, 8, 0))
		dms := coach.remExpect(t, 3) // the first digest, the answer to the assessment form, this one
		fresh := dms[2]
		if !strings.Contains(devstack.PostText(fresh), "Tagesübersicht für "+next.German()) {
			t.Fatalf("second digest:\n%s", devstack.PostText(fresh))
		}
		d := coach.pressForm(t, fresh, remItem(t, fresh, k1, "Ersteinschätzung", "done").Id)
		coach.submitFormIn(t, d, fresh.ChannelId, map[string]any{"housing": "4"})
		done := kim.Workday(today.AddMonths(6)).German()
		coach.kimOK(t, "show "+k1, "Einschätzung "+done)
		// The same item in yesterday's digest: its date has changed since; no form opens.
		ev := coach.listen(t)
		coach.press(t, dm, remItem(t, dm, k1, "Ersteinschätzung", "done").Id)
		coach.waitEphemeral(t, "inzwischen geändert")
		ctx, cancel := context.WithTimeout(ctxT(t), 2*time.Second)
		defer cancel()
		if d, err := ev.WaitDialog(ctx); err == nil {
			t.Errorf("a stale press opened a form: %+v", d.Dialog)
		}
		coach.kimOK(t, "show "+k1, "Einschätzung "+done)
	})
}

// TestReminderDeputy: while a coach is away, the deputy's digest holds their items, marked as
// such, and the deputy's buttons work; afterwards they come back to the owner.
func TestReminderDeputy(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t, withOwnKimbot())
	anna := env.newUser(t, "anna", "de")
	ben := env.newUser(t, "ben", "en")
	env.grant(t, anna, "coach")
	env.grant(t, ben, "coach")
	today, day := remToday(), remDay()
	ka := anna.remOpen(t, "E. F.")
	kb := anna.remOpen(t, "G. H.")
	anna.kimOK(t, "due "+kb+" monitoring "+kim.Workday(day.AddDays(2)).String(), kb)
	anna.kimOK(t, fmt.Sprintf("away %s %s deputy=%s", today, day.AddDays(1), ben.mention()), ben.Username())

	env.remindNow(t, remAt(day, 8, 0))
	dm := ben.remExpect(t, 1)[0]
	text := devstack.PostText(dm)
	for _, want := range []string{"Daily digest for " + day.String(), ka + " · E. F. · deputy for @" + anna.Username(), kb, "dates you hold as deputy: @" + anna.Username()} {
		if !strings.Contains(text, want) {
			t.Errorf("deputy digest lacks %q:\n%s", want, text)
		}
	}
	if n := anna.remCount(t); n != 0 {
		t.Fatalf("the absent coach got %d digests", n)
	}
	ben.listen(t)
	ben.press(t, dm, remItem(t, dm, ka, "First assessment", "snooze").Id)
	// One week after the later of its due date (in two weeks) and today,
	// each on a working day.
	snoozed := kim.Workday(kim.Workday(kim.Workday(today.AddDays(14))).AddDays(7))
	ben.waitEphemeral(t, "Moved to "+snoozed.String())
	anna.kimOK(t, "show "+ka, "Einschätzung "+snoozed.German())

	// After the absence: anna's own digest again, nothing for ben.
	after := kim.Workday(day.AddDays(2))
	env.remindNow(t, remAt(after, 8, 0))
	own := devstack.PostText(anna.remExpect(t, 1)[0])
	if !strings.Contains(own, kb) || strings.Contains(own, "Vertretung") {
		t.Errorf("anna's digest after the absence:\n%s", own)
	}
	ben.remExpect(t, 1)
}

// remTeam makes a team with its own kimbot and n coaches, each with one case whose first
// assessment is overdue on remDay.
func remTeam(t *testing.T, n int) (*teamEnv, []*user) {
	t.Helper()
	env := newTeamEnv(t, withOwnKimbot())
	var coaches []*user
	for i := 0; i < n; i++ {
		c := env.newUser(t, fmt.Sprintf("c%d", i), "de")
		env.grant(t, c, "coach")
		c.remOpen(t, fmt.Sprintf("P%d", i))
		coaches = append(coaches, c)
	}
	return env, coaches
}

// remReplica starts another `kimbot serve` of the team's kimbot with extra environment; with
// Redis unreachable /readyz fails, so it waits for /healthz instead.
func (e *teamEnv) remReplica(t *testing.T, kv ...string) *devstack.Process {
	t.Helper()
	port, err := devstack.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	k := e.Kimbot.With(append([]string{"KIMBOT_LISTEN_ADDR", addr, "KIMBOT_PUBLIC_URL", "http://" + addr}, kv...)...)
	p, err := k.Start("serve")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.Kill()
		if t.Failed() {
			t.Logf("replica %s output:\n%s", addr, devstack.Tail(p.Output(), 60))
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		if p.Exited() || time.Now().After(deadline) {
			t.Fatalf("replica did not start: %v\n%s", err, devstack.Tail(p.Output(), 40))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// remNeedHooks skips a test that needs kimbot's test hooks (KIMBOT_TEST_NOW, KIMBOT_TEST_CRASH)
// when KIMBOT_TEST_KIMBOT_BIN is a binary built without them, e.g. a release candidate.
func remNeedHooks(t *testing.T) {
	t.Helper()
	ok, err := devstack.HasTestHooks(stack.kimbot.Bin)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Skipf("%s is built without -tags %s", stack.kimbot.Bin, devstack.TestTag)
	}
}

// remDeadRedis is a Redis URL where nothing listens.
const remDeadRedis = "redis://127.0.0.1:1/0"

// TestReminderReplicas: two `kimbot serve` replicas whose schedules run a pass every second
// from 07:59:58 on the simulated day, with Redis and with Redis unreachable (then nothing but
// the Postgres claims keeps them apart); and two `kimbot remind` at once. Every coach gets one
// digest.
func TestReminderReplicas(t *testing.T) {
	t.Parallel()
	day := remDay()
	for _, c := range []struct {
		name  string
		redis string
	}{{"with Redis", ""}, {"Redis unreachable", remDeadRedis}} {
		t.Run("two serve "+c.name, func(t *testing.T) {
			remNeedHooks(t)
			env, coaches := remTeam(t, 3)
			kv := []string{"KIMBOT_TEST_NOW", remAt(day, 7, 59).Add(58 * time.Second).Format(time.RFC3339),
				"KIMBOT_REMINDER_SCHEDULE", "@every 1s"}
			if c.redis != "" {
				kv = append(kv, "KIMBOT_REDIS_URL", c.redis)
			}
			env.remReplica(t, kv...)
			env.remReplica(t, kv...)
			for _, u := range coaches {
				u.remWait(t, 1, 30*time.Second)
			}
			time.Sleep(4 * time.Second) // several more passes of both replicas
			for _, u := range coaches {
				u.remExpect(t, 1)
			}
			var n int
			if err := env.kimbotDB(t).QueryRow(ctxT(t), `SELECT count(*) FROM reminder_deliveries WHERE status = 'sent' AND kind = 'digest'`).Scan(&n); err != nil || n != 3 {
				t.Fatalf("%d sent deliveries (%v), want 3", n, err)
			}
		})
	}
	for _, c := range []struct {
		name  string
		redis string
	}{{"with Redis", ""}, {"Redis unreachable", remDeadRedis}} {
		t.Run("two remind at once "+c.name, func(t *testing.T) {
			env, coaches := remTeam(t, 4)
			k := env.Kimbot
			if c.redis != "" {
				k = k.With("KIMBOT_REDIS_URL", c.redis)
			}
			var wg sync.WaitGroup
			outs := make([]string, 2)
			for i := range outs {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					out, err := k.Run(ctxT(t), "remind", "--now", remAt(day, 8, 0).Format(time.RFC3339))
					if err != nil {
						t.Error(err)
					}
					outs[i] = out
				}(i)
			}
			wg.Wait()
			for _, u := range coaches {
				u.remExpect(t, 1)
			}
			t.Logf("the two passes: %q / %q", lastLine(outs[0]), lastLine(outs[1]))
		})
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// TestReminderCrash: `kimbot remind` killed (SIGKILL) after posting a digest and before
// recording it, or after claiming it and before posting; the next pass after the lease finds
// the post by its key instead of posting again, or posts the missing one. Every coach ends up
// with exactly one digest per day.
func TestReminderCrash(t *testing.T) {
	remNeedHooks(t)
	t.Parallel()
	env, coaches := remTeam(t, 2)
	lease := env.Kimbot.With("KIMBOT_REMINDER_LEASE", "2s")
	day := remDay()
	for i, stage := range []string{"posted", "claimed"} {
		d := day
		if i > 0 {
			d = kim.Workday(day.AddDays(1))
		}
		at := remAt(d, 8, 0).Format(time.RFC3339)
		p, err := lease.With("KIMBOT_TEST_CRASH", stage).Start("remind", "--now", at)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Wait(); err == nil || !strings.Contains(p.Output(), "test hook: crashing") {
			t.Fatalf("crash at %s: the pass was not killed (%v):\n%s", stage, err, p.Output())
		}
		posted := 0
		for _, u := range coaches {
			posted += len(u.botDMs(t)) - i
		}
		if stage == "posted" && posted < 1 || stage == "claimed" && posted > 1 {
			t.Fatalf("crash at %s: %d digests before recovery", stage, posted)
		}
		// A pass while the dead claim's lease holds changes nothing; one after it recovers.
		time.Sleep(2500 * time.Millisecond)
		out, err := lease.Run(ctxT(t), "remind", "--now", at)
		if err != nil {
			t.Fatal(err)
		}
		if stage == "posted" && !strings.Contains(out, "recovered") {
			t.Errorf("recovery pass: %s", lastLine(out))
		}
		for _, u := range coaches {
			dms := u.remExpect(t, i+1)
			if !strings.Contains(devstack.PostText(dms[i]), d.German()) {
				t.Errorf("%s: digest of the wrong day:\n%s", u.Username(), devstack.PostText(dms[i]))
			}
		}
		// And once more, for good measure.
		if _, err := lease.Run(ctxT(t), "remind", "--now", at); err != nil {
			t.Fatal(err)
		}
		for _, u := range coaches {
			u.remExpect(t, i+1)
		}
	}
}

// TestReminderMattermostDown: Mattermost is stopped at digest time. An operator's `kimbot
// remind` fails, a replica's scheduled passes fail and back off; after Mattermost is back the
// replica delivers every digest once, by itself, and later passes add nothing. Not parallel: it
// stops the shared Mattermost.
func TestReminderMattermostDown(t *testing.T) {
	remNeedHooks(t)
	env, coaches := remTeam(t, 2)
	day := remDay()
	mattermostDown(t)
	// The operator's pass first: once the replica runs, its claims and backoffs would make the
	// operator's pass find the digests busy rather than failing.
	out, err := env.Kimbot.With("KIMBOT_REMINDER_BACKOFF", "500ms").Run(ctxT(t), "remind", "--now", remAt(day, 8, 0).Format(time.RFC3339))
	if err == nil || !strings.Contains(out, "2 failed") {
		t.Errorf("remind with Mattermost down should fail: %v\n%s", err, lastLine(out))
	}
	env.remReplica(t, "KIMBOT_TEST_NOW", remAt(day, 8, 0).Format(time.RFC3339), "KIMBOT_REMINDER_SCHEDULE", "@every 1s",
		"KIMBOT_REMINDER_BACKOFF", "500ms")
	time.Sleep(3 * time.Second)
	var failures int
	if err := env.kimbotDB(t).QueryRow(ctxT(t), `SELECT coalesce(sum(attempts), 0) FROM reminder_deliveries WHERE status = 'claimed'`).Scan(&failures); err != nil || failures < 2 {
		t.Fatalf("failed attempts while Mattermost was down: %d (%v)", failures, err)
	}
	mattermostUp(t)
	for _, u := range coaches {
		u.remWait(t, 1, 90*time.Second) // the replica's backoff has grown meanwhile
	}
	time.Sleep(3 * time.Second)
	env.remindNow(t, remAt(day, 9, 0))
	for _, u := range coaches {
		u.remExpect(t, 1)
	}
}

// otherPostID returns a well-formed post id that differs from id (its first
// character changed; ids are base32, so a fixed replacement could equal it).
func otherPostID(id string) string {
	if id[0] == 'x' {
		return "y" + id[1:]
	}
	return "x" + id[1:]
}
