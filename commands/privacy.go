package commands

import (
	"encoding/json"
	"strings"

	"github.com/kimbot-nrw/kimbot/kim"
)

func init() {
	register(&Verb{
		Name: "export", Alias: "auskunft", Roles: coach,
		Params:   []Param{{Name: "case", Kind: CaseRef}},
		Run:      (*Runner).export,
		Examples: []string{"/kim export K-2026-0042", "/kim auskunft k-2026-0042"},
	}, &Verb{
		Name: "erase", Alias: "loeschen", Roles: coach,
		Params:   []Param{{Name: "case", Kind: CaseRef}, {Name: "confirm", Kind: Choice, Choices: []string{"confirm"}, Aliases: map[string]string{"bestaetigen": "confirm"}, Optional: true}},
		Run:      (*Runner).erase,
		Examples: []string{"/kim erase K-2026-0042", "/kim erase K-2026-0042 confirm", "/kim loeschen K-2026-0042 bestaetigen"},
	})
}

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
	ref := strings.ToUpper(a.Str("case"))
	if !a.Has("confirm") {
		// Check the case exists for the caller before asking to confirm.
		if _, err := r.svc.Store.Card(r.ctx, r.Actor(), ref); err != nil {
			return Reply{}, err
		}
		return Reply{Text: r.T("erase.confirm", map[string]any{"Ref": ref})}, nil
	}
	c, err := r.svc.Store.EraseCase(r.ctx, r.Actor(), ref)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("erase.done", map[string]any{"Ref": c.Ref})}, nil
}
