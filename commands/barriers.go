package commands

// Strukturhinweise (SPEC §3): a coach writes a barrier found in a case for
// the network. kimbot masks the text (package mask, in the store with the
// pseudonyms of all the team's cases), shows the coach exactly what the
// network will see and what it replaced, and keeps it once the coach
// confirms (as /kim loeschen confirms: a second command). The coach changes
// (text, partner or topic) or deletes it until an agenda that showed it was
// posted; a delete asks first, as every delete does (commands/corrections.go). Admins keep the
// team's topic list.

import (
	"fmt"
	"strings"

	"github.com/kimbot-nrw/kimbot/inert"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/mask"
	"github.com/kimbot-nrw/kimbot/render"
	"github.com/kimbot-nrw/kimbot/store"
)

// barrier keeps a barrier of a case as a draft and shows it as the network
// will see it.
func (r *Runner) barrier(a *Args) (Reply, error) {
	c, b, m, err := r.svc.Store.DraftBarrier(r.ctx, r.Actor(), a.Str("case"), a.Str("about"), a.Str("text"))
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.barrierDraft(c, b, m)}, nil
}

// barrierEdit corrects the text, the partner or topic of a barrier, or
// both, and shows it again.
func (r *Runner) barrierEdit(a *Args) (Reply, error) {
	ch := store.BarrierChange{Text: a.OptStr("text"), About: a.OptStr("about")}
	c, b, m, err := r.svc.Store.EditBarrier(r.ctx, r.Actor(), a.Str("case"), a.Int("n"), ch)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.barrierDraft(c, b, m)}, nil
}

// barrierGroup names the partner, or the topic as "Thema: …".
func (r *Runner) barrierGroup(b kim.Barrier) string {
	if b.Partner.ID != 0 {
		return b.Partner.Name
	}
	return r.T("report.topic", map[string]any{"Topic": b.Topic.Name})
}

// barrierDraft shows a draft exactly as the agenda post will show it,
// what the masking replaced (and what it was not sure of), and how to
// confirm, change or discard it.
func (r *Runner) barrierDraft(c kim.Case, b kim.Barrier, m mask.Result) string {
	var lines []string
	lines = append(lines, r.T("barrier.preview", map[string]any{"Ref": c.Ref, "N": b.N,
		"Group": inert.Inline(r.barrierGroup(b)), "Text": inert.Inline(render.Clip(render.OneLine(b.Text), 200))}))
	lines = append(lines, r.maskNotes(m, "barrier.unsure")...)
	if n := len([]rune(render.OneLine(b.Text))); n > 200 {
		lines = append(lines, r.T("barrier.clipped", map[string]any{"N": n}))
	}
	lines = append(lines, r.T("barrier.confirm_hint", map[string]any{"Ref": c.Ref, "N": b.N}))
	// The hint's lines, as buttons: keep the text exactly as shown, or discard it (which asks first).
	r.offer(r.T("barrier.confirm_line", map[string]any{"Ref": c.Ref, "N": b.N}), r.T("run.barrier_confirm", nil))
	r.offer(r.T("barrier.discard_line", map[string]any{"Ref": c.Ref, "N": b.N}), r.T("run.barrier_discard", nil))
	return strings.Join(lines, "\n")
}

// maskNotes says what the masking replaced, and in the message unsure
// what it was not sure of (also replaced); none when it replaced nothing.
func (r *Runner) maskNotes(m mask.Result, unsure string) []string {
	var lines, sure, maybe []string
	for _, x := range m.Replaced {
		frag := "„" + inert.Inline(render.Clip(x.Text, 60)) + "“"
		if x.Kind == mask.Unsure {
			maybe = append(maybe, frag)
		} else {
			sure = append(sure, frag+" ("+r.T("mask.kind."+string(x.Kind), nil)+")")
		}
	}
	if len(sure) > 0 {
		lines = append(lines, r.T("barrier.replaced", map[string]any{"Parts": strings.Join(sure, ", ")}))
	}
	if len(maybe) > 0 {
		lines = append(lines, r.T(unsure, map[string]any{"Parts": strings.Join(maybe, ", ")}))
	}
	return lines
}

// barrierConfirm keeps a draft for the network.
func (r *Runner) barrierConfirm(a *Args) (Reply, error) {
	c, b, err := r.svc.Store.ConfirmBarrier(r.ctx, r.Actor(), a.Str("case"), a.Int("n"))
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("barrier.confirmed", map[string]any{"Ref": c.Ref, "N": b.N, "Group": inert.Inline(r.barrierGroup(b))})}, nil
}

