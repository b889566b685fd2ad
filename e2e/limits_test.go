package e2e

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kimbot-nrw/kimbot/devstack"
)

// TestLimitsAsPeople: through Mattermost, a text's limit counts characters (2 000 umlauts, typed
// composed or decomposed, and 2 000 emoji are accepted), a command too long for kimbot — even
// beyond what kimbot reads of an unknown request — gets kimbot's own answer and not Mattermost's
// generic error, control characters are refused naming the field, and the 10 000th case of a
// team and year is K-YYYY-10000 and can be worked on.
func TestLimitsAsPeople(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t)
	coach := env.newUser(t, "anna", "de")
	env.grant(t, coach, "coach")
	ref := caseRefRE.FindString(coach.kimOK(t, "neu AB group=refugee consent=yes", "ist angelegt"))
	year := ref[2:6]

	coach.kimOK(t, "kontakt "+ref+" telefon "+strings.Repeat("ä", 2000), " zu **"+ref+"** gespeichert")
	coach.kimOK(t, "kontakt "+ref+" telefon "+strings.Repeat("a\u0308", 2000), " zu **"+ref+"** gespeichert")
	coach.kimOK(t, "kontakt "+ref+" telefon "+strings.Repeat("😀", 2000), " zu **"+ref+"** gespeichert")
	coach.kimOK(t, "kontakt "+ref+" telefon "+strings.Repeat("ä", 2001), "Notiz ist zu lang (2001 Zeichen, höchstens 2000)")
	// 12 000 umlauts are 72 KB as Mattermost posts them: more than kimbot reads of a request
	// it does not know, but Mattermost's caller is known by the command token in the header.
	long := "kontakt " + ref + " telefon " + strings.Repeat("ä", 12000)
	coach.kimOK(t, long, fmt.Sprintf("Der Befehl ist zu lang: %d Zeichen, höchstens 8000", utf8.RuneCountInString(long)))
	coach.kimOK(t, "kontakt "+ref+" telefon Termin\x00vereinbart", "Notiz enthält ein Steuerzeichen (U+0000)")
	coach.kimOK(t, "zeige "+ref+"\x1b", "Der Befehl enthält ein Steuerzeichen (U+001B)")

	db := env.kimbotDB(t)
	var contacts int
	if err := db.QueryRow(ctxT(t), `SELECT count(*) FROM contacts x JOIN cases c ON c.id = x.case_id WHERE c.team_id = $1`,
		env.Team.Id).Scan(&contacts); err != nil || contacts != 3 {
		t.Fatalf("contacts stored: %d (%v), want the 3 accepted", contacts, err)
	}

	// The 10 000th case of the year (the counter is set, not 9 998 cases opened).
	if _, err := db.Exec(ctxT(t), `UPDATE case_counters SET last = 9998 WHERE team_id = $1 AND year = $2`, env.Team.Id, year); err != nil {
		t.Fatal(err)
	}
	coach.kimOK(t, "neu CD group=eu consent=ja", "K-"+year+"-9999")
	big := "K-" + year + "-10000"
	coach.kimOK(t, "neu EF group=eu consent=ja", "Fall **"+big+"** (EF) ist angelegt")
	coach.kimOK(t, "zeige "+strings.ToLower(big), big+" · EF")
	coach.kimOK(t, "kontakt "+big+" persoenlich Erstgespräch", "Kontakt 1 zu **"+big+"** gespeichert")
	coach.kimOK(t, "neu GH group=eu consent=ja", "K-"+year+"-10001")
	coach.kimOK(t, "faelle", big, "K-"+year+"-10001")
}

// TestPostgresDown: while kimbot's database does not answer, a command's answer names the
// database (not Mattermost) and changes nothing; once it answers again, commands work.
func TestPostgresDown(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t, withOwnKimbot())
	dbURL, err := url.Parse(env.Kimbot.Env["KIMBOT_DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	proxy := startTCPProxy(t, dbURL.Host)
	dbURL.Host = proxy.addr
	env.restartOwn(t, env.Kimbot.With("KIMBOT_DATABASE_URL", dbURL.String()))
	coach := env.newUser(t, "anna", "de")
	colleague := env.newUser(t, "ben", "en")
	env.grant(t, coach, "coach")
	env.grant(t, colleague, "coach")
	ref := caseRefRE.FindString(coach.kimOK(t, "neu AB group=refugee consent=yes", "ist angelegt"))

	proxy.cut()
	for _, tc := range []struct {
		who        *user
		line, want string
	}{
		{coach, "zeige " + ref, "Die Datenbank von kimbot antwortet gerade nicht"},
		{coach, "kontakt " + ref + " telefon Termin vereinbart", "Die Datenbank von kimbot antwortet gerade nicht"},
		{colleague, "cases", "kimbot's database is not answering"},
	} {
		if got := tc.who.kimOK(t, tc.line, tc.want); strings.Contains(got, "Mattermost") {
			t.Errorf("/kim %s with the database down names Mattermost: %q", tc.line, got)
		}
	}
	proxy.resume(t)
	coach.kimOK(t, "zeige "+ref, ref+" · AB")
	coach.kimOK(t, "kontakt "+ref+" telefon Termin vereinbart", "gespeichert")
}

// tcpProxy forwards connections to a target until cut: then it closes every connection and
// refuses new ones, as a database that went down.
type tcpProxy struct {
	addr, target string
	mu           sync.Mutex
	ln           net.Listener
	conns        map[net.Conn]bool
}

func startTCPProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	p := &tcpProxy{target: target, conns: map[net.Conn]bool{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *tcpProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.pipe(c)
		}
	}()
}

func (p *tcpProxy) pipe(c net.Conn) {
	up, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	if p.ln == nil { // cut meanwhile
		p.mu.Unlock()
		c.Close()
		up.Close()
		return
	}
	p.conns[c], p.conns[up] = true, true
	p.mu.Unlock()
	done := make(chan struct{}, 2)
	go func() { io.Copy(up, c); done <- struct{}{} }()
	go func() { io.Copy(c, up); done <- struct{}{} }()
	<-done
	c.Close()
	up.Close()
}

// cut closes the listener and every connection.
func (p *tcpProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
}

// resume listens again on the same address.
func (p *tcpProxy) resume(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatalf("proxy: listen again on %s: %v", p.addr, err)
	}
	p.serve(ln)
}

// TestRateLimitAsPerson: kimbot allows a user 60 commands a minute; the 61st within one window
// gets the catalogue's refusal, exactly the text the harness recognises (isRateLimited) when it
// retries the shared admin's commands, and a user of one's own sees it unchanged.
func TestRateLimitAsPerson(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t)
	coach := env.newUser(t, "eilig", "en")
	for i := 1; ; i++ {
		resp := coach.kim(t, "help")
		if isRateLimited(resp) {
			if resp.Text != "Too many commands in a short time. Please wait a moment." {
				t.Errorf("refusal %q, want the English catalogue text", resp.Text)
			}
			if i < 61 {
				t.Fatalf("refused at command %d, want at least 60 allowed in a window", i)
			}
			return
		}
		if text := devstack.ResponseText(resp); !strings.Contains(text, "/kim") {
			t.Fatalf("command %d: answer lacks help:\n%s", i, text)
		}
		if i == 125 { // two full windows
			t.Fatal("125 commands without a rate-limit refusal")
		}
	}
}
