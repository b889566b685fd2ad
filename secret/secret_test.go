package secret

import (
	"bytes"
	"strings"
	"testing"
)

func TestSealOpen(t *testing.T) {
	k, err := ParseKey(NewKey())
	if err != nil {
		t.Fatal(err)
	}
	sealed := k.Seal("Frau A. aus Köln", "case.pseudonym")
	if bytes.Contains(sealed, []byte("Köln")) {
		t.Fatal("plaintext visible in ciphertext")
	}
	got, err := k.Open(sealed, "case.pseudonym")
	if err != nil || got != "Frau A. aus Köln" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := k.Open(sealed, "contact.note"); err == nil {
		t.Fatal("ciphertext opened in another place")
	}
	other, _ := ParseKey(NewKey())
	if _, err := other.Open(sealed, "case.pseudonym"); err == nil {
		t.Fatal("ciphertext opened with another key")
	}
	if k.Seal("", "x") != nil {
		t.Fatal("empty plaintext should seal to nil")
	}
}

func TestParseKeyRejectsWeakKeys(t *testing.T) {
	for _, s := range []string{"", "secret", strings.Repeat("a", 31), "aGVsbG8="} {
		if _, err := ParseKey(s); err == nil {
			t.Errorf("ParseKey(%q) accepted", s)
		}
	}
	if _, err := ParseKey(strings.Repeat("ab", 32)); err != nil {
		t.Errorf("hex key refused: %v", err)
	}
}

func TestSignVerify(t *testing.T) {
	k, _ := ParseKey(NewKey())
	sig := k.Sign("snooze|K-2026-0001|user1")
	if !k.Verify("snooze|K-2026-0001|user1", sig) {
		t.Fatal("valid signature refused")
	}
	if k.Verify("done|K-2026-0001|user1", sig) || k.Verify("snooze|K-2026-0001|user1", sig[:10]) {
		t.Fatal("altered message or signature accepted")
	}
}
