package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/devstack"
)

// shell is the demo's prompt. It executes slash commands as one of the demo users and prints what
// they see: the command's answer, and what Mattermost pushes to the user's WebSocket (dialogs,
// which it then asks for field by field and submits, and ephemeral answers such as the one to a
// button press). It also runs reminder passes and presses buttons of kimbot's direct messages.
//
// Everything happens on the goroutine of loop; the WebSocket listeners only hand events over.
type shell struct {
	ctx       context.Context
	out       io.Writer
	teamID    string
	channelID string
	users     map[string]*devstack.Client
	as        string
	kimbot    devstack.Kimbot

	events  chan userEvent
	form    *form   // the dialog being filled in, if any
	queue   []*form // dialogs that arrived while another was being filled in
	buttons []button
	// shown counts the answers printed from a slash command's REST response by user and text:
	// Mattermost sends each also as an ephemeral post over the WebSocket, which is then skipped.
	shown map[string]int
	// pressed says, per user, whether their last action was a button press (not a slash
	// command): a form that opens then is a digest item's, answered in a DM.
	pressed map[string]bool
}

// userEvent is an event from the WebSocket of one demo user.
type userEvent struct {
	user string
	ev   devstack.Event
}

// button is a numbered button of a post the prompt showed; press <n> presses it.
type button struct {
	user, postID, actionID, label string
	post                          *model.Post // an ephemeral post's button is pressed with its cookie
}

func newShell(ctx context.Context, out io.Writer, teamID, channelID string, users map[string]*devstack.Client, kimbot devstack.Kimbot) *shell {
	return &shell{
		ctx: ctx, out: out, teamID: teamID, channelID: channelID, users: users, kimbot: kimbot,
		events: make(chan userEvent), shown: map[string]int{}, pressed: map[string]bool{},
	}
}

// forward hands the events of user's WebSocket to the shell, in order, until it closes or the
// shell's context ends.
func (s *shell) forward(user string, ev *devstack.Events) {
	for i := 0; ; i++ {
		e, err := ev.Next(s.ctx, i)
		if err != nil {
			return
		}
		select {
		case s.events <- userEvent{user, e}:
		case <-s.ctx.Done():
			return
		}
	}
}

// loop runs the prompt on lines (nil: no prompt, only events) until the context ends, the person
// quits, or kimbot serve exits.
func (s *shell) loop(lines <-chan string, serve *devstack.Process) error {
	interactive := lines != nil
	if interactive {
		s.prompt()
	}
	for {
		select {
		case <-s.ctx.Done():
			fmt.Fprintln(s.out)
			return nil
		case <-serve.Done():
			return fmt.Errorf("kimbot serve exited unexpectedly:\n%s", devstack.Tail(serve.Output(), 40))
		case e := <-s.events:
			if s.event(e) && interactive {
				s.prompt()
			}
		case line, ok := <-lines:
			if !ok {
				lines = nil // stdin closed: keep running until Ctrl-C
				continue
			}
			if s.handle(line) {
				return nil
			}
			s.prompt()
		}
	}
}

func (s *shell) prompt() {
	if s.form != nil {
		fmt.Fprint(s.out, s.form.question())
		return
	}
	fmt.Fprintf(s.out, "\n%s> ", s.as)
}

// exec runs line as user and prints the exchange; it returns the answer text.
func (s *shell) exec(user, line string) (string, error) {
	ctx, cancel := context.WithTimeout(s.ctx, 45*time.Second)
	defer cancel()
	fmt.Fprintf(s.out, "\n  %s> %s\n", user, line)
	s.pressed[user] = false
	resp, err := s.users[user].ExecuteCommand(ctx, s.teamID, s.channelID, line)
	if err != nil {
		return "", err
	}
	for _, text := range answerPosts(resp) {
		s.shown[user+"\x00"+text]++
	}
	text := devstack.ResponseText(resp)
	if text != "" || len(resp.ExtraResponses) > 0 {
		fmt.Fprintln(s.out, indent(text, "    "))
	}
	return text, nil
}

// answerPosts returns the texts (as devstack.PostText renders them) of the ephemeral posts
// Mattermost makes of a slash command's response and pushes over the WebSocket.
func answerPosts(r *model.CommandResponse) []string {
	var out []string
	if r == nil {
		return nil
	}
	if (r.ResponseType == "" || r.ResponseType == model.CommandResponseTypeEphemeral) && (r.Text != "" || r.Attachments != nil) {
		p := &model.Post{Message: r.Text}
		if r.Attachments != nil {
			model.ParseSlackAttachment(p, r.Attachments)
		}
		out = append(out, devstack.PostText(p))
	}
	for _, extra := range r.ExtraResponses {
		out = append(out, answerPosts(extra)...)
	}
	return out
}

