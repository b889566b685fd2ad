package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/shared/markdown"

	"github.com/kimbot-nrw/kimbot/mask"
)

// groups are the partners and topics of a new team, in forms people type them.
var groups = []string{"jobcenter", "Arbeitsagentur", "JUGENDAMT", "sozialamt", "Ausländerbehörde", "jmd", "MBE", "gesundheitsamt",
	"integrationskurs", "Wohnen", "sprache", "Gesundheit", "papiere", "Anerkennung", "KITA", "digitales", "MOBILITÄT", "sonstiges"}

// TestBarriersReachTheNetwork: coaches write hostile barrier texts — every form of their cases'
// pseudonyms and references, names, numbers, mentions, images and links — each shown to the
// coach as the network will see it and confirmed; a coordinator posts the agenda into a real
// channel. Neither the post as Mattermost stores it, nor `meeting show`, the report, the CSV or
// kimbot's database holds a pseudonym, a reference or a name form in clear; nobody in the
// channel is mentioned, nothing is embedded or linked; free topics, names as topics and NUL are
// refused.
func TestBarriersReachTheNetwork(t *testing.T) {
	t.Parallel()
	env := newTeamEnv(t)
	// Four coaches, so that no one is rate-limited (60 commands a minute).
	var coaches []*user
	for i := 1; i <= 4; i++ {
		c := env.newUser(t, fmt.Sprintf("coach%d", i), "de")
		env.grant(t, c, "coach", fmt.Sprintf("org=Träger%d", i))
		coaches = append(coaches, c)
	}
	coach1, coach2 := coaches[0], coaches[1]
	coord := env.newUser(t, "koordination", "de")
	member := env.newUser(t, "mitglied", "de")
	env.grant(t, coord, "coordinator")
	netz := env.newChannel(t, "netz", coord, coach1, coach2, member)

	pseudonyms := []string{"Mohamed", "Müller", "Олена", "A. M.", "Yilmaz", "CD", "EF"}
	var refs []string
	for i, p := range pseudonyms {
		c := coaches[i%4]
		ref := caseRefRE.FindString(c.kimOK(t, fmt.Sprintf("open %q group=refugee consent=yes", p), "K-"))
		if ref == "" {
			t.Fatalf("no case for %s", p)
		}
		refs = append(refs, ref)
	}
	r1, r2 := refs[0], refs[1]
	y, n := r1[2:6], r1[7:]
	fullWidth := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if r >= '0' && r <= '9' || r == '-' || r >= 'A' && r <= 'Z' {
				r += 0xFEE0
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	arabic := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if r >= '0' && r <= '9' {
				r += 0x0660 - '0'
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	hostile := []string{
		"Mohamed findet keine Wohnung", "Mohameds Antrag liegt seit Wochen", "Wartezeit für Mohamed, Mohamed und MOHAMED",
		"Termin für Mo\u200bhamed fehlt", "Mo\u00adhamed wartet auf Rückruf", "M o h a m e d wartet auf Antwort",
		"Mo-ha-med wartet auf den Bescheid", "M0hamed wartet auf die Karte", "Моhamed wartet (kyrillische Buchstaben)",
		"Mohammed wartet, anders geschrieben", "Die Mohamedfamilie wartet", "Mohamed's Anträge bleiben liegen",
		"Mo\u2060ha\ufe0fmed mit Wortverbinder", "Mu\u0308ller bekommt keinen Termin", "Muellers Kinder ohne Kitaplatz",
		"MÜLLER wartet seit März", "Olena braucht einen Kurs", "Олена braucht einen Integrationskurs",
		"A. M. hat keinen Platz bekommen", "A.M. hat keinen Platz im Kurs", "Frau A. wartet auf die Zusage",
		"Herr Schmidt vom Amt ruft nicht zurück", "Familie Yilmaz sucht eine Wohnung", "Die Yilmazsche Wohnung ist zu klein",
		"Fr. Nowak und Hr. K. warten beide", "frau nowak wartet auch", "Fall " + r1 + " wartet", "siehe " + strings.ToLower(r1) + " klein",
		"siehe K–" + y + "–" + n + " Halbgeviert", "siehe K—" + y + "—" + n + " Geviert", "siehe K−" + y + "−" + n + " Minus",
		"siehe K " + y + "/" + n + " Schrägstrich", "siehe K\u200b-" + y + "-" + n[:2] + "\u00ad" + n[2:] + " unsichtbar",
		"siehe " + fullWidth(r1) + " breit", "siehe K-" + arabic(y) + "-" + arabic(n) + " arabisch", "siehe К-" + y + "-" + n + " kyrillisch",
		"siehe " + y + "-" + n + " ohne K", "wie bei " + r2 + " auch", "Tel. 0251 1234567 zurückrufen", "Mail an mo.k@example.org schicken",
		"geb. 01.02.1990, Antrag offen", "@channel bitte alle lesen", "@here @all dringend ansehen",
		"![bild](https://evil.example/track.png) Tracking", "[klick](https://evil.example) Link", "<https://evil.example> Autolink",
		"https://evil.example/x.png direkt", "&#64;channel als Entität", "~town-square Kanalverweis",
		// Names without a title, from the name lists and by their ending; an address.
		"Antrag von Mehmet Demir liegt", "Oksana Shevchenko wartet auf den Kurs", "Ahmads Bescheid fehlt", "bei Hryhorenko nachfragen",
		"wohnt Hauptstraße 12 ohne Heizung", "**fett** und _kursiv_ | Tabelle",
	}
	if len(hostile) < 40 {
		t.Fatalf("only %d hostile texts", len(hostile))
	}

	// Free topics, names and references as topics are refused; so is NUL.
	for _, about := range []string{"Mohamed", "@channel", r1, "Wohnraum", "Frau-A"} {
		coach1.kimOK(t, fmt.Sprintf("hindernis %s %s Wartezeit", r1, about), "weder ein Partner noch ein Thema")
	}
	env.Admin.kimOK(t, "admin thema neu mohamed Mohamed", "keinen Namen")
	env.Admin.kimOK(t, "admin thema neu fall \"Fall "+r2+"\"", "keinen Namen")
	env.Admin.kimOK(t, "admin thema neu familie \"Familie Yilmaz\"", "keinen Namen")
	env.Admin.kimOK(t, "admin thema neu alle \"@channel Themen\"", "Thema `alle`")
	coach1.kimOK(t, "hindernis "+r1+" wohnen Miete\x00zu hoch", "Steuerzeichen", "U+0000")
	coach1.kimOK(t, "hindernis "+r1+" wohnen \u202eMohamed\u202c rückwärts", "Steuerzeichen", "U+202E")

	// Every text is shown as the network will see it before it is kept.
	var shown []string
	for i, text := range hostile {
		about := groups[i%len(groups)]
		if i == len(hostile)-1 {
			about = "alle"
		}
		c, ref := coaches[i%4], refs[i%4]
		ans := c.kimOK(t, fmt.Sprintf("hindernis %s %s \"%s\"", ref, about, text), "wie das Netzwerk ihn sieht", "ohne Fallbezug")
		m := regexp.MustCompile(`Strukturhinweis (\d+) von`).FindStringSubmatch(ans)
		if m == nil {
			t.Fatalf("%q: no draft:\n%s", text, ans)
		}
		// The preview names the coach's own case, but shows the network text without it.
		shown = append(shown, strings.Split(ans, "\n")[1])
		c.kimOK(t, "hindernis bestätigen "+ref+" "+m[1], "ist gespeichert")
	}
	leaks(t, "the previews", strings.Join(shown, "\n"), pseudonyms, refs)

	coord.kimOK(t, fmt.Sprintf("treffen neu %s 14:00 \"Netzwerk @here\" channel=~%s", meetingDay(2), netz.Name), "**M-1**")
	coord.kimOK(t, "agenda add M-1 \"@channel ![x](https://evil.example/a.png) bitte lesen\"", "Punkt 1")
	// Adding people to the channel mentions them once ("@x added to the channel"): count from here.
	mentions := map[string]int64{}
	for _, u := range []*user{coach1, coach2, member} {
		cm, _, err := u.GetChannelMember(ctxT(t), netz.Id, u.UserID(), "")
		if err != nil {
			t.Fatal(err)
		}
		mentions[u.UserID()] = cm.MentionCount
	}
	coord.kimOK(t, "agenda post M-1", "~"+netz.Name, fmt.Sprintf("Strukturhinweise ohne Fallbezug: %d", len(hostile)))
	posts := coord.botPosts(t, netz.Id)
	if len(posts) != 1 {
		t.Fatalf("%d bot posts in the channel", len(posts))
	}
	stored, _, err := coord.GetPost(ctxT(t), posts[0].Id, "")
	if err != nil {
		t.Fatal(err)
	}
	post := stored.Message
	if got := strings.Count(post, "\n- „"); got != len(hostile) {
		t.Errorf("the agenda shows %d texts, want all %d:\n%s", got, len(hostile), post)
	}
	leaks(t, "the agenda post", post, pseudonyms, refs)
	inertPost(t, stored)
	for _, u := range []*user{coach1, coach2, member} {
		cm, _, err := u.GetChannelMember(ctxT(t), netz.Id, u.UserID(), "")
		if err != nil {
			t.Fatal(err)
		}
		if cm.MentionCount != mentions[u.UserID()] || cm.UrgentMentionCount != 0 {
			t.Errorf("%s was mentioned by the agenda post (mentions %d):\n%s", u.Username(), cm.MentionCount, post)
		}
	}

	leaks(t, "meeting show", coord.kimOK(t, "treffen zeige M-1", "Strukturhinweise"), pseudonyms, refs)
	leaks(t, "the report", coord.kimOK(t, "bericht by=partner", "Strukturhinweise"), pseudonyms, refs)
	coord.kimOK(t, "bericht format=csv", ".csv")
	var csv []byte
	for _, p := range coord.waitBotDMs(t, 1) {
		if len(p.FileIds) > 0 {
			data, _, err := coord.GetFile(ctxT(t), p.FileIds[0])
			if err != nil {
				t.Fatal(err)
			}
			csv = data
		}
	}
	if !strings.Contains(string(csv), "Strukturhinweise") {
		t.Fatalf("CSV without barriers:\n%s", csv)
	}
	leaks(t, "the CSV", string(csv), pseudonyms, refs)

	// kimbot's database: topics from the list only, texts sealed.
	db := env.kimbotDB(t)
	rows, err := db.Query(ctxT(t), `SELECT b::text FROM barriers b WHERE team_id = $1
		UNION ALL SELECT t::text FROM barrier_topics t WHERE team_id = $1
		UNION ALL SELECT i::text FROM agenda_items i JOIN meetings m ON m.id = i.meeting_id WHERE m.team_id = $1`, env.Team.Id)
	if err != nil {
		t.Fatal(err)
	}
	var dump strings.Builder
	for rows.Next() {
		var s string
		rows.Scan(&s)
		dump.WriteString(s + "\n")
	}
	rows.Close()
	// Rows name their authors by Mattermost id (26 random characters): one
	// that starts with k and four digits reads as a case reference to the mask.
	leaks(t, "kimbot's database", mattermostID.ReplaceAllString(dump.String(), "<id>"), pseudonyms, refs)
	var free int
	db.QueryRow(ctxT(t), `SELECT count(*) FROM barriers WHERE team_id = $1 AND (topic IS NOT NULL OR num_nonnulls(partner_id, topic_id) <> 1)`,
		env.Team.Id).Scan(&free)
	if free != 0 {
		t.Errorf("%d barriers without a partner or topic of the list", free)
	}
}

// leaks fails if text holds a pseudonym in any form, a name of the hostile texts, or one of the
// case references in any form: masking it again with the team's pseudonyms must find nothing
// certain, and no plain form may stand in it.
// mattermostID matches a Mattermost id.
var mattermostID = regexp.MustCompile(`\b[a-z0-9]{26}\b`)

func leaks(t *testing.T, where, text string, pseudonyms, refs []string) {
	t.Helper()
	r := mask.New(append(pseudonyms, "Schmidt", "Nowak")...).Mask(text)
	for _, x := range r.Replaced {
		switch x.Kind {
		case mask.Ref, mask.Pseudonym, mask.Name, mask.Email, mask.Address:
			if refs == nil && x.Kind == mask.Ref {
				continue
			}
			t.Errorf("%s holds %s %q:\n%s", where, x.Kind, x.Text, text)
		}
	}
	low := strings.ToLower(mask.Normalize(text))
	for _, f := range []string{"mohamed", "mohammed", "müller", "mueller", "olena", "олена", "yilmaz", "schmidt", "nowak",
		"m0hamed", "mo-ha-med", "m o h a m e d", "моhamed", "a. m.", "a.m.", "mo.k@", "1234567", "01.02.1990",
		"mehmet", "demir", "shevchenko", "ahmad", "hryhorenko", "hauptstraße 12"} {
		if strings.Contains(low, f) {
			t.Errorf("%s holds %q:\n%s", where, f, text)
		}
	}
	for _, ref := range refs {
		if strings.Contains(low, strings.ToLower(ref)) || strings.Contains(low, ref[2:6]+"-"+ref[7:]) {
			t.Errorf("%s holds %s:\n%s", where, ref, text)
		}
	}
}

// inertPost fails if Mattermost finds a mention, link or image in the post as it stores it, or
// made a preview or embedded an image for it.
func inertPost(t *testing.T, p *model.Post) {
	t.Helper()
	var text strings.Builder
	markdown.Inspect(p.Message, func(n any) bool {
		switch n := n.(type) {
		case *markdown.Text:
			text.WriteString(n.Text)
		case *markdown.InlineLink, *markdown.InlineImage, *markdown.ReferenceLink, *markdown.ReferenceImage, *markdown.Autolink:
			t.Errorf("the post holds a %T", n)
		}
		return true
	})
	if strings.ContainsAny(text.String(), "@~") {
		t.Errorf("the text of the post holds an @ or ~:\n%s", text.String())
	}
	if strings.Contains(p.Message, "@") {
		t.Errorf("the post holds an ASCII @:\n%s", p.Message)
	}
	if p.Metadata != nil && (len(p.Metadata.Embeds) > 0 || len(p.Metadata.Images) > 0) {
		t.Errorf("Mattermost embeds something in the post: %+v %+v", p.Metadata.Embeds, p.Metadata.Images)
	}
}
