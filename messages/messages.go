// Package messages holds every text kimbot shows to people, in German and
// English, as go-i18n message catalogues (catalog/<area>.<lang>.json).
// German is the default and the fallback.
package messages

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed catalog/*.json
var files embed.FS

// Languages kimbot speaks, default first.
var Languages = []string{"de", "en"}

var (
	bundle     = load()
	localizers = map[string]*i18n.Localizer{
		"de": i18n.NewLocalizer(bundle, "de"),
		"en": i18n.NewLocalizer(bundle, "en", "de"),
	}
)

func load() *i18n.Bundle {
	b := i18n.NewBundle(language.German)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	names, err := fs.Glob(files, "catalog/*.json")
	if err != nil {
		panic(err)
	}
	for _, n := range names {
		if _, err := b.LoadMessageFileFS(files, n); err != nil {
			panic(fmt.Sprintf("messages: %s: %v", n, err)) // a broken catalogue is a build error
		}
	}
	return b
}

// T returns the message id in lang ("de" or "en"), filled with data. A
// missing message is logged and its id returned, so nothing panics.
func T(lang, id string, data map[string]any) string {
	l, ok := localizers[lang]
	if !ok {
		l = localizers["de"]
	}
	s, err := l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		slog.Error("messages: missing or broken text", "id", id, "lang", lang, "err", err)
		return id
	}
	return s
}

// IDs returns the message ids of each language, for completeness tests.
func IDs() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	names, _ := fs.Glob(files, "catalog/*.json")
	for _, n := range names {
		parts := strings.Split(path.Base(n), ".") // <area>.<lang>.json
		lang := parts[len(parts)-2]
		raw, _ := files.ReadFile(n)
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		if out[lang] == nil {
			out[lang] = map[string]bool{}
		}
		for k := range m {
			out[lang][k] = true
		}
	}
	return out
}
