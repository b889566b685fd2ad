package commands

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"time"

	"github.com/kimbot-nrw/kimbot/kim"
)

// ExportLinkTTL is how long an export's download link can be used (once).
const ExportLinkTTL = 15 * time.Minute

// Exports hands out download links of Art. 15 exports and removes the bot's
// export posts from Mattermost after erasures (bot.Exports implements it).
type Exports interface {
	// URL returns the signed download address of link id of the user,
	// valid until expires.
	URL(userID, id string, expires time.Time) string
	// Post posts message into the bot's DM with the user, marked as being
	// about the export of ref, and returns the post's id.
	Post(ctx context.Context, userID, ref, message string) (string, error)
	// Clean deletes the bot's export posts of erased cases from Mattermost
	// (what store.ExportCleanups lists); the reminder pass retries failures.
	Clean(ctx context.Context) error
}

// export sends the caller a single-use download link, valid for
// ExportLinkTTL, of everything kimbot holds about a case (DSGVO Art. 15;
// also the transfer into the legal case file). The DM carries only the link:
// the export is generated when the link is used and never put into
// Mattermost, so erasure leaves nothing of it there.
func (r *Runner) export(a *Args) (Reply, error) {
	if r.svc.Exports == nil {
		return Reply{}, kim.Errorf(kim.EUNAVAILABLE, "export.no_files", nil)
	}
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return Reply{}, err
	}
	id := base64.RawURLEncoding.EncodeToString(b)
	expires := r.now.Add(ExportLinkTTL)
	c, err := r.svc.Store.CreateExportLink(r.ctx, r.Actor(), a.Str("case"), id, expires)
	if err != nil {
		return Reply{}, err
	}
	until := expires.In(r.req.User.Location()).Format("15:04")
	msg := r.T("export.link_message", map[string]any{"Ref": c.Ref, "URL": r.svc.Exports.URL(r.req.User.ID, id, expires),
		"Until": until, "Minutes": int(ExportLinkTTL / time.Minute)})
	if _, err := r.svc.Exports.Post(r.ctx, r.req.User.ID, c.Ref, msg); err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("export.sent", map[string]any{"Ref": c.Ref, "Until": until})}, nil
}

// cleanExports removes the bot's export posts of the cases just erased from
// Mattermost; what fails is logged and left to the reminder pass.
func (r *Runner) cleanExports() {
	if r.svc.Exports == nil {
		return
	}
	if err := r.svc.Exports.Clean(r.ctx); err != nil {
		r.svc.Log.Warn("commands: export posts not yet removed from Mattermost; the reminder pass retries", "err", err)
	}
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
		return Reply{Text: r.T("erase.confirm", map[string]any{"Ref": c.Ref, "Line": r.typedConfirmLine()})}, nil
	}
	c, err := r.svc.Store.EraseCase(r.ctx, r.Actor(), ref)
	if err != nil {
		return Reply{}, err
	}
	r.cleanExports()
	return Reply{Text: r.T("erase.done", map[string]any{"Ref": c.Ref})}, nil
}