// barrierDelete deletes a barrier that no agenda post has shown, once
// confirmed: first it says what would be deleted and changes nothing.
func (r *Runner) barrierDelete(a *Args) (Reply, error) {
	c, b, err := r.correctionStore(a).DeleteBarrier(r.ctx, r.Actor(), a.Str("case"), a.Int("n"))
	if err != nil {
		return Reply{}, err
	}
	data := map[string]any{"Ref": c.Ref, "N": b.N, "Group": inert.Inline(r.barrierGroup(b)), "Draft": b.Draft,
		"Text": inert.Inline(render.Clip(render.OneLine(b.Text), 80))}
	if !a.Has("confirm") {
		data["Line"] = r.confirmLine()
		return Reply{Text: r.T("barrier.delete_confirm", data)}, nil
	}
	return Reply{Text: r.T("barrier.deleted", data)}, nil
}

// barrierList lists the barriers of a case with their state.
func (r *Runner) barrierList(a *Args) (Reply, error) {
	c, list, err := r.svc.Store.Barriers(r.ctx, r.Actor(), a.Str("case"))
	if err != nil {
		return Reply{}, err
	}
	if len(list) == 0 {
		return Reply{Text: r.T("barrier.none", map[string]any{"Ref": c.Ref})}, nil
	}
	rows := make([][]string, len(list))
	for i, b := range list {
		state := r.T("barrier.state_saved", map[string]any{"Date": b.RecordedOn.Format(r.Lang)})
		switch {
		case b.Draft:
			state = r.T("barrier.state_draft", nil)
		case b.PostedAt != nil:
			state = r.T("barrier.state_posted", map[string]any{"Date": kim.DateOf(b.PostedAt.In(r.req.User.Location())).Format(r.Lang)})
		}
		text := "–"
		if b.Text != "" {
			text = inert.Inline(render.Clip(render.OneLine(b.Text), 120))
		}
		rows[i] = []string{fmt.Sprint(b.N), inert.Inline(r.barrierGroup(b)), text, state}
	}
	return Reply{Text: r.T("barrier.list_title", map[string]any{"Ref": c.Ref, "N": len(list)}) + "\n" +
		render.Table(r.Heads("barrier.head_n", "report.head.partner_topic", "barrier.head_text", "barrier.head_state"), rows)}, nil
}

// topicList shows the team's topic list.
func (r *Runner) topicList(a *Args) (Reply, error) {
	list, err := r.svc.Store.Topics(r.ctx, r.req.TeamID)
	if err != nil {
		return Reply{}, err
	}
	rows := make([][]string, len(list))
	for i, t := range list {
		rows[i] = []string{"`" + t.Key + "`", inert.Inline(t.Name)}
	}
	return Reply{Text: r.T("topic.list", map[string]any{"N": len(list)}) + "\n" +
		render.Table(r.Heads("partner.head_key", "topic.head_name"), rows)}, nil
}

// topicAdd adds a topic to the team's list.
func (r *Runner) topicAdd(a *Args) (Reply, error) {
	key := kim.Fold(a.Str("key"))
	if !partnerKeyRE.MatchString(key) {
		return Reply{}, usageErr("partner.bad_key", a.Verb, map[string]any{"Value": render.Clip(a.Str("key"), 40)})
	}
	t, err := r.svc.Store.AddTopic(r.ctx, r.Actor(), kim.Topic{Key: key, Name: render.OneLine(a.Str("name"))})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("topic.saved", map[string]any{"Key": t.Key, "Name": inert.Inline(t.Name)})}, nil
}

// topicEdit renames a topic of the team's list; its barriers show the new name.
func (r *Runner) topicEdit(a *Args) (Reply, error) {
	t, err := r.svc.Store.RenameTopic(r.ctx, r.Actor(), a.Str("key"), render.OneLine(a.Str("name")))
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("topic.renamed", map[string]any{"Key": t.Key, "Name": inert.Inline(t.Name)})}, nil
}

// topicRemove takes a topic off the team's list.
func (r *Runner) topicRemove(a *Args) (Reply, error) {
	t, err := r.svc.Store.RemoveTopic(r.ctx, r.Actor(), a.Str("key"))
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: r.T("topic.removed", map[string]any{"Key": t.Key, "Name": inert.Inline(t.Name)})}, nil
}