// command is exec without the answer.
func (s *shell) command(user, line string) error {
	_, err := s.exec(user, line)
	return err
}

// event shows what arrived on a user's WebSocket; it reports whether it printed anything.
func (s *shell) event(e userEvent) bool {
	switch {
	case e.ev.Dialog != nil:
		f := newForm(e.user, e.ev.Dialog)
		f.fromButton = s.pressed[e.user]
		if s.form != nil {
			s.queue = append(s.queue, f)
			fmt.Fprintf(s.out, "\n  (kimbot opened another form, %q; it follows this one)\n", e.ev.Dialog.Dialog.Title)
			return true
		}
		s.form = f
		f.render(s.out)
		return true
	case e.ev.Ephemeral != nil:
		text := devstack.PostText(e.ev.Ephemeral)
		key := e.user + "\x00" + text
		if s.shown[key] > 0 {
			// The answer was shown from the command's response; its buttons
			// (Bestätigen, So ausführen) can be pressed only with the cookies
			// of this copy.
			s.shown[key]--
			var labels []string
			for _, act := range devstack.PostActions(e.ev.Ephemeral) {
				s.buttons = append(s.buttons, button{user: e.user, postID: e.ev.Ephemeral.Id, actionID: act.Id, label: act.Name, post: e.ev.Ephemeral})
				labels = append(labels, fmt.Sprintf("[%d %s]", len(s.buttons), act.Name))
			}
			if len(labels) == 0 {
				return false
			}
			fmt.Fprintf(s.out, "    press %s\n", strings.Join(labels, " "))
			return true
		}
		fmt.Fprintf(s.out, "\n  (only %s sees this)\n%s\n", e.user, indent(text, "    "))
		return true
	}
	return false
}

// handle runs one line typed by the person at the terminal; it reports whether to quit.
func (s *shell) handle(line string) (quit bool) {
	if s.form != nil {
		s.formLine(line)
		return false
	}
	line = strings.TrimSpace(line)
	fields := strings.Fields(line)
	switch {
	case line == "":
	case line == "quit" || line == "exit":
		return true
	case line == "help" || line == "?":
		fmt.Fprintf(s.out, shellHelp, suggestRemind(time.Now()).Format("2006-01-02 15:04"))
	case fields[0] == "as" && len(fields) == 2:
		if _, ok := s.users[fields[1]]; !ok {
			fmt.Fprintf(s.out, "unknown user %q (%s, %s, %s)\n", fields[1], coachName, coordName, adminName)
		} else {
			s.as = fields[1]
		}
	case line == "dms":
		s.showDMs()
	case fields[0] == "remind":
		s.remind(strings.Join(fields[1:], " "))
	case fields[0] == "press":
		s.press(fields[1:])
	case strings.HasPrefix(line, "/"):
		if _, err := s.exec(s.as, line); err != nil {
			fmt.Fprintln(s.out, "error:", err)
		}
	default:
		fmt.Fprintln(s.out, "type a /kim command, or help")
	}
	return false
}

const shellHelp = `  /kim …               run a command as the current user (e.g. /kim faelle, /kim hilfe open);
                       /kim neu, /kim kontakt <case> and /kim verweis <case> open a form
  as <user>            switch user: coach, koordination or sysadmin
  dms                  kimbot's last direct messages to the current user, with numbered buttons
  remind <time>        one reminder pass as if it were <time> in Europe/Berlin (kimbot remind --now),
                       e.g. remind %s, remind 02.03.2026 08:00, remind +14d;
                       then shows the direct messages it sent
  press <n>            press button n of the messages shown last, as their recipient
  quit                 stop the demo (or Ctrl-C)
In a form: answer each field; an empty line keeps the default, /cancel closes the form.`

