package bot

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/secret"
)

func testKeys(t *testing.T) *secret.Keys {
	t.Helper()
	k, err := secret.ParseKey(secret.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestCheckState(t *testing.T) {
	keys := testKeys(t)
	now := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	signed := SignFields(keys, now, time.Hour, "dialog", "open", "u1", "t1")
	if f, mac, st := checkState(keys, signed, now); st != stateValid || strings.Join(f, ",") != "dialog,open,u1,t1" || mac == "" {
		t.Fatalf("valid state: %v %q %v", f, mac, st)
	}
	if _, _, st := checkState(keys, signed, now.Add(time.Hour)); st != stateValid {
		t.Fatalf("state at the end of its hour: %v", st)
	}
	if _, _, st := checkState(keys, signed, now.Add(time.Hour+time.Second)); st != stateExpired {
		t.Fatalf("expired state: %v", st)
	}
	for _, forged := range []string{"", "x", strings.Replace(signed, "u1", "u2", 1), flipLast(signed),
		SignFields(testKeys(t), now, time.Hour, "dialog", "open", "u1", "t1")} {
		if _, _, st := checkState(keys, forged, now); st != stateForged {
			t.Errorf("forged state %q accepted: %v", forged, st)
		}
	}
}

func TestSubmissionValues(t *testing.T) {
	got := submissionValues(map[string]any{"a": "x", "b": true, "c": float64(20), "d": nil, "e": 1.5})
	want := map[string]string{"a": "x", "b": "true", "c": "20", "d": "", "e": "1.5"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
}

// Forged, foreign and malformed submissions are refused before anything runs
// (the server has no Mattermost and no Redis here: reaching them would panic).
func TestDialogSubmitRefusals(t *testing.T) {
	st := testenv.Store(t)
	keys := st.Keys()
	s := &Server{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	state := SignFields(keys, time.Now(), time.Hour, "dialog", "open", "u1", "t1")
	post := func(body string) int {
		rec := httptest.NewRecorder()
		s.dialogSubmit(rec, httptest.NewRequest(http.MethodPost, DialogPath, strings.NewReader(body)))
		return rec.Code
	}
	req := func(mut func(*model.SubmitDialogRequest)) string {
		r := model.SubmitDialogRequest{CallbackId: "open", State: state, UserId: "u1", TeamId: "t1", Submission: map[string]any{"pseudonym": "X"}}
		mut(&r)
		b, _ := json.Marshal(r)
		return string(b)
	}
	for name, tc := range map[string]struct {
		body string
		code int
	}{
		"malformed":      {"{", http.StatusBadRequest},
		"no user":        {req(func(r *model.SubmitDialogRequest) { r.UserId = "" }), http.StatusBadRequest},
		"other user":     {req(func(r *model.SubmitDialogRequest) { r.UserId = "u2" }), http.StatusUnauthorized},
		"other team":     {req(func(r *model.SubmitDialogRequest) { r.TeamId = "t2" }), http.StatusUnauthorized},
		"other callback": {req(func(r *model.SubmitDialogRequest) { r.CallbackId = "contact K-2026-0001" }), http.StatusUnauthorized},
		"no state":       {req(func(r *model.SubmitDialogRequest) { r.State = "" }), http.StatusUnauthorized},
		"forged state":   {req(func(r *model.SubmitDialogRequest) { r.State = strings.Replace(state, "u1", "u2", 1) }), http.StatusUnauthorized},
		"foreign key": {req(func(r *model.SubmitDialogRequest) {
			r.State = SignFields(testKeys(t), time.Now(), time.Hour, "dialog", "open", "u1", "t1")
		}), http.StatusUnauthorized},
		"digest form, other user": {req(func(r *model.SubmitDialogRequest) {
			r.State = SignFields(keys, time.Now(), time.Hour, "dialog", "open", "u1", "t1", "post1", "done0", "digest:u1:2026-12-07")
			r.UserId = "u2"
		}), http.StatusUnauthorized},
		"digest form, fields missing": {req(func(r *model.SubmitDialogRequest) {
			r.State = SignFields(keys, time.Now(), time.Hour, "dialog", "open", "u1", "t1", "post1")
			r.TeamId = "t2"
		}), http.StatusUnauthorized},
		"button context": {req(func(r *model.SubmitDialogRequest) {
			r.State = SignFields(keys, time.Now(), time.Hour, "btn", "open", "u1", "t1")
		}), http.StatusUnauthorized},
	} {
		if code := post(tc.body); code != tc.code {
			t.Errorf("%s: HTTP %d, want %d", name, code, tc.code)
		}
	}
}

// flipLast changes the last hex digit of s to a different one.
func flipLast(s string) string {
	last := "0"
	if s[len(s)-1] == '0' {
		last = "1"
	}
	return s[:len(s)-1] + last
}
