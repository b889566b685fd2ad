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
	"maps"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/kimbot-nrw/kimbot/kim"
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

// Localized is a value of template data that is rendered in the reader's
// language (a usage line, the name of a parameter): an error made before
// the language is known carries it, and T renders it.
type Localized interface{ Local(lang string) string }

// MaxListedRefs is how many case references one answer or DM lists.
const MaxListedRefs = 50

// RefList is case references for an answer: comma-separated, at most
// MaxListedRefs, then how many more, in the reader's language.
type RefList []string

// Local renders the list in lang.
func (refs RefList) Local(lang string) string {
	if len(refs) <= MaxListedRefs {
		return strings.Join(refs, ", ")
	}
	return strings.Join(refs[:MaxListedRefs], ", ") + " " + T(lang, "staff.more_refs", map[string]any{"N": len(refs) - MaxListedRefs})
}

// T returns the message id in lang ("de" or "en"), filled with data. Dates
// in data (kim.Date, *kim.Date) are formatted for lang: DD.MM.YYYY in
// German, YYYY-MM-DD in English, a nil *kim.Date as "–"; Localized values
// are rendered in lang. A missing message is logged and its id returned,
// so nothing panics.
func T(lang, id string, data map[string]any) string {
	l, ok := localizers[lang]
	if !ok {
		lang, l = "de", localizers["de"]
	}
	s, err := l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: dates(lang, data)})
	if err != nil {
		slog.Error("messages: missing or broken text", "id", id, "lang", lang, "err", err)
		return id
	}
	return s
}

// Capital returns s with its first letter in upper case: a label that
// stands at the start of a table's row or a form's field (soziale Teilhabe,
// refugees) rather than inside a sentence.
func Capital(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// Lookup returns the message id in lang without data; ok is false when the
// catalogue has no such message (nothing is logged).
func Lookup(lang, id string) (s string, ok bool) {
	l, found := localizers[lang]
	if !found {
		l = localizers["de"]
	}
	s, err := l.Localize(&i18n.LocalizeConfig{MessageID: id})
	return s, err == nil
}

// dates returns data with its dates and Localized values rendered for
// lang; data itself is left as it is (an error's arguments are rendered in more than one language).
func dates(lang string, data map[string]any) map[string]any {
	out, copied := data, false
	for k, v := range data {
		var s string
		switch d := v.(type) {
		case kim.Date:
			s = d.Format(lang)
		case *kim.Date:
			s = "–"
			if d != nil {
				s = d.Format(lang)
			}
		case Localized:
			s = d.Local(lang)
		default:
			continue
		}
		if !copied {
			out, copied = maps.Clone(data), true
		}
		out[k] = s
	}
	return out
}

// Or joins xs for people as alternatives: "a, b oder c" in German, "a, b
// or c" in English (the catalogue's list.or); "" for none.
func Or(lang string, xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	n := len(xs) - 1
	return T(lang, "list.or", map[string]any{"Init": strings.Join(xs[:n], ", "), "Last": xs[n]})
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