// formLine takes a line typed while a form is open.
func (s *shell) formLine(line string) {
	f := s.form
	if strings.TrimSpace(line) == cancelWord {
		if f.req.Dialog.NotifyOnCancel {
			ctx, cancel := context.WithTimeout(s.ctx, 30*time.Second)
			defer cancel()
			if err := s.users[f.user].CancelDialog(ctx, f.req, s.channelID, s.teamID); err != nil {
				fmt.Fprintln(s.out, "  error:", err)
			}
		}
		fmt.Fprintf(s.out, "  form %q closed without submitting\n", f.req.Dialog.Title)
		s.nextForm()
		return
	}
	if problem := f.answer(line); problem != "" {
		fmt.Fprintf(s.out, "  ! %s\n", problem)
		return
	}
	if f.done() {
		s.submit()
	}
}

// submit sends the filled-in form as its user, as a client's submit button does.
func (s *shell) submit() {
	f := s.form
	submit := f.req.Dialog.SubmitLabel
	if submit == "" {
		submit = "Submit"
	}
	fmt.Fprintf(s.out, "  [%s] as %s (POST /api/v4/actions/dialogs/submit)\n", submit, f.user)
	ctx, cancel := context.WithTimeout(s.ctx, 45*time.Second)
	defer cancel()
	resp, err := s.users[f.user].SubmitDialog(ctx, f.req, s.channelID, s.teamID, f.values)
	switch {
	case err != nil:
		fmt.Fprintln(s.out, "  error:", err)
	case resp.Error == "" && len(resp.Errors) == 0 && f.fromButton:
		// A digest's form has no slash command to answer through.
		fmt.Fprintln(s.out, "  submitted; kimbot answers in a direct message (dms shows it)")
	case resp.Error == "" && len(resp.Errors) == 0:
		fmt.Fprintln(s.out, "  submitted; kimbot answers over the WebSocket:")
	default:
		if resp.Error != "" {
			fmt.Fprintf(s.out, "  ! kimbot: %s\n", resp.Error)
		}
		if len(resp.Errors) > 0 {
			if f.retry(resp.Errors) {
				fmt.Fprintln(s.out, "  kimbot refused the form; answer these fields again:")
				return
			}
			for name, msg := range resp.Errors {
				fmt.Fprintf(s.out, "  ! %s: %s\n", name, msg)
			}
		}
		fmt.Fprintln(s.out, "  the form is closed; run the command again to get a new one")
	}
	s.nextForm()
}

// nextForm closes the current form and opens the next one that waited, if any.
func (s *shell) nextForm() {
	s.form = nil
	if len(s.queue) > 0 {
		s.form, s.queue = s.queue[0], s.queue[1:]
		s.form.render(s.out)
	}
}

// showDMs shows the last direct messages from kimbot to the current user.
func (s *shell) showDMs() {
	const last = 10
	ctx, cancel := context.WithTimeout(s.ctx, 30*time.Second)
	defer cancel()
	posts, err := s.users[s.as].DirectPostsFrom(ctx, botUsername)
	if err != nil {
		fmt.Fprintln(s.out, "error:", err)
		return
	}
	if len(posts) == 0 {
		fmt.Fprintf(s.out, "no direct messages from @%s to %s yet\n", botUsername, s.as)
		return
	}
	if len(posts) > last {
		fmt.Fprintf(s.out, "  (the last %d of %d)\n", last, len(posts))
		posts = posts[len(posts)-last:]
	}
	s.buttons = nil
	for _, p := range posts {
		s.showPost(s.as, p)
	}
}

// showPost prints a post of kimbot to user with its time in Europe/Berlin and numbers its buttons
// for press.
func (s *shell) showPost(user string, p *model.Post) {
	fmt.Fprintf(s.out, "\n  [%s] @%s to %s:\n", berlin(p.CreateAt), botUsername, user)
	var b strings.Builder
	b.WriteString(p.Message)
	for _, a := range p.Attachments() {
		for _, t := range []string{a.Pretext, a.Title, a.Text} {
			if t != "" {
				b.WriteString("\n" + t)
			}
		}
		for _, fld := range a.Fields {
			if fld != nil {
				fmt.Fprintf(&b, "\n%s: %v", fld.Title, fld.Value)
			}
		}
		var labels []string
		for _, act := range a.Actions {
			s.buttons = append(s.buttons, button{user: user, postID: p.Id, actionID: act.Id, label: act.Name})
			labels = append(labels, fmt.Sprintf("[%d %s]", len(s.buttons), act.Name))
		}
		if len(labels) > 0 {
			b.WriteString("\n" + strings.Join(labels, " "))
		}
		if a.Footer != "" {
			b.WriteString("\n" + a.Footer)
		}
	}
	fmt.Fprintln(s.out, indent(strings.TrimSpace(b.String()), "    "))
}

