package commands

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
	"github.com/kimbot-nrw/kimbot/render"
	"github.com/kimbot-nrw/kimbot/store"
)

// Directory is what the commands need to know of Mattermost users.
type Directory interface {
	// UserByName returns the user with that username who is a member of
	// the team; a kim.ENOTFOUND error when there is none.
	UserByName(ctx context.Context, teamID, username string) (kim.User, error)
}

// Service runs /kim commands.
type Service struct {
	Store *store.Store
	Dir   Directory
	Clock func() time.Time
	Log   *slog.Logger
	// Channels posts into channels as the bot (meetings); Files sends files
	// into users' DMs (reports). Nil: those commands answer "unavailable".
	Channels Channels
	Files    Files
	// Exports hands out the download links of Art. 15 exports and removes
	// from Mattermost what erasures leave there (commands/privacy.go); nil:
	// export answers "unavailable".
	Exports Exports
	// Notify sends the DMs about staff changes (commands/staff.go); nil:
	// none are sent.
	Notify Notifier
	// AgendaPostTime says when the reminder pass posts a meeting's agenda
	// (reminders.AgendaPostTime); nil: answers do not name it.
	AgendaPostTime func(m kim.Meeting, leadWorkdays int) time.Time
}

// Request is one /kim invocation.
type Request struct {
	TeamID    string
	ChannelID string
	TriggerID string
	// User is the caller as Mattermost knows them (a cached profile);
	// kimbot's own settings of the user are read with the command.
	User kim.User
	Text string
	// Item is set when a digest's "done" button opens a form (Text is then
	// the form's bare command): the form opens only while the item's date
	// is still the one the button was made for (Runner.formCase).
	Item *kim.ItemForm
}

// Reply is what the caller gets: an ephemeral text, and optionally a dialog
// to open.
type Reply struct {
	Text   string
	Dialog *Dialog
	// Offers are the lines the answer offers to run at a press of a
	// button: the line a refusal suggests (err.other_verb), the
	// confirmation a question asks for, or each answer to a question
	// (domain.open_question), exactly as the text shows them. One of them
	// at most is run.
	Offers []Offer
	// Verb and Outcome describe the invocation for metrics and logs
	// (never any case data): the verb's path and an error code or "ok".
	Verb, Outcome string
}

// Offer is a line an answer offers as a button: the line without "/kim",
// and the button's label.
type Offer struct{ Line, Label string }

// Dialog is an interactive form (opened with the request's trigger id).
type Dialog struct {
	CallbackID  string
	Title       string // at most 24 bytes
	Intro       string // the text above the fields (Markdown); may be empty
	SubmitLabel string
	Elements    []Element
}

// Element is one field of a dialog.
type Element struct {
	Name     string
	Label    string
	Type     string // text, textarea, select
	Options  []Option
	Optional bool
	Default  string
	Help     string
	MaxLen   int
}

// Option is a choice of a select element.
type Option struct{ Text, Value string }

// Runner holds one invocation: the caller, their role, and (in the
// embedded view) their language and day.
type Runner struct {
	render.View
	ctx    context.Context
	svc    *Service
	req    Request
	member kim.Member
	caller *kim.Caller // resolved in the command's first round trip
	now    time.Time
	// pseudonym is what the caller typed for a case, pseudonymRef the case
	// it named (findCases); "" when a reference was typed.
	pseudonym, pseudonymRef string
	// unconfirmed is set when a confirmation was typed for a case named by
	// its number alone; the question's line names the reference instead.
	unconfirmed bool
	// offers are the lines the answer offers as buttons (Reply.Offers):
	// the confirmation of its question (confirmLine), or its answers.
	offers []Offer
}

// Actor returns the caller as the store's actor.
func (r *Runner) Actor() kim.Actor {
	return kim.Actor{TeamID: r.req.TeamID, UserID: r.req.User.ID, Today: r.Today, Caller: r.caller}
}

