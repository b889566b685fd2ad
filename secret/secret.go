// Package secret seals personal data at rest (AES-256-GCM) and signs the
// contexts of interactive buttons and dialogs (HMAC-SHA256), both with keys
// derived from KIMBOT_ENCRYPTION_KEY.
//
// During a key rotation the keys of KIMBOT_OLD_ENCRYPTION_KEY are accepted
// too: a value sealed or a context signed with one of them still opens and
// verifies, while everything new is sealed and signed with the current key
// (`kimbot rekey` re-seals the stored values). Sealed values carry no key id:
// trying the current key first and then the old ones costs one more GCM tag
// check per old value, and values written before rotation existed open as
// they are.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Keys holds the sealing and signing keys derived from the current master
// key and from the old master keys still accepted during a rotation.
type Keys struct {
	current derived
	old     []derived
}

// derived are the keys derived from one master key.
type derived struct {
	id      [32]byte // the master key's own digest: tells keys apart without keeping them
	aead    cipher.AEAD
	signKey []byte
}

// ParseKey decodes a master key given as base64 (standard or URL) or hex of
// exactly 32 bytes and returns the derived keys.
func ParseKey(s string) (*Keys, error) {
	d, err := parseMaster(s, "KIMBOT_ENCRYPTION_KEY")
	if err != nil {
		return nil, err
	}
	return &Keys{current: d}, nil
}

// ParseKeys returns the keys of the current master key and of the old ones,
// given as a list separated by commas or white space ("" for none): values
// sealed and contexts signed with an old key are still accepted.
func ParseKeys(current, old string) (*Keys, error) {
	k, err := ParseKey(current)
	if err != nil {
		return nil, err
	}
	for _, s := range strings.FieldsFunc(old, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		d, err := parseMaster(s, "KIMBOT_OLD_ENCRYPTION_KEY")
		if err != nil {
			return nil, err
		}
		if d.id == k.current.id {
			return nil, errors.New("secret: KIMBOT_OLD_ENCRYPTION_KEY repeats KIMBOT_ENCRYPTION_KEY (the new key goes into KIMBOT_ENCRYPTION_KEY, the one it replaces into KIMBOT_OLD_ENCRYPTION_KEY)")
		}
		k.old = append(k.old, d)
	}
	return k, nil
}

func parseMaster(s, name string) (derived, error) {
	s = strings.TrimSpace(s)
	var raw []byte
	for _, dec := range []func(string) ([]byte, error){
		base64.StdEncoding.DecodeString, base64.URLEncoding.DecodeString,
		base64.RawStdEncoding.DecodeString, hex.DecodeString,
	} {
		if b, err := dec(s); err == nil && len(b) == 32 {
			raw = b
			break
		}
	}
	if raw == nil {
		return derived{}, fmt.Errorf("secret: %s must be 32 random bytes, base64 or hex encoded (e.g. `openssl rand -base64 32`)", name)
	}
	block, err := aes.NewCipher(derive(raw, "kimbot seal v1"))
	if err != nil {
		return derived{}, fmt.Errorf("secret: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return derived{}, fmt.Errorf("secret: %w", err)
	}
	return derived{id: sha256.Sum256(raw), aead: aead, signKey: derive(raw, "kimbot sign v1")}, nil
}

// NewKey returns a fresh random master key, base64 encoded.
func NewKey() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.StdEncoding.EncodeToString(b)
}

func derive(master []byte, label string) []byte {
	m := hmac.New(sha256.New, master)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// Rotating reports whether old keys are accepted besides the current one.
func (k *Keys) Rotating() bool { return len(k.old) > 0 }

// Seal encrypts plaintext with the current key; the additional data binds
// the ciphertext to its place (e.g. "case.pseudonym"), so a value cannot be
// moved to another column. An empty plaintext seals to nil.
func (k *Keys) Seal(plaintext, where string) []byte {
	if plaintext == "" {
		return nil
	}
	a := k.current.aead
	nonce := make([]byte, a.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic(err)
	}
	return a.Seal(nonce, nonce, []byte(plaintext), []byte(where))
}

// errUnreadable is what opening a value no key opens returns.
var errUnreadable = errors.New("secret: cannot decrypt (wrong KIMBOT_ENCRYPTION_KEY, or a key missing from KIMBOT_OLD_ENCRYPTION_KEY?)")

// Open decrypts what Seal produced for the same place, with the current key
// or an old one; nil opens to "".
func (k *Keys) Open(sealed []byte, where string) (string, error) {
	pt, _, err := k.open(sealed, where)
	return pt, err
}

// open returns the plaintext and whether the current key opened it.
func (k *Keys) open(sealed []byte, where string) (string, bool, error) {
	if len(sealed) == 0 {
		return "", true, nil
	}
	for i, d := range k.all() {
		n := d.aead.NonceSize()
		if len(sealed) < n+d.aead.Overhead() {
			return "", false, errors.New("secret: ciphertext too short")
		}
		if pt, err := d.aead.Open(nil, sealed[:n], sealed[n:], []byte(where)); err == nil {
			return string(pt), i == 0, nil
		}
	}
	return "", false, errUnreadable
}

// Reseal returns the value sealed with the current key: unchanged (and
// changed false) when the current key already opens it, else opened with an
// old key and sealed anew. An error when no key opens it.
func (k *Keys) Reseal(sealed []byte, where string) (out []byte, changed bool, err error) {
	pt, current, err := k.open(sealed, where)
	if err != nil || current {
		return sealed, false, err
	}
	return k.Seal(pt, where), true, nil
}

// Sign returns a MAC over the message with the current key, hex encoded.
func (k *Keys) Sign(msg string) string { return k.current.sign(msg) }

// Verify reports whether sig is Sign(msg) under the current key or an old
// one, in constant time.
func (k *Keys) Verify(msg, sig string) bool {
	ok := false
	for _, d := range k.all() {
		ok = hmac.Equal([]byte(d.sign(msg)), []byte(sig)) || ok
	}
	return ok
}

func (d derived) sign(msg string) string {
	m := hmac.New(sha256.New, d.signKey)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

func (k *Keys) all() []derived { return append([]derived{k.current}, k.old...) }
