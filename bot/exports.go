package bot

// Art. 15 exports through kimbot's own download link (issue 10 point 5).
// The bot's DM carries only a link; the export is generated when the link
// is used and goes straight to the browser, so nothing of it is kept in
// Mattermost's file store. Threat model (README, "Data-subject rights"): a
// browser has no Mattermost session, so the link itself is the credential —
// HMAC-signed over the coach's user id and its random id, valid for
// commands.ExportLinkTTL, usable once (the row in export_links is used up
// atomically), and checked again at use against the coach's access to the
// case and team membership. Opening the link shows a page with a button; only
// the button's POST uses the link up, so a link preview or a mail scanner
// fetching the URL cannot spend it. Erasure deletes the rows: every
// outstanding link fails.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/commands"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
	"github.com/kimbot-nrw/kimbot/store"
)

// ExportPath is where export links point (GET: the page, POST: the file).
const ExportPath = "/export/"

// ExportProp marks the bot's posts about the export of a case (its
// reference), so that erasure finds and deletes them.
const ExportProp = "kimbot_export"

// Exports implements commands.Exports with the bot's client and the store.
type Exports struct {
	Client    *Client
	Store     *store.Store
	PublicURL string
	Log       *slog.Logger
}

var _ commands.Exports = (*Exports)(nil)

// exportToken signs a link's id for the user until expires.
func exportToken(s *store.Store, userID, id string, expires time.Time) string {
	signed := SignFields(s.Keys(), expires, 0, "export", userID, id)
	return base64.RawURLEncoding.EncodeToString([]byte(signed))
}

// URL returns the signed download address of link id of the user.
func (e *Exports) URL(userID, id string, expires time.Time) string {
	return e.PublicURL + ExportPath + exportToken(e.Store, userID, id, expires)
}

// Post posts message into the bot's DM with the user, marked with
// ExportProp, and returns the post's id.
func (e *Exports) Post(ctx context.Context, userID, ref, message string) (string, error) {
	c := e.Client
	dm, resp, err := c.api.CreateDirectChannel(ctx, c.BotID, userID)
	if err != nil {
		return "", apiErr("direct channel", resp, err)
	}
	p := &model.Post{ChannelId: dm.Id, Message: message}
	p.AddProp(ExportProp, ref)
	p, resp, err = c.api.CreatePost(ctx, p)
	if err != nil {
		return "", apiErr("post export link", resp, err)
	}
	return p.Id, nil
}

// cleanupAttempts is how often a cleanup is tried before it is only logged
// as left over (a user deleted from Mattermost, say).
const cleanupAttempts = 50

