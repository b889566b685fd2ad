package commands

import ()

// settings shows or changes the caller's personal settings.
func (r *Runner) settings(a *Args) (Reply, error) {
	u := r.req.User
	if a.Has("digest") {
		hhmm := "" // off
		if t := a.Clock("digest"); t != nil {
			hhmm = t.String()
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
		r.Lang = u.Language()
	}
	digest := u.DigestTime
	if digest == "" {
		digest = r.T("settings.off", nil)
	}
	key := "settings.show"
	if a.Has("digest") || a.Has("lang") {
		key = "settings.saved"
	}
	return Reply{Text: r.T(key, map[string]any{"Digest": digest, "Lang": r.T("lang."+r.Lang, nil), "TZ": u.Location().String()})}, nil
}
