// Package secret seals personal data at rest (AES-256-GCM) and signs the
// contexts of interactive buttons and dialogs (HMAC-SHA256), both with keys
// derived from KIMBOT_ENCRYPTION_KEY.
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

// Keys holds the sealing and signing keys derived from one master key.
type Keys struct {
	aead    cipher.AEAD
	signKey []byte
}

// ParseKey decodes a master key given as base64 (standard or URL) or hex of
// exactly 32 bytes and returns the derived keys.
func ParseKey(s string) (*Keys, error) {
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
		return nil, errors.New("secret: KIMBOT_ENCRYPTION_KEY must be 32 random bytes, base64 or hex encoded (e.g. `openssl rand -base64 32`)")
	}
	block, err := aes.NewCipher(derive(raw, "kimbot seal v1"))
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	return &Keys{aead: aead, signKey: derive(raw, "kimbot sign v1")}, nil
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

// Seal encrypts plaintext; the additional data binds the ciphertext to its
// place (e.g. "case.pseudonym"), so a value cannot be moved to another column.
// An empty plaintext seals to nil.
func (k *Keys) Seal(plaintext, where string) []byte {
	if plaintext == "" {
		return nil
	}
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic(err)
	}
	return k.aead.Seal(nonce, nonce, []byte(plaintext), []byte(where))
}

// Open decrypts what Seal produced for the same place; nil opens to "".
func (k *Keys) Open(sealed []byte, where string) (string, error) {
	if len(sealed) == 0 {
		return "", nil
	}
	n := k.aead.NonceSize()
	if len(sealed) < n {
		return "", errors.New("secret: ciphertext too short")
	}
	pt, err := k.aead.Open(nil, sealed[:n], sealed[n:], []byte(where))
	if err != nil {
		return "", errors.New("secret: cannot decrypt (wrong KIMBOT_ENCRYPTION_KEY?)")
	}
	return string(pt), nil
}

// Sign returns a MAC over the message, hex encoded.
func (k *Keys) Sign(msg string) string {
	m := hmac.New(sha256.New, k.signKey)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether sig is Sign(msg), in constant time.
func (k *Keys) Verify(msg, sig string) bool {
	return hmac.Equal([]byte(k.Sign(msg)), []byte(sig))
}
