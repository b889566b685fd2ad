package kim

import (
	"fmt"
	"slices"
	"strings"
)

// ItemKind is what a reminder item is about.
type ItemKind string

// Item kinds of the daily digest (SPEC §4); ItemSpecs defines each.
const (
	ItemMonitoring   ItemKind = "monitoring"   // cases.next_monitoring
	ItemAssessment   ItemKind = "assessment"   // cases.next_assessment, no assessment yet
	ItemReassessment ItemKind = "reassessment" // cases.next_assessment after an assessment
	ItemFollowup     ItemKind = "followup"     // referrals.followup_on without outcome
	ItemGoal         ItemKind = "goal"         // goals.due_on of an open goal
	ItemAction       ItemKind = "action"       // actions.due_on of an open meeting action item
	ItemTransition   ItemKind = "transition"   // transition_steps.due_on of an open step of a Rechtskreiswechsel
)

// Buttons of reminder items.
const (
	VerbDone   = "done"   // the item is settled (what that means per kind: store/reminders.go)
	VerbSnooze = "snooze" // its date moves to one week after the later of its due date and today
	VerbOpen   = "open"   // shows the item's case card
)

// ItemSpec defines a kind of reminder item: which buttons it has and how the
// digest shows it. Where its dates live — the query that finds the due ones
// and what done and snooze change — is the kind's entry in the store's
// table (store/reminders.go); a test checks that both name the same kinds.
//
// Adding a kind: its ItemSpec here, its entry in store/reminders.go, its
// texts (Text, Done) in messages/catalog/reminders.*.json, and tests.
type ItemSpec struct {
	Kind ItemKind
	// Case is set for the dates of a case: the digest groups them under the
	// case reference, and their buttons name the case. Items without a case
	// (meeting action items) are grouped under the title Group.
	Case  bool
	Group string // message key; only without Case
	// Verbs are the item's buttons in their order; only those that make
	// sense for the kind (VerbOpen needs a case).
	Verbs []string
	// Text is the message key of the item's digest line; it gets N (the
	// referral, goal or action number), Label (DueItem.Label, the name of
	// the life field if LabelField) and Text (DueItem.Text).
	Text       string
	LabelField bool
	// Done is the message key of the answer to "done"; it gets Ref, N and
	// Date (the item's next date, if it has one).
	Done string
	// Form is the /kim verb whose form (dialog) "done" opens instead of
	// settling the item at once: the item's date moves only when what the
	// item asks for is recorded through the form (an assessment with its
	// scores, a contact). "" settles the item on the press.
	Form string
}

// ItemSpecs defines every kind, in the order a digest shows them within a
// case.
var ItemSpecs = []ItemSpec{
	{Kind: ItemAssessment, Case: true, Verbs: caseVerbs, Text: "remind.item.assessment", Form: FormAssess},
	{Kind: ItemReassessment, Case: true, Verbs: caseVerbs, Text: "remind.item.reassessment", Form: FormAssess},
	{Kind: ItemMonitoring, Case: true, Verbs: caseVerbs, Text: "remind.item.monitoring", Form: FormContact},
	{Kind: ItemFollowup, Case: true, Verbs: caseVerbs, Text: "remind.item.followup", Done: "remind.done.followup"},
	{Kind: ItemGoal, Case: true, Verbs: caseVerbs, Text: "remind.item.goal", LabelField: true, Done: "remind.done.goal"},
	{Kind: ItemTransition, Case: true, Verbs: caseVerbs, Text: "remind.item.transition", Done: "remind.done.transition"},
	{Kind: ItemAction, Group: "remind.group.actions", Verbs: []string{VerbDone, VerbSnooze}, Text: "remind.item.action",
		Done: "remind.done.action"},
}

// Forms that "done" opens (the /kim verbs whose dialogs they are).
const (
	FormAssess  = "assess"
	FormContact = "contact"
)

// caseVerbs are the buttons of a case's date.
var caseVerbs = []string{VerbDone, VerbSnooze, VerbOpen}

// ItemSpecOf returns the definition of kind k and its rank in ItemSpecs;
// ok is false for an unknown kind.
func ItemSpecOf(k ItemKind) (spec ItemSpec, rank int, ok bool) {
	for i, s := range ItemSpecs {
		if s.Kind == k {
			return s, i, true
		}
	}
	return ItemSpec{}, len(ItemSpecs), false
}

// Has reports whether the kind has the button verb.
func (s ItemSpec) Has(verb string) bool { return slices.Contains(s.Verbs, verb) }

