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
	msg := reminders.RenderDigest(r.Lang, r.Today, items)
	var b strings.Builder
	b.WriteString(msg.Text)
	for _, blk := range msg.Blocks {
		if blk.Title != "" {
			b.WriteString("\n\n**" + blk.Title + "**")
		}
		b.WriteString("\n- " + strings.ReplaceAll(blk.Text, "\n", "\n  "))
	}
	b.WriteString("\n\n" + r.T("today.footer", nil))
	return Reply{Text: b.String()}, nil
}
