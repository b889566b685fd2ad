package commands

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/kim"
)

// Roles are declared per node of the tree and inherited by the nodes below
// unless they name their own, at any depth.
func TestRolesInherit(t *testing.T) {
	leaf := &Verb{Name: "c", Run: (*Runner).help}
	own := &Verb{Name: "d", Roles: admin, Run: (*Runner).help}
	mid := &Verb{Name: "b", Roles: anyRole, Subs: []*Verb{leaf, own}}
	free := &Verb{Name: "e", Run: (*Runner).help}
	top := link(&Verb{Subs: []*Verb{{Name: "a", Roles: coach, Subs: []*Verb{mid}}, free}})
	for v, want := range map[*Verb][]kim.Role{top.Subs[0]: coach, mid: anyRole, leaf: anyRole, own: admin, free: nil} {
		if got := v.roles(); len(got) != len(want) || (len(want) > 0 && got[0] != want[0]) {
			t.Errorf("%s: roles %v, want %v", v.Path(), got, want)
		}
	}
	if leaf.Path() != "a b c" || leaf.key() != "a.b.c" {
		t.Errorf("path %q, key %q", leaf.Path(), leaf.key())
	}
}

// `/kim …` lines and the answer or refusal each gets: usage lines with every
// form, alternative words, nested roles, dates and lists in the caller's
// language.
func TestVerbTable(t *testing.T) {
	w := newWorld(t)
	w.svc.Channels = newChannels("netz")
	w.ok("anna", "open AB group=refugee consent=yes")
	w.ok("kora", "meeting new 2026-12-03 14:00 Netzwerktreffen channel=~netz")
	w.ok("kora", "action add M-1 @ben \"Termin vereinbaren\"")
	w.ok("ben", "action done A-1")
	const k = "K-2026-0001"
	for _, tc := range []struct {
		user, line, outcome string
		want, not           []string
	}{
		// Required parameters of a verb with a form are required in its
		// usage; the bare form is a line of its own. German readers see the
		// German verbs, names and values, English readers the English ones.
		{"anna", "contact " + k, kim.EINVALID, []string{"Es fehlt: Art",
			"`/kim kontakt <fall> <persönlich|Telefon|Video|Nachricht|Hausbesuch> <notiz> [minuten=<minuten>] [datum=<datum>]`"}, []string{"in-person", "kind"}},
		{"ben", "contact " + k, kim.EINVALID, []string{"Missing: Kind",
			"`/kim contact <case> <in-person|phone|video|message|home-visit> <note> [minutes=<minutes>] [date=<date>]`"}, []string{"persönlich"}},
		{"anna", "refer " + k + " jmd", kim.EINVALID, []string{"Es fehlt: Anlass", "`/kim verweis <fall> <partner> <anlass> [nachfassen=<nachfassen>]`"}, nil},
		{"anna", "help contact", "ok", []string{"- `/kim kontakt <fall> <persönlich|Telefon|Video|Nachricht|Hausbesuch> <notiz> [minuten=<minuten>] [datum=<datum>]` · `/kim kontakt <fall>`"}, nil},
		{"ben", "help contact", "ok", []string{"- `/kim contact <case> <in-person|phone|video|message|home-visit> <note> [minutes=<minutes>] [date=<date>]` · `/kim contact <case>`"}, nil},
		{"anna", "help", "ok", []string{"`/kim neu <pseudonym> gruppe=<Geflüchtete|Unionsbürger|Drittstaatsangehörige|Sonstige>", "` · `/kim neu` (open)",
			"`/kim abwesend <von> <bis> vertretung=<vertretung>` · `/kim abwesend aus` · `/kim abwesend zurück` · `/kim abwesend` (away)",
			"`/kim verweis <fall> <partner> <anlass> [nachfassen=<nachfassen>]` · `/kim verweis <fall>`"}, nil},
		{"ben", "help", "ok", []string{"`/kim open <pseudonym> group=<refugee|eu|third-country|other>", "` · `/kim open` (neu)",
			"`/kim away <from> <to> deputy=<deputy>` · `/kim away off` · `/kim away back` · `/kim away` (abwesend)"}, nil},
		// A German reader is offered the German words, an English one the English.
		{"anna", "cases maybe", kim.EINVALID, []string{"Filter: „maybe“ geht nicht; möglich: offen, abgeschlossen, fällig, alle. Richtig: `/kim fälle [<offen|abgeschlossen|fällig|alle>] [seite=<seite>]`"}, []string{"closed"}},
		{"ben", "cases maybe", kim.EINVALID, []string{"choose: open, closed, due, all. Correct form: `/kim cases [<open|closed|due|all>] [page=<page>]`"}, []string{"offen", "faellig"}},
		{"anna", "help cases", "ok", []string{"`/kim fälle [<offen|abgeschlossen|fällig|alle>] [seite=<seite>]`"}, []string{"closed"}},
		{"anna", "faelle alle", "ok", []string{k}, nil},
		// A date or the word off.
		{"anna", "away aus", "ok", []string{"keine Abwesenheit eingetragen"}, nil},
		{"ben", "away off deputy=@anna", kim.EINVALID, []string{"Too much given: “deputy=@anna”", "`/kim away off`"}, nil},
		{"ben", "away 2026-12-10 off", kim.EINVALID, []string{"To: “off” is not a valid date"}, nil},
		{"ben", "settings digest=off", "ok", []string{"Daily digest off"}, nil},
		{"ben", "settings digest=7:05", "ok", []string{"Daily digest 07:05"}, nil},
		{"ben", "settings digest=soon", kim.EINVALID, []string{"Digest: “soon” is not a time", "[digest=<HH:MM>|off]"}, nil},
		{"anna", "einwilligung " + k + " erteilen Verarbeitung", kim.ECONFLICT, []string{"Verarbeitung ist für K-2026-0001 schon erfasst"}, nil},
		// The administration's line names all of it, the transition templates too.
		{"root", "hilfe", "ok", []string{"Verwaltung: Rollen, Übergaben, Vorgaben des Teams, Partner, Themen, Übergangsvorlagen zum Rechtskreiswechsel, Protokoll"}, nil},
		{"root", "hilfe admin", "ok", []string{"`/kim admin übergang liste AsylbLG SGB II`", "SGB XII|keiner> <nr> [<bestätigen>]`"}, []string{"liste AsylbLG SGB2"}},
		// Roles of a sub-verb's sub-verb.
		{"kora", "admin partner list", "ok", []string{"`jmd`"}, nil},
		{"ben", "admin partner add steuer Finanzamt", kim.EFORBIDDEN, []string{"`/kim admin partner add` is only for admins"}, nil},
		{"ben", "admin partner", "ok", []string{"**Partner directory (9)**"}, nil}, // the verb alone is its list
		{"ben", "admin", kim.EINVALID, []string{"`/kim admin <role|roles|transfer|handover|defaults|partner|topic|transition|audit> …`"}, nil},
		{"kora", "admin partner list jmd", kim.EINVALID, []string{"Zu viel angegeben: „jmd“"}, nil},
		// Dates and lists in the caller's language.
		{"ben", "action done A-1", kim.ECONFLICT, []string{"A-1 has been done since 2026-11-23."}, []string{"23.11.2026"}},
		{"kora", "action done A-1", kim.ECONFLICT, []string{"seit 23.11.2026"}, nil},
		{"ben", "report 2027", kim.EINVALID, []string{"today is 2026-11-23"}, []string{"23.11.2026"}},
		{"anna", "report 2027", kim.EINVALID, []string{"heute ist der 23.11.2026"}, nil},
		{"ben", "meeting list", kim.EFORBIDDEN, []string{"`/kim meeting list` is only for coordinators or admins"}, nil},
		{"anna", "agenda post M-1", kim.EFORBIDDEN, []string{"ist nur für die Koordination oder Admins"}, nil},
	} {
		rep := w.want("teamA", tc.user, tc.line, tc.outcome, tc.want...)
		for _, f := range tc.not {
			if strings.Contains(rep.Text, f) {
				t.Errorf("%s: %q: answer has %q:\n%s", tc.user, tc.line, f, rep.Text)
			}
		}
	}
	if n := w.count(`SELECT count(*) FROM partners WHERE key = 'steuer'`); n != 0 {
		t.Fatalf("a coach added a partner")
	}
}

