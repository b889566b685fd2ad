package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/devstack"
)

// TestPrompt runs the demo against a real Mattermost and kimbot and types at its prompt as a person
// would: a form that kimbot opens (shown from the WebSocket, answered field by field, refused once,
// submitted), a reminder pass at a chosen time, and a button of the digest it sent.
func TestPrompt(t *testing.T) {
	env := map[string]string{}
	for _, name := range []string{"KIMBOT_TEST_DATABASE_URL", "KIMBOT_TEST_REDIS_URL", "KIMBOT_TEST_MATTERMOST_BIN", "KIMBOT_TEST_MATTERMOST_ASSETS"} {
		if env[name] = os.Getenv(name); env[name] == "" {
			t.Fatalf("%s is not set: run the tests with scripts/test", name)
		}
	}
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	o := options{
		stackDir: t.TempDir(), postgresURL: env["KIMBOT_TEST_DATABASE_URL"], redisURL: env["KIMBOT_TEST_REDIS_URL"],
		mmBin: env["KIMBOT_TEST_MATTERMOST_BIN"], mmAssets: env["KIMBOT_TEST_MATTERMOST_ASSETS"],
		mmDatabase: "kimdemo_mm_" + hex.EncodeToString(suffix), kimbotDatabase: "kimdemo_kim_" + hex.EncodeToString(suffix),
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		for _, db := range []string{o.mmDatabase, o.kimbotDatabase} {
			if u, err := devstack.DatabaseURL(o.postgresURL, db); err == nil {
				_ = devstack.DropDatabase(ctx, o.postgresURL, u)
			}
		}
	})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	in, typed := io.Pipe()
	scr := newScreen()
	done := make(chan error, 1)
	go func() { done <- run(ctx, o, in, scr) }()
	defer func() {
		cancel()
		typed.Close()
		select {
		case <-done:
		case <-time.After(2 * time.Minute):
			t.Error("the demo did not stop within 2 minutes")
		}
	}()
	typeLine := func(line string) {
		t.Helper()
		if _, err := fmt.Fprintln(typed, line); err != nil {
			t.Fatalf("typing %q: %v", line, err)
		}
	}

	pos := scr.wait(t, done, 0, "kimbot demo is running", 6*time.Minute)
	pos = scr.wait(t, done, pos, "\ncoach> ", time.Minute)
	tourCase := caseRef.FindString(scr.String())
	if tourCase == "" {
		t.Fatalf("the tour opened no case:\n%s", scr.String())
	}

	// A form closed without submitting.
	typeLine("/kim neu")
	pos = scr.wait(t, done, pos, `form "Neuer Fall" for coach`, time.Minute)
	pos = scr.wait(t, done, pos, "Pseudonym/Initialen*: ", time.Minute)
	typeLine(cancelWord)
	pos = scr.wait(t, done, pos, `form "Neuer Fall" closed without submitting`, time.Minute)

	// A form filled in, refused for one field, corrected and submitted.
	typeLine("/kim neu")
	for _, step := range []struct{ question, answer string }{
		{"Pseudonym/Initialen*: ", "CD"},
		{"Zielgruppe* [1-4]: ", "7"},
		{"! choose a number from 1 to 4\n", ""},
		{"Zielgruppe* [1-4]: ", "2"},
		{"Rechtskreis [1-6] (keiner): ", ""},
		{"Form der Einwilligung [1-2] (schriftlich): ", ""},
		{"Einwilligung liegt vor [yes/no]: ", "nein"},
		{"Aufnahmedatum: ", ""},
		{"[Anlegen] as coach", ""},
		{"kimbot refused the form; answer these fields again:", ""},
		{"! Einwilligung liegt vor: Ohne dokumentierte Einwilligung", ""},
		{"Einwilligung liegt vor [yes/no]: ", "ja"},
		{"submitted; kimbot answers over the WebSocket:", ""},
		{"(only coach sees this)", ""},
	} {
		pos = scr.wait(t, done, pos, step.question, time.Minute)
		if strings.HasSuffix(step.question, ": ") {
			typeLine(step.answer)
		}
	}
	pos = scr.wait(t, done, pos, "(CD) ist angelegt", time.Minute)
	formCase := caseRef.FindString(scr.String()[pos-60 : pos])
	if formCase == "" || strings.EqualFold(formCase, tourCase) {
		t.Fatalf("the form opened no new case (tour: %s, form: %q):\n%s", tourCase, formCase, scr.String()[pos-200:pos])
	}
	typeLine("/kim faelle")
	pos = scr.wait(t, done, pos, "| "+formCase+" | CD |", time.Minute)

	// A suggested line comes with a button that runs it (the answer's copy over the WebSocket
	// holds its cookie; the shell numbers it).
	typeLine("/kim einwilligung " + formCase + " jobcenter mündlich")
	pos = scr.wait(t, done, pos, "Meinten Sie `/kim einwilligung "+formCase+" erteilen jobcenter mündlich`?", time.Minute)
	pos = scr.wait(t, done, pos, " So ausführen]\n", time.Minute)
	n := regexp.MustCompile(`press \[(\d+) So ausführen\]\n$`).FindStringSubmatch(scr.String()[:pos])
	if n == nil {
		t.Fatalf("the run button is not numbered:\n%s", scr.String()[max(0, pos-300):pos])
	}
	typeLine("press " + n[1])
	pos = scr.wait(t, done, pos, "Einwilligung in **"+formCase+"** erfasst: Jobcenter (mündlich", time.Minute)

	// A reminder pass as if it were the suggested time: the digest for the coach, with buttons.
	at := suggestRemind(time.Now())
	typeLine("remind " + at.Format("2006-01-02 15:04"))
	pos = scr.wait(t, done, pos, "kimbot remind --now "+at.Format(time.RFC3339), time.Minute)
	pos = scr.wait(t, done, pos, "kimbot remind: pass at "+at.Format(time.RFC3339), 2*time.Minute)
	pos = scr.wait(t, done, pos, " @kimbot to coach:", time.Minute)
	header := scr.String()[pos-60 : pos]
	if !regexp.MustCompile(`\[\d\d\.\d\d\.\d{4} \d\d:\d\d (CET|CEST)\] @kimbot to coach:$`).MatchString(header) {
		t.Errorf("the DM's time is not shown in Europe/Berlin: %q", header)
	}
	start := pos
	pos = scr.wait(t, done, pos, "press <n> presses a button", time.Minute)
	digest := scr.String()[start:pos]
	for _, want := range []string{tourCase, formCase, "[1 Erledigt]", "[2 +1 Woche]", "Fall öffnen]"} {
		if !strings.Contains(digest, want) {
			t.Errorf("the digest lacks %q:\n%s", want, digest)
		}
	}

	// Pressing "Erledigt" on the first assessment opens the assessment form (kimbot's answer to
	// the press comes only over the WebSocket); the item is done once the form is saved, and
	// kimbot answers that in the DM.
	typeLine("press 1")
	pos = scr.wait(t, done, pos, "coach presses [Erledigt]", time.Minute)
	pressed := pos // the dialog and the answer to the press arrive in either order
	pos = max(scr.wait(t, done, pressed, `form "Einschätzung" for coach`, time.Minute),
		scr.wait(t, done, pressed, "(only coach sees this)\n    📝 Formular geöffnet", time.Minute))
	for _, step := range []struct{ question, answer string }{
		{"Aufenthalt [1-5]: ", ""}, {"Sprache [1-5]: ", "2"}, {"Arbeit [1-5]: ", "1"},
		{"Bildung/Ausbildung [1-5]: ", ""}, {"Gesundheit [1-5]: ", ""}, {"Wohnen [1-5]: ", ""},
		{"Familie/Kinder [1-5]: ", ""}, {"Finanzen/Leistungen [1-5]: ", ""}, {"Soziale Teilhabe [1-5]: ", ""},
		{"Notiz: ", ""}, {"Datum: ", ""},
		{"[Speichern] as coach", ""},
		{"submitted; kimbot answers in a direct message (dms shows it)", ""},
	} {
		pos = scr.wait(t, done, pos, step.question, time.Minute)
		if strings.HasSuffix(step.question, ": ") {
			typeLine(step.answer)
		}
	}
	typeLine("dms")
	pos = scr.wait(t, done, pos, "erledigt – Einschätzung gespeichert", time.Minute)
	pos = scr.wait(t, done, pos, "gespeichert (", time.Minute)

	// The same day again sends nothing: a day's digest goes out once.
	typeLine("remind " + at.Format("2006-01-02 15:04"))
	pos = scr.wait(t, done, pos, "no new direct messages", 2*time.Minute)

	// Each slash answer was shown once, not again when its copy arrived over the WebSocket.
	typeLine("dms")
	scr.wait(t, done, pos, "@kimbot to coach:", time.Minute)
	if n := strings.Count(scr.String(), "(AB) ist angelegt"); n > 1 {
		t.Errorf("the tour's answer to /kim open was shown %d times", n)
	}

	typeLine("quit")
	select {
	case err := <-done:
		done <- err // for the deferred wait
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("quit did not end the demo")
	}
	if !strings.Contains(scr.String(), "==> Stopping Mattermost") {
		t.Errorf("quit did not stop Mattermost:\n%s", devstack.Tail(scr.String(), 20))
	}
}

// screen is what the person at the terminal sees.
type screen struct {
	mu      sync.Mutex
	b       strings.Builder
	changed chan struct{}
}

func newScreen() *screen { return &screen{changed: make(chan struct{})} }

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.Write(p)
	close(s.changed)
	s.changed = make(chan struct{})
	return len(p), nil
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// wait returns the offset after the first substr at or after from, failing the test if it does not
// appear within limit or the demo ends first.
func (s *screen) wait(t *testing.T, done chan error, from int, substr string, limit time.Duration) int {
	t.Helper()
	deadline := time.After(limit)
	for {
		s.mu.Lock()
		text, changed := s.b.String(), s.changed
		s.mu.Unlock()
		if i := strings.Index(text[from:], substr); i >= 0 {
			return from + i + len(substr)
		}
		select {
		case <-changed:
		case err := <-done:
			done <- err
			t.Fatalf("the demo ended (%v) before showing %q:\n%s", err, substr, devstack.Tail(text[from:], 60))
		case <-deadline:
			t.Fatalf("%q not shown within %s; since then:\n%s", substr, limit, devstack.Tail(text[from:], 60))
		}
	}
}