// Execute runs one command line and returns the answer. It never fails:
// user errors become short texts, internal errors are logged and answered
// with a short "internal error".
func (s *Service) Execute(ctx context.Context, req Request) (reply Reply) {
	verb := "?"
	defer func() {
		if p := recover(); p != nil {
			s.Log.Error("commands: panic", "verb", verb, "panic", p)
			reply = Reply{Text: messages.T(req.User.Language(), "err.internal", nil), Outcome: kim.EINTERNAL}
		}
		reply.Verb = verb
		if reply.Outcome == "" {
			reply.Outcome = "ok"
		}
	}()
	r := s.pendingRunner(ctx, req)
	a, err := parse(req.Text, req.TriggerID != "", r.Today)
	if err != nil {
		if e := r.resolve(); e != nil {
			return s.fail(r, e)
		}
		return s.fail(r, r.caseOrSub(err))
	}
	verb = a.Verb.Path()
	fold := folded[verb] && !a.Bare && !a.hasCaseQuery() // commands/caller.go
	if fold {
		r.foldCheck(a.Verb)
	} else if err := r.resolve(); err != nil {
		return s.fail(r, err)
	} else if err := r.allowed(a.Verb); err != nil {
		return s.fail(r, r.meetingNotCase(a, err))
	} else if err := r.findCases(a); err != nil {
		return s.fail(r, err)
	}
	var rep Reply
	if a.Bare {
		rep, err = a.Verb.Bare(r, a)
	} else {
		rep, err = a.Verb.Run(r, a)
	}
	if errors.Is(err, errRefused) {
		err = r.allowed(a.Verb)
	} else if fold && r.caller.Pending() { // the handler ended before its store call
		if e := r.resolve(); e != nil {
			return s.fail(r, e)
		}
		if e := r.allowed(a.Verb); e != nil {
			return s.fail(r, e)
		}
	}
	if err != nil {
		return s.fail(r, err)
	}
	if rep.Dialog == nil {
		rep.Offers = r.offers
	}
	return rep
}

// caseOrSub answers a word that is no sub-verb (subOrCase): when it is the
// pseudonym of one of the caller's cases, with what is wrong with the line
// as the verb's default sub-verb (ziel AB Kita-Platz finden: the field);
// otherwise, and for every other error, err as it is.
func (r *Runner) caseOrSub(err error) error {
	var sc *subOrCase
	if !errors.As(err, &sc) || r.member.Role != kim.RoleCoach {
		return err
	}
	if ok, e := r.svc.Store.IsPseudonym(r.ctx, r.Actor(), sc.word); e != nil || !ok {
		return err
	}
	return sc.asCase
}

// fail answers an error; a line it suggests (meantArgs) is offered as a
// button.
func (s *Service) fail(r *Runner, err error) Reply {
	err = r.partnerMeant(err)
	text, code := s.describe(r, err)
	rep := Reply{Text: text, Outcome: code}
	if e := (*kim.Error)(nil); errors.As(err, &e) && r != nil {
		if line, ok := e.Args["Run"].(string); ok && line != "" {
			rep.Offers = []Offer{{Line: line, Label: r.T("run.meant", nil)}}
		}
	}
	return rep
}