// DueItem is one date that has fallen due (today or earlier) and goes into a
// recipient's digest: the owner's own, or held for an absent owner.
type DueItem struct {
	Kind     ItemKind
	TeamID   string
	TeamName string
	CaseID   int64  // 0 for action items
	CaseRef  string // "" for action items
	// N is the referral, goal, transition step or action number; 0 for
	// monitoring and assessments.
	N int
	// Label is the partner name of a follow-up or a transition step, the
	// life field of a goal or the text of an action item; "" otherwise.
	Label string
	// PartnerKey is the partner of a transition step and Consent whether
	// the case has consent for it (the digest offers the referral or names
	// the missing consent); "" and false otherwise.
	PartnerKey string
	Consent    bool
	// Pseudonym is the case's pseudonym ("" for action items); Text is a
	// goal's or a transition step's text ("" otherwise).
	Pseudonym   string
	Text        string
	OwnerID     string
	OwnerName   string
	RecipientID string
	Due         Date
}

// Deputy reports whether the item is held for an absent owner.
func (i DueItem) Deputy() bool { return i.OwnerID != i.RecipientID }

// ItemRef identifies a due item across presses: its kind, team, case and
// number (case dates have N 0; action items have no case).
type ItemRef struct {
	Kind    ItemKind
	TeamID  string
	CaseRef string
	N       int
}

// Ref returns the item's identity.
func (i DueItem) Ref() ItemRef {
	return ItemRef{Kind: i.Kind, TeamID: i.TeamID, CaseRef: i.CaseRef, N: i.N}
}

// String returns a stable text form, e.g. "goal:team:K-2026-0001:2".
func (r ItemRef) String() string {
	return fmt.Sprintf("%s:%s:%s:%d", r.Kind, r.TeamID, r.CaseRef, r.N)
}

// Target is where a message goes: a user's direct channel with the bot, or a
// channel. Exactly one is set.
type Target struct {
	UserID    string
	ChannelID string
}

// String returns "user:<id>" or "channel:<id>".
func (t Target) String() string {
	if t.UserID != "" {
		return "user:" + t.UserID
	}
	return "channel:" + t.ChannelID
}

// Message is a bot post independent of Mattermost: a text and blocks, each
// block with an optional title, a text and buttons.
type Message struct {
	Text   string
	Blocks []Block
}

// Empty reports whether there is nothing to post.
func (m Message) Empty() bool { return strings.TrimSpace(m.Text) == "" && len(m.Blocks) == 0 }

// Block is one part of a message (a Mattermost attachment).
type Block struct {
	Title   string
	Text    string
	Color   string // e.g. "#d24b4e"; "" for the default
	Buttons []Button
}

// Button is an interactive button. The sender signs Verb, TeamID and Fields
// together with the button's id and the recipient, so a press can be
// trusted; none of them may contain "|".
type Button struct {
	ID     string // unique within the message, letters and digits only
	Label  string
	Style  string // "primary", "good", "danger" or "" (default)
	Verb   string // what the press does, e.g. "done", "snooze", "open"
	TeamID string
	Fields []string
}

// Press is a verified button press: who pressed which button of which post,
// with the fields the button was signed with.
type Press struct {
	UserID    string
	PostID    string
	ChannelID string
	ActionID  string
	Verb      string
	TeamID    string
	Fields    []string
	// Signed is the verified signed context; equal presses have equal values
	// (an idempotency key).
	Signed string
}

// PressResult is the answer to a press: a short text only the presser sees,
// and, when the press settled the button's item, a status line that replaces
// the item's buttons in the post (Keep names buttons that stay, e.g. "open").
type PressResult struct {
	Ephemeral string
	Status    string
	Keep      []string
	// Form, when set, is the form the bot opens instead (ItemSpec.Form); the
	// item stays as it is until the form is saved.
	Form *ItemForm
}

// ItemForm is the form a digest item's "done" opens: the /kim verb of the
// form, and the item it is for with the due date its button was made for
// (the form is refused if the date has changed since).
type ItemForm struct {
	Verb    string // FormAssess or FormContact
	Kind    ItemKind
	CaseRef string
	Due     Date
}

// PostRefused is a post Mattermost answered with a refusal (a 4xx other than
// 429): sending the same message again will not help, so the people it was
// for must hear of it. Reason is Mattermost's own explanation.
type PostRefused struct {
	Status int
	Reason string
	Err    error
}

func (e *PostRefused) Error() string {
	return fmt.Sprintf("mattermost refused the post (status %d): %s", e.Status, e.Reason)
}

func (e *PostRefused) Unwrap() error { return e.Err }
