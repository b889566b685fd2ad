package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/kimbot-nrw/kimbot/devstack"
)

// restartOwn stops the team's own `kimbot serve` and starts it again with k,
// which becomes the team's kimbot.
func (e *teamEnv) restartOwn(t testing.TB, k devstack.Kimbot) {
	t.Helper()
	if err := e.serve.Stop(15 * time.Second); err != nil {
		t.Fatalf("own kimbot serve did not stop cleanly: %v", err)
	}
	p, err := k.Serve(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	e.serve, e.Kimbot = p, k
	t.Cleanup(func() {
		if err := p.Stop(15 * time.Second); err != nil {
			t.Logf("own kimbot serve: %v", err)
		}
		if t.Failed() {
			t.Logf("own kimbot serve output:\n%s", devstack.Tail(p.Output(), 100))
		}
	})
}

// TestKeyRotation follows README's key rotation with a running kimbot: with
// the new key and the old one configured, buttons and a dialog made under the
// old key still work and everything reads; `kimbot rekey` re-seals; with the
// new key alone everything reads, and a button still signed with the old key
// gets a clear answer and changes nothing.
func TestKeyRotation(t *testing.T) {
	t.Parallel()
	env, coaches := remTeam(t, 2) // each with a case: P0, P1
	coach, other := coaches[0], coaches[1]
	k1, k2 := caseRefRE.FindString(coach.kimOK(t, "faelle", "P0")), caseRefRE.FindString(other.kimOK(t, "faelle", "P1"))
	env.remindNow(t, remAt(remDay(), 8, 0)) // both first assessments are overdue then
	dm := coach.remExpect(t, 1)[0]
	otherDM := other.remExpect(t, 1)[0]
	d := coach.kimDialog(t, "neu")

	oldKey, newKey := env.Kimbot.Env["KIMBOT_ENCRYPTION_KEY"], devstack.NewEncryptionKey()
	rotating := env.Kimbot.With("KIMBOT_ENCRYPTION_KEY", newKey, "KIMBOT_OLD_ENCRYPTION_KEY", oldKey)
	env.restartOwn(t, rotating)

	coach.listen(t)
	p := coach.press(t, dm, remItem(t, dm, k1, "Ersteinschätzung", "snooze").Id)
	coach.waitEphemeral(t, "Verschoben auf")
	if resp := coach.submitDialog(t, d, map[string]any{"pseudonym": "Frau T.", "group": "eu", "domain": "none", "form": "written", "consent": true}); resp.Error != "" || len(resp.Errors) != 0 {
		t.Fatalf("a dialog opened under the old key: %+v", resp)
	}
	coach.waitEphemeral(t, "ist angelegt")
	coach.kimOK(t, "faelle", k1, "P0", "Frau T.")

	out, err := rotating.Run(ctxT(t), "rekey", "--batch", "1")
	if err != nil || !strings.Contains(out, "cases.pseudonym_enc") || !strings.Contains(out, "installation.secret_enc") {
		t.Fatalf("kimbot rekey: %v\n%s", err, out)
	}
	newOnly := env.Kimbot.With("KIMBOT_OLD_ENCRYPTION_KEY", "")
	if out, err := newOnly.Run(ctxT(t), "rekey", "--check"); err != nil {
		t.Fatalf("kimbot rekey --check with the new key alone: %v\n%s", err, out)
	}
	if out, err := newOnly.With("KIMBOT_ENCRYPTION_KEY", oldKey).Run(ctxT(t), "rekey", "--check"); err == nil {
		t.Fatalf("kimbot rekey --check passes with the old key alone:\n%s", out)
	}
	env.restartOwn(t, newOnly)

	// Slash commands (their token), the bot (its token) and the case data
	// all work with the new key alone.
	coach.kimOK(t, "show "+k1, k1+" · P0")
	coach.kimOK(t, "faelle", "Frau T.")
	// The pressed digest was signed again under the new key: its card button works.
	coach.press(t, p, remItem(t, p, k1, "Ersteinschätzung", "open").Id)
	coach.waitEphemeral(t, k1+" · P0")
	// A button never pressed still carries the old key's signature.
	card := other.kimOK(t, "show "+k2, k2+" · P1")
	other.listen(t)
	if err := other.tryPress(t, otherDM.Id, remItem(t, otherDM, k2, "Ersteinschätzung", "snooze").Id); err != nil {
		t.Fatal(err)
	}
	other.waitEphemeral(t, "ungültig oder abgelaufen")
	if show := other.kimOK(t, "show "+k2); show != card {
		t.Fatalf("a button of the old key changed the case:\n%s\nbefore:\n%s", show, card)
	}
}
