package devstack

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// Events records what Mattermost pushes to one user over the WebSocket and what only a
// person's client would see: interactive dialogs to open and ephemeral posts (e.g. the
// EphemeralText of a button's answer). Start it before the action that causes them.
type Events struct {
	ws *model.WebSocketClient

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced whenever something is recorded
	dialogs   []*model.OpenDialogRequest
	nextDlg   int
	ephemeral []*model.Post
	all       []Event // dialogs and ephemeral posts in arrival order
	closed    bool
}

// Event is one thing a person's client would show: a dialog to open or an ephemeral post.
// Exactly one of the fields is set.
type Event struct {
	Dialog    *model.OpenDialogRequest
	Ephemeral *model.Post
}

// Listen connects to the user's WebSocket and returns once Mattermost has registered it.
func (c *Client) Listen(ctx context.Context) (*Events, error) {
	wsURL := "ws" + strings.TrimPrefix(c.URL, "http")
	ws, err := model.NewWebSocketClient4(wsURL, c.AuthToken)
	if err != nil {
		return nil, fmt.Errorf("devstack: WebSocket of %s: %w", c.Username(), err)
	}
	e := &Events{ws: ws, changed: make(chan struct{})}
	hello := make(chan struct{})
	ws.Listen()
	go e.loop(hello)
	select {
	case <-hello:
		return e, nil
	case <-ctx.Done():
		ws.Close()
		return nil, fmt.Errorf("devstack: WebSocket of %s: no hello: %w", c.Username(), ctx.Err())
	case <-time.After(15 * time.Second):
		ws.Close()
		return nil, fmt.Errorf("devstack: WebSocket of %s: no hello within 15s", c.Username())
	}
}

func (e *Events) loop(hello chan struct{}) {
	helloed := false
	responses := e.ws.ResponseChannel
	for {
		select {
		case ev, ok := <-e.ws.EventChannel:
			if !ok {
				e.mu.Lock()
				e.closed = true
				e.notify()
				e.mu.Unlock()
				return
			}
			switch ev.EventType() {
			case model.WebsocketEventHello:
				if !helloed {
					helloed = true
					close(hello)
				}
			case model.WebsocketEventOpenDialog:
				var d model.OpenDialogRequest
				if s, ok := ev.GetData()["dialog"].(string); ok && json.Unmarshal([]byte(s), &d) == nil {
					e.record(func() { e.dialogs = append(e.dialogs, &d); e.all = append(e.all, Event{Dialog: &d}) })
				}
			case model.WebsocketEventEphemeralMessage:
				var p model.Post
				if s, ok := ev.GetData()["post"].(string); ok && json.Unmarshal([]byte(s), &p) == nil {
					e.record(func() { e.ephemeral = append(e.ephemeral, &p); e.all = append(e.all, Event{Ephemeral: &p}) })
				}
			}
		case _, ok := <-responses:
			if !ok {
				responses = nil
			}
		case <-e.ws.PingTimeoutChannel:
		}
	}
}

func (e *Events) record(f func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f()
	e.notify()
}

// notify wakes waiters; e.mu must be held.
func (e *Events) notify() {
	close(e.changed)
	e.changed = make(chan struct{})
}

// Close disconnects the WebSocket.
func (e *Events) Close() { e.ws.Close() }

// Ephemeral returns the ephemeral posts received so far, oldest first.
func (e *Events) Ephemeral() []*model.Post {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]*model.Post(nil), e.ephemeral...)
}

// Next returns the event number i (0 is the first received), waiting until it arrives, the
// WebSocket closes or ctx ends. A reader that wants everything in order calls it with 0, 1, 2, …;
// it sees the dialogs that WaitDialog returns as well.
func (e *Events) Next(ctx context.Context, i int) (Event, error) {
	for {
		e.mu.Lock()
		if i < len(e.all) {
			ev := e.all[i]
			e.mu.Unlock()
			return ev, nil
		}
		changed, closed := e.changed, e.closed
		e.mu.Unlock()
		if closed {
			return Event{}, fmt.Errorf("devstack: WebSocket closed")
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return Event{}, ctx.Err()
		}
	}
}

// WaitDialog returns the next dialog Mattermost told the user to open (each dialog once),
// waiting until one arrives or ctx ends.
func (e *Events) WaitDialog(ctx context.Context) (*model.OpenDialogRequest, error) {
	for {
		e.mu.Lock()
		if e.nextDlg < len(e.dialogs) {
			d := e.dialogs[e.nextDlg]
			e.nextDlg++
			e.mu.Unlock()
			return d, nil
		}
		changed, closed := e.changed, e.closed
		e.mu.Unlock()
		if closed {
			return nil, fmt.Errorf("devstack: WebSocket closed while waiting for a dialog")
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, fmt.Errorf("devstack: no dialog opened: %w", ctx.Err())
		}
	}
}

// WaitEphemeral waits for an ephemeral post whose text (PostText) contains substr (any post if
// substr is "") and returns the first such post.
func (e *Events) WaitEphemeral(ctx context.Context, substr string) (*model.Post, error) {
	for {
		e.mu.Lock()
		for _, p := range e.ephemeral {
			if strings.Contains(PostText(p), substr) {
				e.mu.Unlock()
				return p, nil
			}
		}
		changed, closed := e.changed, e.closed
		e.mu.Unlock()
		if closed {
			return nil, fmt.Errorf("devstack: WebSocket closed while waiting for an ephemeral post")
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, fmt.Errorf("devstack: no ephemeral post containing %q: %w", substr, ctx.Err())
		}
	}
}

// SubmitDialog submits dialog d as this user with the given values (element name -> value;
// strings for text/select, bool for bool elements), as pressing the dialog's submit button would.
// channelID and teamID are where the dialog was opened.
func (c *Client) SubmitDialog(ctx context.Context, d *model.OpenDialogRequest, channelID, teamID string, values map[string]any) (*model.SubmitDialogResponse, error) {
	resp, _, err := c.SubmitInteractiveDialog(ctx, model.SubmitDialogRequest{
		URL:        d.URL,
		CallbackId: d.Dialog.CallbackId,
		State:      d.Dialog.State,
		ChannelId:  channelID,
		TeamId:     teamID,
		Submission: values,
	})
	if err != nil {
		return nil, fmt.Errorf("devstack: submit dialog %q as %s: %w", d.Dialog.Title, c.Username(), err)
	}
	return resp, nil
}

// CancelDialog tells the integration that the user closed dialog d without submitting (only if
// the dialog asked to be notified).
func (c *Client) CancelDialog(ctx context.Context, d *model.OpenDialogRequest, channelID, teamID string) error {
	_, _, err := c.SubmitInteractiveDialog(ctx, model.SubmitDialogRequest{
		URL: d.URL, CallbackId: d.Dialog.CallbackId, State: d.Dialog.State,
		ChannelId: channelID, TeamId: teamID, Cancelled: true,
	})
	if err != nil {
		return fmt.Errorf("devstack: cancel dialog %q as %s: %w", d.Dialog.Title, c.Username(), err)
	}
	return nil
}
