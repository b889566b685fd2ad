package devstack

import (
	"fmt"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
)

// ResponseText flattens a slash-command response into the text a person would read: the text,
// then each attachment's pretext, title, text, fields ("Title: value") and buttons ("[Name]").
func ResponseText(r *model.CommandResponse) string {
	if r == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(r.Text)
	writeAttachments(&b, r.Attachments)
	if atts, ok := r.Props["attachments"]; ok && len(r.Attachments) == 0 {
		writeAttachments(&b, parseAttachments(atts))
	}
	for _, extra := range r.ExtraResponses {
		if s := ResponseText(extra); s != "" {
			b.WriteString("\n")
			b.WriteString(s)
		}
	}
	return strings.TrimSpace(b.String())
}

// PostText flattens a post like ResponseText does: message, then attachments.
func PostText(p *model.Post) string {
	if p == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(p.Message)
	writeAttachments(&b, p.Attachments())
	return strings.TrimSpace(b.String())
}

// PostActions returns the buttons (and menus) of a post's attachments, in order.
func PostActions(p *model.Post) []*model.PostAction {
	var actions []*model.PostAction
	for _, a := range p.Attachments() {
		actions = append(actions, a.Actions...)
	}
	return actions
}

// FindAction returns the post's action whose id equals key, or else whose name contains key
// (case-insensitive), or nil.
func FindAction(p *model.Post, key string) *model.PostAction {
	actions := PostActions(p)
	for _, a := range actions {
		if a.Id == key {
			return a
		}
	}
	for _, a := range actions {
		if strings.Contains(strings.ToLower(a.Name), strings.ToLower(key)) {
			return a
		}
	}
	return nil
}

func writeAttachments(b *strings.Builder, atts []*model.SlackAttachment) {
	for _, a := range atts {
		if a == nil {
			continue
		}
		for _, s := range []string{a.Pretext, a.Title, a.Text} {
			if s != "" {
				b.WriteString("\n")
				b.WriteString(s)
			}
		}
		for _, f := range a.Fields {
			if f == nil {
				continue
			}
			fmt.Fprintf(b, "\n%s: %v", f.Title, f.Value)
		}
		var buttons []string
		for _, act := range a.Actions {
			buttons = append(buttons, "["+act.Name+"]")
		}
		if len(buttons) > 0 {
			b.WriteString("\n")
			b.WriteString(strings.Join(buttons, " "))
		}
		if a.Footer != "" {
			b.WriteString("\n")
			b.WriteString(a.Footer)
		}
	}
}

// parseAttachments reads attachments stored under props["attachments"].
func parseAttachments(v any) []*model.SlackAttachment {
	p := &model.Post{}
	p.AddProp(model.PostPropsAttachments, v)
	return p.Attachments()
}