// Words typed are folded (lower case, ä→ae, ß→ss) before they are looked up,
// so every name, alias, German value and value key of the table must be in
// folded form, or it can never match.
func TestTableWordsFolded(t *testing.T) {
	check := func(where, w string) {
		if w != "" && w != kim.Fold(w) {
			t.Errorf("%s: %q is never matched; write it as %q", where, w, kim.Fold(w))
		}
	}
	params := func(v *Verb, ps []Param) {
		for _, p := range ps {
			check(v.Path()+" "+p.Name, p.Name)
			check(v.Path()+" "+p.Name, p.Alias)
			for _, w := range p.Also {
				check(v.Path()+" "+p.Name, w)
			}
			for k := range p.Aliases {
				check(v.Path()+" "+p.Name+" value", k)
			}
			for _, w := range p.De {
				check(v.Path()+" "+p.Name+" German value", w)
			}
		}
	}
	for _, top := range Verbs() {
		walk(top, func(v *Verb) {
			check(v.Path(), v.Name)
			check(v.Path(), v.Alias)
			for _, w := range v.Also {
				check(v.Path(), w)
			}
			params(v, v.Params)
			params(v, v.Options)
		})
	}
}

// TestGermanSpellings: what a German reader sees of the grammar (usage
// lines, help) spells the words with umlauts and ß — ändern, not aendern —
// and each spelling folds back to the word the parser matches. A new
// transcribed word of the table must get its spelling (or be listed here
// as one that is spelt so: Anlass, nachfassen).
func TestGermanSpellings(t *testing.T) {
	for folded, spelt := range spellings {
		if kim.Fold(spelt) != folded || spelt == folded {
			t.Errorf("spelling %q of %q: it folds to %q", spelt, folded, kim.Fold(spelt))
		}
	}
	spelledSo := map[string]bool{"anlass": true, "nachfassen": true, "steuer": true, "neue": true}
	transcribed := regexp.MustCompile(`ae|oe|ue|ss`)
	seen := map[string]bool{}
	words := func(v *Verb, ws ...string) {
		for _, w := range ws {
			if w != "" && transcribed.MatchString(w) && !spelledSo[w] && german(w) == w {
				t.Errorf("%s: %q has no German spelling (spellings)", v.Path(), w)
			}
			seen[w] = true
		}
	}
	for _, top := range Verbs() {
		walk(top, func(v *Verb) {
			words(v, v.Alias)
			for _, ps := range [][]Param{v.Params, v.Options} {
				for _, p := range ps {
					words(v, p.Alias)
					for i, w := range p.De {
						if p.germanLabel(p.Choices[i]) == "" { // a labelled choice is shown by its label
							words(v, w)
						}
					}
					for w, key := range p.Aliases { // an Or word is shown by an alias (abwesend zurück)
						if slices.Contains(p.Or, key) {
							words(v, w)
						}
					}
				}
			}
			usage := v.Usage("de")
			for folded := range spellings {
				if regexp.MustCompile(`(^|[^a-zäöüß])` + folded + `($|[^a-z])`).MatchString(usage) {
					t.Errorf("%s: the German usage shows %q: %s", v.Path(), folded, usage)
				}
			}
		})
	}
	for folded := range spellings {
		if !seen[folded] {
			t.Errorf("spelling of %q: no verb, parameter or choice has that word", folded)
		}
	}
}