// Clean deletes the bot's export posts of erased cases from Mattermost (and
// with them their files from Mattermost's file API): every post in the DM
// with a user who exported the case that carries ExportProp for it or an
// export file of an earlier release ("kimbot-<ref>.json").
func (e *Exports) Clean(ctx context.Context) error {
	list, err := e.Store.ExportCleanups(ctx, 100)
	if err != nil {
		return err
	}
	var errs []error
	for _, x := range list {
		if x.Attempts >= cleanupAttempts {
			continue
		}
		n, err := e.Client.deleteExportPosts(ctx, x.UserID, x.Ref)
		if err != nil {
			errs = append(errs, fmt.Errorf("bot: export posts of an erased case for user %s: %w", x.UserID, err))
			if x.Attempts+1 == cleanupAttempts {
				// No case reference in logs: the row of export_cleanups names it.
				e.Log.Error("bot: giving up deleting export posts from Mattermost; delete them by hand (README, Data-subject rights)",
					"team", x.TeamID, "user", x.UserID, "err", err)
			}
		} else if n > 0 {
			e.Log.Info("bot: deleted export posts of an erased case", "user", x.UserID, "posts", n)
		}
		if err := e.Store.SettleExportCleanup(ctx, x, err == nil); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// maxCleanupPages bounds how far back a cleanup reads a DM (200 posts a page).
const maxCleanupPages = 200

// deleteExportPosts deletes the bot's posts about the export of ref in its DM
// with the user and returns how many.
func (c *Client) deleteExportPosts(ctx context.Context, userID, ref string) (int, error) {
	dm, resp, err := c.api.CreateDirectChannel(ctx, c.BotID, userID)
	if err != nil {
		return 0, apiErr("direct channel", resp, err)
	}
	file := "kimbot-" + ref + ".json"
	var doomed []string
	for page := 0; page < maxCleanupPages; page++ {
		list, resp, err := c.api.GetPostsForChannel(ctx, dm.Id, page, 200, "", false, false)
		if err != nil {
			return 0, apiErr("channel posts", resp, err)
		}
		for _, p := range list.Posts {
			if p.UserId != c.BotID || p.DeleteAt != 0 {
				continue
			}
			if v, _ := p.GetProp(ExportProp).(string); v == ref {
				doomed = append(doomed, p.Id)
				continue
			}
			if len(p.FileIds) == 0 {
				continue
			}
			infos := []*model.FileInfo(nil)
			if p.Metadata != nil {
				infos = p.Metadata.Files
			}
			if len(infos) == 0 {
				if infos, resp, err = c.api.GetFileInfosForPost(ctx, p.Id, ""); err != nil {
					return 0, apiErr("file infos", resp, err)
				}
			}
			for _, fi := range infos {
				if fi.Name == file {
					doomed = append(doomed, p.Id)
					break
				}
			}
		}
		if len(list.Order) < 200 {
			break
		}
	}
	for _, id := range doomed {
		if resp, err := c.api.DeletePost(ctx, id); err != nil && (resp == nil || resp.StatusCode != http.StatusNotFound) {
			return 0, apiErr("delete post", resp, err)
		}
	}
	return len(doomed), nil
}

// exportPage is what opening an export link shows: one button whose POST
// fetches the export.
var exportPage = template.Must(template.New("export").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<title>{{.Title}}</title></head><body>
<h1>{{.Title}}</h1><p>{{.Text}}</p>
<form method="post"><button type="submit">{{.Button}}</button></form>
</body></html>
`))

// exportLink reads the signed token of an export link: the user and the
// link's id; ok false when it was altered, forged or has expired.
func (s *Server) exportLink(r *http.Request) (userID, id string, ok bool) {
	raw, err := base64.RawURLEncoding.DecodeString(r.PathValue("token"))
	if err != nil {
		return "", "", false
	}
	f, ok := VerifyFields(s.Store.Keys(), string(raw), s.clock().Now())
	if !ok || len(f) != 3 || f[0] != "export" {
		return "", "", false
	}
	return f[1], f[2], true
}

// exportHeaders keep an export and its link out of caches, referrers and
// frames.
func exportHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; form-action 'self'")
}

// refuseExport answers a link that does not (or no longer) work: 410 with
// the reason in the user's language (German when unknown).
func (s *Server) refuseExport(w http.ResponseWriter, r *http.Request, userID, reason string) {
	refusedTotal.WithLabelValues("export", reason).Inc()
	lang := "de"
	if userID != "" {
		lang = s.language(r.Context(), kim.User{ID: userID})
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusGone)
	fmt.Fprintln(w, messages.T(lang, "export.link_invalid", nil))
}

// exportForm shows the page of an export link that still works.
func (s *Server) exportForm(w http.ResponseWriter, r *http.Request) {
	exportHeaders(w)
	userID, id, ok := s.exportLink(r)
	if !ok {
		s.refuseExport(w, r, "", "signature")
		return
	}
	valid, err := s.Store.ExportLinkValid(r.Context(), id, userID, s.clock().Now())
	if err != nil {
		s.Log.Error("bot: export link", "err", err)
		http.Error(w, messages.T("de", "err.unavailable", nil)+"\n"+messages.T("en", "err.unavailable", nil), http.StatusServiceUnavailable) // the reader's language is not known without the database
		return
	}
	if !valid {
		s.refuseExport(w, r, userID, "used")
		return
	}
	lang := s.language(r.Context(), kim.User{ID: userID})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	exportPage.Execute(w, map[string]string{"Lang": lang, "Title": messages.T(lang, "export.page_title", nil),
		"Text": messages.T(lang, "export.page_text", nil), "Button": messages.T(lang, "export.page_button", nil)})
}

// exportFetch uses an export link up and answers the export as a JSON file,
// generated now. The user must still be a member of the case's team in
// Mattermost and entitled to the case in kimbot.
func (s *Server) exportFetch(w http.ResponseWriter, r *http.Request) {
	exportHeaders(w)
	userID, id, ok := s.exportLink(r)
	if !ok {
		s.refuseExport(w, r, "", "signature")
		return
	}
	now := s.clock().Now()
	x, err := s.Store.FetchExport(r.Context(), id, userID, now, kim.DateOf(now.In(kim.Berlin)), s.memberCheck)
	if kim.ErrorCode(err) == kim.ENOTFOUND || kim.ErrorCode(err) == kim.EFORBIDDEN {
		s.refuseExport(w, r, userID, "used")
		return
	}
	if err != nil {
		s.Log.Error("bot: export fetch", "err", err)
		http.Error(w, messages.T("de", "err.unavailable", nil)+"\n"+messages.T("en", "err.unavailable", nil), http.StatusServiceUnavailable) // the reader's language is not known without the database
		return
	}
	x.ExportedAt = now.UTC().Format("2006-01-02T15:04:05Z")
	data, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		s.Log.Error("bot: export encode", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="kimbot-`+x.Ref+`.json"`)
	w.Write(data)
}

// memberCheck reports whether the user is a member of the team in
// Mattermost (store.FetchExport asks before it uses a link up).
func (s *Server) memberCheck(ctx context.Context, teamID, userID string) (bool, error) {
	return s.Bot.TeamMember(ctx, teamID, userID)
}
