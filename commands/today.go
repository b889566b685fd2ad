package commands

import (
	"strings"

	"github.com/kimbot-nrw/kimbot/reminders"
)

// today shows what the caller's digest would hold now: their items due
// today or earlier in this team, and those they hold as deputy, grouped by
// case as in the digest (store.TodayItems; audited, nothing marked sent).
func (r *Runner) today(a *Args) (Reply, error) {
	items, err := r.svc.Store.TodayItems(r.ctx, r.Actor())
	if err != nil {
		return Reply{}, err
	}
	if len(items) == 0 {
		return Reply{Text: r.T("today.none", map[string]any{"Date": r.Today})}, nil
	}
	reminders.SortItems(items) // as RenderDigest shows them: its item blocks in this order
	msg := reminders.RenderDigest(r.Lang, r.Today, items)
	var b strings.Builder
	b.WriteString(msg.Text)
	for i, blk := range msg.Blocks {
		if blk.Title != "" {
			b.WriteString("\n\n**" + blk.Title + "**")
		}
		b.WriteString("\n- " + strings.ReplaceAll(blk.Text, "\n", "\n  "))
		if len(blk.Buttons) > 0 && i < len(items) { // an item's block, not the count of the rest
			it := items[i]
			b.WriteString(" · " + r.T("today.do."+string(it.Kind), map[string]any{"Ref": it.CaseRef, "N": it.N}))
		}
	}
	b.WriteString("\n\n" + r.T("today.footer", nil))
	return Reply{Text: b.String()}, nil
}
