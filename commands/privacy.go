package commands

import (
	"encoding/json"

	"github.com/kimbot-nrw/kimbot/kim"
)

// export sends everything kimbot holds about a case as a JSON file into the
// caller's DM (DSGVO Art. 15; also the transfer into the legal case file).
func (r *Runner) export(a *Args) (Reply, error) {
	if r.svc.Files == nil {
		return Reply{}, kim.Errorf(kim.EUNAVAILABLE, "export.no_files", nil)
	}
	x, err := r.svc.Store.ExportCase(r.ctx, r.Actor(), a.Str("case"))
	if err != nil {
		return Reply{}, err
	}
	x.ExportedAt = r.now.UTC().Format("2006-01-02T15:04:05Z")
	data, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		return Reply{}, err
	}
	name := "kimbot-" + x.Ref + ".json"
	msg := r.T("export.file_message", map[string]any{"Ref": x.Ref})
	if _, err := r.svc.Files.SendFile(r.ctx, r.req.User.ID, name, data, msg); err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("export.sent", map[string]any{"Ref": x.Ref, "File": name})}, nil
}

// erase removes the personal data of a case (DSGVO Art. 17) after the
// caller confirmed; without "confirm" it only says what would happen.
func (r *Runner) erase(a *Args) (Reply, error) {
	ref := a.Str("case")
	if !a.Has("confirm") {
		c, err := r.svc.Store.DryRun().EraseCase(r.ctx, r.Actor(), ref)
		if err != nil {
			return Reply{}, err
		}
		return Reply{Text: r.T("erase.confirm", map[string]any{"Ref": c.Ref, "Line": r.confirmLine()})}, nil
	}
	c, err := r.svc.Store.EraseCase(r.ctx, r.Actor(), ref)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("erase.done", map[string]any{"Ref": c.Ref})}, nil
}