// explain turns an internal error into "the database does not answer" when
// that is its cause, so the user learns what is down; other errors stay.
func (s *Service) explain(err error) error {
	if kim.ErrorCode(err) != kim.EINTERNAL {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if s.Store.Ping(ctx) == nil {
		return err
	}
	s.Log.Error("commands: database unavailable", "err", err)
	return &kim.Error{Code: kim.EUNAVAILABLE, Key: "err.unavailable", Err: err}
}

// runner builds the invocation context: role, language, local day.
func (s *Service) runner(ctx context.Context, req Request) (*Runner, error) {
	r := s.pendingRunner(ctx, req)
	return r, r.resolve()
}

// pendingRunner builds the invocation context with the caller still to be
// resolved (commands/caller.go): req.User is the profile Mattermost gave.
func (s *Service) pendingRunner(ctx context.Context, req Request) *Runner {
	now := s.Clock()
	r := &Runner{ctx: ctx, svc: s, req: req, now: now, caller: &kim.Caller{Profile: req.User},
		View: render.View{Lang: req.User.Language(), Today: kim.DateOf(now.In(req.User.Location()))}}
	return r
}

// Role returns the caller's effective role; Mattermost system admins
// without a kimbot role are admins.
func (r *Runner) Role() kim.Role {
	if r.member.Role == kim.RoleNone && r.req.User.SysAdmin {
		return kim.RoleAdmin
	}
	return r.member.Role
}

// has reports whether the caller holds one of the roles (system admins are
// always admins as well).
func (r *Runner) has(roles ...kim.Role) bool {
	for _, want := range roles {
		if r.member.Role == want || (want == kim.RoleAdmin && r.req.User.SysAdmin) {
			return true
		}
	}
	return false
}

// allowed checks the verb's roles.
func (r *Runner) allowed(v *Verb) error {
	roles := v.roles()
	if roles == nil || r.has(roles...) {
		return nil
	}
	if r.Role() == kim.RoleNone {
		return kim.Errorf(kim.EFORBIDDEN, "err.no_role", map[string]any{"Admins": r.adminList()})
	}
	names := make([]string, len(roles))
	for i, x := range roles {
		names[i] = r.T("role.plural."+string(x), nil)
	}
	return kim.Errorf(kim.EFORBIDDEN, "err.role_required", map[string]any{
		"Verb": v.PathIn(r.Lang), "Roles": messages.Or(r.Lang, names), "Role": r.T("role."+string(r.Role()), nil)})
}

// meetingNotCase answers a coordinator's case verb on a meeting's
// reference (zeige M-1) with the meeting's line; other refusals stay.
func (r *Runner) meetingNotCase(a *Args, refused error) error {
	show := kimVerbs.sub("meeting").sub("show")
	ref, ok := meetingTyped(a)
	if !ok || r.allowed(show) != nil {
		return refused
	}
	return kim.Errorf(kim.EINVALID, "err.meeting_not_case", map[string]any{"Ref": ref, "Line": "/kim " + show.PathIn(r.Lang) + " " + ref})
}

// adminList names who can grant a role in this team.
func (r *Runner) adminList() string {
	names, err := r.svc.Store.Admins(r.ctx, r.req.TeamID)
	if err != nil || len(names) == 0 {
		return r.T("role.ask_sysadmin", nil)
	}
	for i, n := range names {
		names[i] = "@" + n
	}
	return messages.Or(r.Lang, names)
}

// errorText turns an error into the caller's answer.
func (s *Service) errorText(r *Runner, err error) string {
	text, _ := s.describe(r, err)
	return text
}

// describe turns an error into the caller's answer and its outcome code.
func (s *Service) describe(r *Runner, err error) (text, code string) {
	lang := "de"
	if r != nil && r.Lang != "" {
		lang = r.Lang
	}
	err = s.explain(err)
	var e *kim.Error
	if errors.As(err, &e) && e.Code != kim.EINTERNAL {
		return sentence(messages.T(lang, e.Key, e.Args)), e.Code
	}
	s.Log.Error("commands: internal error", "err", err)
	return messages.T(lang, "err.internal", nil), kim.EINTERNAL
}

// sentence returns text with its first letter in upper case, as a sentence
// begins: a refusal that starts with the parameter's name ("art: „fax“
// geht nicht") reads "Art: …". A first word that is not a word alone
// (language=7, form=) stays as typed, and kimbot keeps its lower-case name.
func sentence(text string) string {
	first, _, _ := strings.Cut(text, " ")
	first = strings.TrimSuffix(first, ":")
	if first == "kimbot" || strings.ContainsFunc(first, func(c rune) bool { return !unicode.IsLetter(c) }) {
		return text
	}
	return messages.Capital(text)
}

// confirmLine is the command line that confirms the caller's irreversible
// step: what they typed, followed by the confirming word of their language.
// The answer offers it as a button too (Reply.Offers).
func (r *Runner) confirmLine() string {
	line := r.typedConfirmLine()
	r.offer(line, r.T("run.confirm", nil))
	return line
}

// offer adds line (with or without "/kim") to the answer's buttons.
func (r *Runner) offer(line, label string) {
	r.offers = append(r.offers, Offer{Line: strings.TrimPrefix(line, "/kim "), Label: label})
}

// typedConfirmLine is confirmLine without the button: erasing a case is
// confirmed only by typing the word, never by one click.
func (r *Runner) typedConfirmLine() string {
	line := strings.Join(strings.Fields(r.req.Text), " ")
	if r.pseudonym != "" {
		line = r.lineWithRef()
	}
	return "/kim " + line + " " + r.T("confirm.word", nil)
}

// hasCaseQuery reports whether a pseudonym stands where a case goes.
func (a *Args) hasCaseQuery() bool {
	for _, v := range a.values {
		if _, ok := v.(caseQuery); ok {
			return true
		}
	}
	return false
}

// findCases replaces a pseudonym typed for a case by the reference of the
// one case of the caller's it names (store.FindCase): /kim zeige AB. The
// caller is resolved and allowed the verb by then.
func (r *Runner) findCases(a *Args) error {
	for name, v := range a.values {
		q, ok := v.(caseQuery)
		if !ok {
			continue
		}
		var ref string
		var err error
		if n, ok := kim.ParseCaseNumber(string(q)); ok {
			ref, err = r.svc.Store.FindCaseNumber(r.ctx, r.Actor(), n)
			// An irreversible step is confirmed for a case named by its whole
			// reference: the verb asks, with the line that names it.
			if a.Has("confirm") {
				delete(a.values, "confirm")
				r.unconfirmed = true
			}
		} else {
			ref, err = r.svc.Store.FindCase(r.ctx, r.Actor(), string(q))
		}
		if err != nil {
			return err
		}
		a.values[name], r.pseudonym, r.pseudonymRef = ref, string(q), ref
	}
	return nil
}

// lineWithRef is the typed line with the case reference in place of the
// pseudonym or number that named it, so that a confirmation names exactly
// the case the question was about.
func (r *Runner) lineWithRef() string {
	toks, err := tokenize(norm.NFC.String(r.req.Text))
	if err != nil {
		return strings.Join(strings.Fields(r.req.Text), " ")
	}
	if len(toks) > 0 && r.unconfirmed {
		if _, ok := confirmParam.lookup(toks[len(toks)-1].text); ok {
			toks = toks[:len(toks)-1] // confirmLine adds it again
		}
	}
	parts := make([]string, len(toks))
	done := false
	for i, t := range toks {
		switch {
		case !done && strings.TrimSpace(t.text) == r.pseudonym:
			parts[i], done = r.pseudonymRef, true
		case t.quoted && !strings.Contains(t.text, `"`):
			parts[i] = `"` + t.text + `"`
		case t.quoted:
			parts[i] = "„" + t.text + "“"
		default:
			parts[i] = t.text
		}
	}
	return strings.Join(parts, " ")
}

// listRefused is err, the refusal of one record of a list of them (ns), as
// the answer key gives it: the reason and that none of them was changed.
// A refusal of one record alone is err itself.
func listRefused(err error, ns []int, key string) error {
	var ke *kim.Error
	if len(ns) < 2 || !errors.As(err, &ke) {
		return err
	}
	return kim.Errorf(ke.Code, key, map[string]any{"Reason": local(func(lang string) string {
		return messages.T(lang, ke.Key, ke.Args)
	}), "Listed": listedNumbers(ns)})
}

// listedNumbers is numbers for an answer: 1, 3 und 5; 1, 3 and 5.
func listedNumbers(ns []int) local {
	return func(lang string) string {
		s := make([]string, len(ns))
		for i, n := range ns {
			s[i] = strconv.Itoa(n)
		}
		last := len(s) - 1
		return strings.Join(s[:last], ", ") + " " + messages.T(lang, "step.and", nil) + " " + s[last]
	}
}
