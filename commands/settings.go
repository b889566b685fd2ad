package commands

import (
	"strings"
)

func init() {
	register(&Verb{
		Name: "settings", Alias: "einstellungen",
		Options: []Param{
			{Name: "digest", Kind: Word, Optional: true, Max: 5},
			{Name: "lang", Kind: Choice, Choices: []string{"de", "en"}, Optional: true},
		},
		Run:      (*Runner).settings,
		Examples: []string{"/kim settings", "/kim settings digest=07:30", "/kim einstellungen digest=aus lang=de", "/kim settings lang=en"},
	})
}

// settings shows or changes the caller's personal settings.
func (r *Runner) settings(a *Args) (Reply, error) {
	u := r.req.User
	if a.Has("digest") {
		v := strings.ToLower(a.Str("digest"))
		hhmm := ""
		if v != "off" && v != "aus" {
			x, err := convert(Param{Name: "digest", Kind: Clock}, v, a.Verb)
			if err != nil {
				return Reply{}, err
			}
			hhmm = x.(string)
		}
		if err := r.svc.Store.SetDigestTime(r.ctx, u.ID, hhmm); err != nil {
			return Reply{}, err
		}
		u.DigestTime = hhmm
	}
	if a.Has("lang") {
		if err := r.svc.Store.SetLanguage(r.ctx, u.ID, a.Str("lang")); err != nil {
			return Reply{}, err
		}
		u.Lang = a.Str("lang")
		r.lang = u.Language()
	}
	digest := u.DigestTime
	if digest == "" {
		digest = r.T("settings.off", nil)
	}
	key := "settings.show"
	if a.Has("digest") || a.Has("lang") {
		key = "settings.saved"
	}
	return Reply{Text: r.T(key, map[string]any{"Digest": digest, "Lang": r.T("lang."+r.lang, nil), "TZ": u.Location().String()})}, nil
}
