package secret

import (
	"encoding/base64"
	"strings"
	"testing"
)

// Values sealed and contexts signed before key rotation existed (2606729)
// open and verify unchanged: the sealed format has no key id to add.
func TestPreviousReleaseFormat(t *testing.T) {
	k, err := ParseKey(strings.Repeat("ab", 32))
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := base64.StdEncoding.DecodeString("EhRsnck8Z7OCIS6QbzIF96E1Zng+8bkaphLEAhzuFu3T1PNMBRt2qN/NnrkK")
	if got, err := k.Open(sealed, "case.pseudonym"); err != nil || got != "Frau A. aus Köln" {
		t.Fatalf("Open(value of 2606729) = %q, %v", got, err)
	}
	if !k.Verify("btn|a|u|t|done|digest:u:2026-11-23|1790000000", "f7052457241a2050846a8f679b5fabd7eb937bc3cd0c05a2554cff642e17fd4b") {
		t.Fatal("signature of 2606729 refused")
	}
}

// While both keys are configured, values and signatures of the old key are
// accepted, new ones are made with the new key only, and Reseal moves a value
// to the new key; with the new key alone the old values no longer open.
func TestRotation(t *testing.T) {
	oldKey, newKey := NewKey(), NewKey()
	old, _ := ParseKey(oldKey)
	sealedOld := old.Seal("Notiz", "contact.note")
	sigOld := old.Sign("dialog|open|u1|t1|1790000000")

	both, err := ParseKeys(newKey, oldKey)
	if err != nil || !both.Rotating() {
		t.Fatalf("ParseKeys: %v", err)
	}
	if got, err := both.Open(sealedOld, "contact.note"); err != nil || got != "Notiz" {
		t.Fatalf("old value during rotation: %q, %v", got, err)
	}
	if _, err := both.Open(sealedOld, "goal.text"); err == nil {
		t.Fatal("old value opened in another place")
	}
	if !both.Verify("dialog|open|u1|t1|1790000000", sigOld) || both.Verify("dialog|open|u2|t1|1790000000", sigOld) {
		t.Fatal("old signature: refused, or accepted for another message")
	}
	newOnly, _ := ParseKey(newKey)
	if sig := both.Sign("m"); !newOnly.Verify("m", sig) || old.Verify("m", sig) {
		t.Fatal("signing during rotation must use the new key")
	}
	if v := both.Seal("neu", "goal.text"); mustOpen(t, newOnly, v, "goal.text") != "neu" {
		t.Fatal("sealing during rotation must use the new key")
	} else if _, err := old.Open(v, "goal.text"); err == nil {
		t.Fatal("a new value opens with the old key")
	}

	resealed, changed, err := both.Reseal(sealedOld, "contact.note")
	if err != nil || !changed || mustOpen(t, newOnly, resealed, "contact.note") != "Notiz" {
		t.Fatalf("Reseal(old value) = changed %v, %v", changed, err)
	}
	again, changed, err := both.Reseal(resealed, "contact.note")
	if err != nil || changed || string(again) != string(resealed) {
		t.Fatalf("Reseal(current value) changed it: %v, %v", changed, err)
	}
	if _, _, err := newOnly.Reseal(sealedOld, "contact.note"); err == nil {
		t.Fatal("Reseal without the old key should fail")
	}
	if _, err := newOnly.Open(sealedOld, "contact.note"); err == nil || newOnly.Verify("dialog|open|u1|t1|1790000000", sigOld) {
		t.Fatal("after rotation, the old key's values and signatures must be refused")
	}
}

func TestParseKeys(t *testing.T) {
	a, b, c := NewKey(), NewKey(), NewKey()
	k, err := ParseKeys(a, b+", "+c)
	if err != nil || len(k.old) != 2 {
		t.Fatalf("two old keys: %v", err)
	}
	if k, err := ParseKeys(a, ""); err != nil || k.Rotating() {
		t.Fatalf("no old key: %v", err)
	}
	if _, err := ParseKeys(a, a); err == nil || !strings.Contains(err.Error(), "repeats") {
		t.Fatalf("old key = current key accepted: %v", err)
	}
	if _, err := ParseKeys(a, "nonsense"); err == nil || !strings.Contains(err.Error(), "KIMBOT_OLD_ENCRYPTION_KEY") {
		t.Fatalf("bad old key: %v", err)
	}
}

func mustOpen(t *testing.T, k *Keys, v []byte, where string) string {
	t.Helper()
	s, err := k.Open(v, where)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
