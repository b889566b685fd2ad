package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/kim"
)

// exportURLRE finds an export's download link in the bot's DM.
var exportURLRE = regexp.MustCompile(`https?://[^\s)]+/export/[A-Za-z0-9_-]+`)

// exportLink waits for the bot's newest DM to the user about the export of ref and returns the
// post and the download link it carries; the post must carry no file.
func (u *user) exportLink(t *testing.T, ref string, n int) (*model.Post, string) {
	t.Helper()
	posts := u.waitBotDMs(t, n)
	p := posts[len(posts)-1]
	if v, _ := p.GetProp("kimbot_export").(string); v != ref {
		t.Fatalf("newest DM is not the export of %s:\n%s", ref, postsText(posts))
	}
	if len(p.FileIds) != 0 {
		t.Fatalf("export DM carries files %v", p.FileIds)
	}
	link := exportURLRE.FindString(p.Message)
	if link == "" {
		t.Fatalf("export DM has no link: %q", p.Message)
	}
	return p, link
}

// fetch opens an export link as a browser would (GET shows a page, the page's button POSTs)
// and returns the status and body of the POST; a GET that already fails is returned instead.
func fetch(t *testing.T, link string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, body
	}
	if !strings.Contains(string(body), `<form method="post">`) {
		t.Fatalf("export page has no download button:\n%s", body)
	}
	resp, err = http.Post(link, "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ = io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// TestPrivacyExportErase: a coach exports a case (DSGVO Art. 15) and gets a single-use
// download link of kimbot's own in the DM with the bot — no file in Mattermost; the link
// returns the whole case once; another coach can neither export nor erase it; erasure
// (Art. 17) asks for confirmation first, then removes the pseudonym and every note from
// kimbot's database while the anonymous structure stays, makes an outstanding link fail and
// deletes the bot's export posts from Mattermost — the link posts and the export file an
// earlier release had uploaded into the DM — so nothing of the export is retrievable there.
func TestPrivacyExportErase(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t)
	coach := env.newUser(t, "coach", "de")
	other := env.newUser(t, "other", "en")
	env.grant(t, coach, "coach", "org=Caritas")
	env.grant(t, other, "coach", "org=DRK")
	ref := caseRefRE.FindString(coach.kimOK(t, "open \"Frau Q.\" group=refugee domain=SGB2 consent=yes", "K-"))
	coach.kimOK(t, "kontakt "+ref+" phone minutes=20 \"Termin beim Jobcenter vereinbart\"", ref)
	coach.kimOK(t, "einschaetzung "+ref+" work=2 language=3 note=\"spricht etwas Deutsch\"", ref)

	// Outsiders are refused and get nothing.
	other.kimOK(t, "export "+ref, "No case "+ref)
	other.kimOK(t, "erase "+ref+" confirm", "No case "+ref)
	if n := len(other.botDMs(t)); n != 0 {
		t.Fatalf("outsider got %d DMs from the bot", n)
	}

	coach.kimOK(t, "auskunft "+ref, "Download-Link", "einmal")
	post, link := coach.exportLink(t, ref, 1)
	if !strings.Contains(post.Message, "Art. 15") || strings.Contains(post.Message, "Frau Q.") {
		t.Errorf("export post lacks its purpose or shows case data: %q", post.Message)
	}
	// A forged or altered link is refused.
	if code, _ := fetch(t, link[:len(link)-3]+"AAA"); code != http.StatusGone {
		t.Fatalf("altered link answered %d", code)
	}
	code, data := fetch(t, link)
	if code != http.StatusOK {
		t.Fatalf("export link answered %d: %s", code, data)
	}
	var x kim.Export
	if err := json.Unmarshal(data, &x); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, data)
	}
	if x.Ref != ref || x.Pseudonym != "Frau Q." || len(x.Contacts) != 1 || x.Contacts[0].Note != "Termin beim Jobcenter vereinbart" ||
		x.Contacts[0].Minutes != 20 || len(x.Assessments) != 1 || x.Assessments[0].Scores["work"] != 2 || len(x.Consents) != 1 {
		t.Fatalf("export incomplete: %+v", x)
	}
	// Used once, the link is spent.
	if code, body := fetch(t, link); code != http.StatusGone || !strings.Contains(string(body), "schon benutzt") {
		t.Fatalf("second use of the link answered %d: %s", code, body)
	}

	// An installation upgraded from the file version: the bot had put the export as a file
	// into the DM (the coach's export above is in the audit log, as it was then).
	ctx := ctxT(t)
	botID, err := coach.UserIDByName(ctx, botUsername)
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := stack.admin.CreateUserAccessToken(ctx, botID, "e2e old export")
	if err != nil {
		t.Fatal(err)
	}
	asBot := model.NewAPIv4Client(stack.admin.URL)
	asBot.SetToken(tok.Token)
	dm, _, err := asBot.CreateDirectChannel(ctx, botID, coach.UserID())
	if err != nil {
		t.Fatal(err)
	}
	up, _, err := asBot.UploadFile(ctx, data, dm.Id, "kimbot-"+ref+".json")
	if err != nil {
		t.Fatal(err)
	}
	oldFile := up.FileInfos[0].Id
	oldPost, _, err := asBot.CreatePost(ctx, &model.Post{ChannelId: dm.Id, Message: "Auskunft zu Fall " + ref + " (Art. 15 DSGVO)",
		FileIds: []string{oldFile}})
	if err != nil {
		t.Fatal(err)
	}
	// (Not downloaded here: Mattermost caches a file's info by id for 30 minutes and does not
	// forget it when the post is deleted, so a file downloaded shortly before the erasure stays
	// downloadable from that cache for a while — README, "What erasure cannot remove".)
	if infos, _, err := coach.GetFileInfosForPost(ctx, oldPost.Id, ""); err != nil || len(infos) != 1 {
		t.Fatalf("old export file not in the DM before erasure: %v", err)
	}

	// A fresh link, left unused.
	coach.kimOK(t, "auskunft "+ref, "Download-Link")
	_, pending := coach.exportLink(t, ref, 3)

	// Without confirmation nothing happens.
	coach.kimOK(t, "loeschen "+ref, "bestätigen")
	coach.kimOK(t, "zeige "+ref, "Frau Q.")
	if code, _ := http.Get(pending); code == nil || code.StatusCode != http.StatusOK {
		t.Fatalf("the dry run spent the link")
	}
	coach.kimOK(t, "loeschen "+ref+" bestaetigen", "gelöscht")
	card := coach.kimOK(t, "zeige "+ref, "(gelöscht)", "abgeschlossen")
	if strings.Contains(card, "Frau Q.") || strings.Contains(card, "Jobcenter vereinbart") {
		t.Fatalf("erased card still shows personal data:\n%s", card)
	}
	coach.kimOK(t, "kontakt "+ref+" phone nochmal", "gelöscht")

	// The outstanding link is refused, and Mattermost keeps nothing of the export: no bot post
	// about it in the DM, the old post and its file gone from the API.
	if code, body := fetch(t, pending); code != http.StatusGone {
		t.Fatalf("link after erasure answered %d: %s", code, body)
	}
	for _, p := range coach.botDMs(t) {
		if len(p.FileIds) != 0 || p.GetProp("kimbot_export") != nil || strings.Contains(p.Message, ref) {
			t.Errorf("after erasure the DM still holds an export post: %s", postsText([]*model.Post{p}))
		}
	}
	// Mattermost marks a deleted post's files deleted in the background: wait for it.
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		_, resp, err := coach.GetFile(ctx, oldFile)
		if err != nil && resp != nil && resp.StatusCode == http.StatusNotFound {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("old export file still retrievable after erasure (%v)", err)
		}
	}
	if infos, _, err := coach.GetFileInfosForPost(ctx, oldPost.Id, ""); err == nil && len(infos) != 0 {
		t.Errorf("old export post still has files: %+v", infos)
	}
	if p, _, err := coach.GetPost(ctx, oldPost.Id, ""); err == nil && p.DeleteAt == 0 {
		t.Errorf("old export post still there: %q", p.Message)
	}

	db := env.kimbotDB(t)
	var pseud, notes, links, cleanups int
	var erased bool
	if err := db.QueryRow(ctxT(t), `SELECT (pseudonym_enc IS NOT NULL)::int, erased_at IS NOT NULL,
		(SELECT count(*) FROM contacts WHERE case_id = c.id AND note_enc IS NOT NULL) +
		(SELECT count(*) FROM assessments WHERE case_id = c.id AND note_enc IS NOT NULL),
		(SELECT count(*) FROM export_links WHERE case_id = c.id),
		(SELECT count(*) FROM export_cleanups WHERE team_id = c.team_id AND case_ref = c.ref)
		FROM cases c WHERE team_id = $1 AND ref = $2`, env.Team.Id, ref).Scan(&pseud, &erased, &notes, &links, &cleanups); err != nil {
		t.Fatal(err)
	}
	if pseud != 0 || notes != 0 || !erased || links != 0 || cleanups != 0 {
		t.Fatalf("after erasure: pseudonym stored %d, notes stored %d, erased %v, links %d, cleanups left %d",
			pseud, notes, erased, links, cleanups)
	}
	var contacts int
	db.QueryRow(ctxT(t), `SELECT count(*) FROM contacts k JOIN cases c ON c.id = k.case_id WHERE c.team_id = $1 AND c.ref = $2`,
		env.Team.Id, ref).Scan(&contacts)
	if contacts != 1 {
		t.Fatalf("anonymous structure lost: %d contacts", contacts)
	}
}