// press presses a numbered button as the recipient of its post and shows the post as it is then.
func (s *shell) press(args []string) {
	n, err := 0, error(nil)
	if len(args) == 1 {
		n, err = strconv.Atoi(args[0])
	}
	if len(args) != 1 || err != nil || n < 1 || n > len(s.buttons) {
		if len(s.buttons) == 0 {
			fmt.Fprintln(s.out, "no buttons shown yet: dms or remind <time> shows kimbot's messages with numbered buttons")
		} else {
			fmt.Fprintf(s.out, "press <n> with n from 1 to %d (the numbers shown last)\n", len(s.buttons))
		}
		return
	}
	b := s.buttons[n-1]
	ctx, cancel := context.WithTimeout(s.ctx, 45*time.Second)
	defer cancel()
	c := s.users[b.user]
	fmt.Fprintf(s.out, "  %s presses [%s]\n", b.user, b.label)
	s.pressed[b.user] = true
	if b.post != nil { // the answer arrives as an ephemeral post
		if err := c.PressEphemeral(ctx, b.post, b.actionID); err != nil {
			fmt.Fprintln(s.out, "  error:", err)
		}
		s.buttons = nil
		return
	}
	if err := c.PressButton(ctx, b.postID, b.actionID); err != nil {
		fmt.Fprintln(s.out, "  error:", err)
		return
	}
	p, _, err := c.GetPost(ctx, b.postID, "")
	if err != nil {
		fmt.Fprintln(s.out, "  error:", err)
		return
	}
	s.buttons = nil
	s.showPost(b.user, p)
}

// dmIDs returns, per demo user, the ids of kimbot's direct messages to them.
func (s *shell) dmIDs(ctx context.Context) (map[string][]string, error) {
	ids := map[string][]string{}
	for name, c := range s.users {
		posts, err := c.DirectPostsFrom(ctx, botUsername)
		if err != nil {
			return nil, err
		}
		for _, p := range posts {
			ids[name] = append(ids[name], p.Id)
		}
	}
	return ids, nil
}

// remind runs one reminder pass as if it were the time arg says, and shows the direct messages it
// sent.
func (s *shell) remind(arg string) {
	suggestion := suggestRemind(time.Now()).Format("2006-01-02 15:04")
	if arg == "" {
		fmt.Fprintf(s.out, "remind <time>: e.g. remind %s (Europe/Berlin), remind 02.03.2026 08:00, remind +14d\n", suggestion)
		return
	}
	at, err := parseRemindTime(arg, time.Now())
	if err != nil {
		fmt.Fprintf(s.out, "%v (e.g. remind %s)\n", err, suggestion)
		return
	}
	ctx, cancel := context.WithTimeout(s.ctx, 2*time.Minute)
	defer cancel()
	before, err := s.dmIDs(ctx)
	if err != nil {
		fmt.Fprintln(s.out, "error:", err)
		return
	}
	fmt.Fprintf(s.out, "  kimbot remind --now %s   (%s)\n", at.Format(time.RFC3339), at.Format("Monday, 02.01.2006 15:04 MST"))
	output, err := s.kimbot.Run(ctx, "remind", "--now", at.Format(time.RFC3339))
	for _, l := range strings.Split(output, "\n") {
		if strings.HasPrefix(l, "kimbot remind:") {
			fmt.Fprintln(s.out, "    "+l)
		}
	}
	if err != nil {
		fmt.Fprintln(s.out, "  error:", err)
	}
	s.buttons = nil
	sent := 0
	for _, name := range []string{coachName, coordName, adminName} {
		c := s.users[name]
		posts, err := c.DirectPostsFrom(ctx, botUsername)
		if err != nil {
			fmt.Fprintln(s.out, "error:", err)
			return
		}
		for _, p := range posts {
			if !slices.Contains(before[name], p.Id) {
				s.showPost(name, p)
				sent++
			}
		}
	}
	if sent == 0 {
		fmt.Fprintln(s.out, "  no new direct messages: nothing was due for anyone then (digests go out on working days\n"+
			"  at each coach's digest time, default 08:00, and once per day; a day with nothing due sends nothing)")
	} else if len(s.buttons) > 0 {
		fmt.Fprintf(s.out, "\n  press <n> presses a button (1–%d)\n", len(s.buttons))
	}
}
