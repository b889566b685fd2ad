package render

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/kimbot-nrw/kimbot/inert"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
	"github.com/kimbot-nrw/kimbot/reports"
)

// maxPost is below Mattermost's post limit of 16 383 characters.
const maxPost = 15000

// MeetingTime formats a meeting's start in its time zone, e.g.
// "Do., 03.12.2026, 14:00 Uhr".
func MeetingTime(lang string, m kim.Meeting) string {
	loc := m.Location()
	t := m.StartsAt.In(loc)
	s := messages.T(lang, "meeting.when", map[string]any{
		"Weekday": messages.T(lang, fmt.Sprintf("meeting.weekday.%d", int(t.Weekday())), nil),
		"Date":    kim.DateOf(t).Format(lang), "Time": t.Format("15:04")})
	if loc.String() != kim.Berlin.String() {
		s += " (" + loc.String() + ")"
	}
	return s
}

// GroupLabel names a barrier group: the partner, or "Thema: …".
func GroupLabel(lang string, g kim.BarrierGroup) string {
	if g.Partner != "" {
		return g.Partner
	}
	return messages.T(lang, "report.topic", map[string]any{"Topic": g.Topic})
}

// Agenda is the agenda post of a meeting for its channel: German first
// (the network's working language), one English line after it. It names
// the barriers by partner or topic with counts and the texts coaches wrote
// for the network, and where transitions stall (Stalls), never a case
// reference or a pseudonym. Of m it shows only the time and M-n: the title
// and the items come masked from sum (store.BarrierSummary). Every text
// that comes from people is inert (package inert): no mention, image or
// link.
func Agenda(m kim.Meeting, sum kim.BarrierSummary) string {
	de := func(id string, data map[string]any) string { return messages.T("de", id, data) }
	head := func(withTexts bool) string {
		var b strings.Builder
		fmt.Fprintf(&b, "#### %s\n**%s**\n\n", de("agenda.post.title", map[string]any{"Title": inert.Inline(OneLine(sum.Title)), "Ref": m.Ref()}),
			MeetingTime("de", m))
		if len(sum.Items) == 0 {
			b.WriteString("_" + de("agenda.post.no_items", nil) + "_\n")
		}
		for _, it := range sum.Items {
			fmt.Fprintf(&b, "%d. %s\n", it.Position, inert.Inline(OneLine(it.Text)))
		}
		fmt.Fprintf(&b, "\n##### %s\n", de("agenda.barriers_title", nil))
		since := de("agenda.since_start", nil)
		if sum.Since != nil {
			since = de("agenda.since", map[string]any{"Date": sum.Since.Format("de")})
		}
		if sum.Total == 0 {
			b.WriteString(de("agenda.no_barriers", map[string]any{"Since": since}) + "\n")
		} else {
			b.WriteString(de("agenda.post.barriers_intro", map[string]any{"N": sum.Total, "Since": since}) + "\n\n")
			b.WriteString("| " + de("report.head.partner_topic", nil) + " | " + de("report.head.value", nil) + " |\n| --- | ---: |\n")
			for _, g := range sum.Groups {
				fmt.Fprintf(&b, "| %s | %d |\n", inert.Inline(Clip(OneLine(GroupLabel("de", g)), 120)), g.Count)
			}
			if withTexts {
				for _, g := range sum.Groups {
					if len(g.Texts) == 0 {
						continue
					}
					fmt.Fprintf(&b, "\n**%s**\n", inert.Inline(OneLine(GroupLabel("de", g))))
					for i, t := range g.Texts {
						if i == 3 {
							fmt.Fprintf(&b, "- %s\n", de("agenda.post.more", map[string]any{"N": len(g.Texts) - 3}))
							break
						}
						times := ""
						if t.Count > 1 {
							times = fmt.Sprintf(" (%d×)", t.Count)
						}
						fmt.Fprintf(&b, "- „%s“%s\n", inert.Inline(Clip(OneLine(t.Text), 200)), times)
					}
				}
			}
		}
		fmt.Fprintf(&b, "\n**%s**\n%s\n", de("agenda.stalls_title", nil), Stalls("de", sum))
		n := len(sum.Items)
		fmt.Fprintf(&b, "\n---\n_%s_", messages.T("en", "agenda.post.english", map[string]any{
			"Title": inert.Inline(OneLine(sum.Title)), "When": MeetingTime("en", m), "Items": n, "Barriers": sum.Total,
			"Stalls": len(sum.Stalls)}))
		return b.String()
	}
	text := head(true)
	if utf8.RuneCountInString(text) > maxPost {
		text = head(false)
	}
	if utf8.RuneCountInString(text) > maxPost {
		text = Clip(text, maxPost)
	}
	return text
}

// maxStalls is how many template steps the stall table lists.
const maxStalls = 10

// Stalls is where transitions stall, in lang: the template steps overdue in
// the team's open cases with the number of cases, the most first. A step
// overdue in fewer than reports.MinCases cases is not named at all (the
// post goes to the whole network, whose partners may know the one person a
// small figure is about); one line says that there are such steps. It
// shows only the pair, the admins' step text, the partner's name and
// counts, each inert; never a case.
func Stalls(lang string, sum kim.BarrierSummary) string {
	t := func(id string, data map[string]any) string { return messages.T(lang, id, data) }
	var shown []kim.StepStall
	small := false
	for _, x := range sum.Stalls {
		if (reports.Cell{N: float64(x.Count.Cases), Cases: x.Count.Cases}).Hidden() {
			small = true
			continue
		}
		shown = append(shown, x)
	}
	data := map[string]any{"Date": sum.StallsOn, "Min": reports.MinCases}
	switch {
	case len(sum.Stalls) == 0:
		return t("agenda.stalls_none", data)
	case len(shown) == 0:
		return t("agenda.stalls_only_small", data)
	}
	var b strings.Builder
	b.WriteString(t("agenda.stalls_intro", data) + "\n\n")
	b.WriteString("| " + t("agenda.stalls_head.pair", nil) + " | " + t("agenda.stalls_head.step", nil) + " | " +
		t("agenda.stalls_head.partner", nil) + " | " + t("agenda.stalls_head.cases", nil) + " |\n| --- | --- | --- | ---: |")
	for i, x := range shown {
		if i == maxStalls {
			b.WriteString("\n\n" + t("agenda.stalls_more", map[string]any{"N": len(shown) - maxStalls}))
			break
		}
		partner := "–"
		if x.Partner != "" {
			partner = inert.Inline(Clip(OneLine(x.Partner), 60))
		}
		fmt.Fprintf(&b, "\n| %s → %s | %s | %s | %d |", t("legal."+x.From, nil), t("legal."+x.To, nil),
			inert.Inline(Clip(OneLine(x.Text), 120)), partner, x.Count.Cases)
	}
	if small {
		b.WriteString("\n\n" + t("agenda.stalls_small", data))
	}
	return b.String()
}
