package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/kimbot-nrw/kimbot/commands"
	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
	"github.com/kimbot-nrw/kimbot/store"
)

// Paths of the endpoints Mattermost calls.
const (
	ActionPath = "/mattermost/action"
	DialogPath = "/mattermost/dialog"
)

var (
	commandsTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "kimbot_commands_total", Help: "Slash commands by verb and outcome.",
	}, []string{"verb", "outcome"})
	commandSeconds = promauto.NewHistogram(prometheus.HistogramOpts{
		Name: "kimbot_command_duration_seconds", Help: "Time to answer a slash command.", Buckets: prometheus.DefBuckets,
	})
	// commandPhaseSeconds splits kimbot_command_duration_seconds (BENCHMARKS.md,
	// issue 12): where a command's time goes, without its content.
	commandPhaseSeconds = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name: "kimbot_command_phase_seconds",
		Help: "Time of each phase of a slash command: request (token, form, a place among those running), " +
			"caller (profile), rate_limit (counted locally, never waiting for Redis), execute (the command with its database round trip), answer (the reply written).",
		Buckets: prometheus.ExponentialBuckets(0.0001, 2.5, 12), // 0.1 ms … 2.4 s
	}, []string{"phase"})
	phaseRequest   = commandPhaseSeconds.WithLabelValues(CommandPhases[0])
	phaseCaller    = commandPhaseSeconds.WithLabelValues(CommandPhases[1])
	phaseRateLimit = commandPhaseSeconds.WithLabelValues(CommandPhases[2])
	phaseExecute   = commandPhaseSeconds.WithLabelValues(CommandPhases[3])
	phaseAnswer    = commandPhaseSeconds.WithLabelValues(CommandPhases[4])
	refusedTotal   = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "kimbot_refused_requests_total", Help: "Requests refused before reaching a handler, by endpoint and reason.",
	}, []string{"endpoint", "reason"})
	redisUp = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "kimbot_redis_up", Help: "1 when the last /readyz check reached Redis, 0 when it did not (kimbot runs degraded).",
	})
)

// CommandPhases are the phases of kimbot_command_phase_seconds in the order
// a slash command passes them.
var CommandPhases = []string{"request", "caller", "rate_limit", "execute", "answer"}

// Server is kimbot's HTTP endpoint.
type Server struct {
	Store *store.Store
	Redis *store.Redis
	// RateLimit counts the commands and dialog submissions of each user
	// (NewRateLimit).
	RateLimit *store.Limiter
	Bot       *Client
	Commands  *commands.Service
	PublicURL string
	Log       *slog.Logger
	// Buttons answers verified button presses (bot/buttons.go).
	Buttons ButtonHandler
	// Profiles caches callers' profiles (bot/profiles.go); nil: every
	// command asks Mattermost.
	Profiles *Profiles
	// Clock signs and checks the expiry of button contexts and dialog
	// states (nil: kim.SystemClock).
	Clock kim.Clock
	// MaxInFlight bounds the slash commands executed at once (0:
	// DefaultMaxInFlight). A command that finds no free place within
	// BusyWait is answered "busy, try again" at once: under overload
	// kimbot answers quickly instead of queueing requests without bound.
	MaxInFlight int
	// TokenRefresh is how often KeepTokens reads the command tokens
	// (0: half TokenMaxAge).
	TokenRefresh time.Duration

	inflightOnce sync.Once
	inflight     chan struct{}

	mu         sync.RWMutex
	tokens     map[string]string // team id → command token
	reloadedAt time.Time
	tokensErr  error // why the tokens could not be read, while never read
}

// NewRateLimit returns the rate limit of a Server: 60 commands per user and
// minute, counted on this replica and shared through r (store.Limiter).
// Close it once the server has stopped.
func NewRateLimit(r *store.Redis, log *slog.Logger) *store.Limiter {
	return store.NewLimiter(r, 60, time.Minute, log)
}

func (s *Server) clock() kim.Clock { return kim.ClockOr(s.Clock) }

// Handler returns the HTTP routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+CommandPath, s.command)
	mux.HandleFunc("POST "+ActionPath, s.buttonPress)
	mux.HandleFunc("POST "+DialogPath, s.dialogSubmit)
	mux.HandleFunc("GET "+ExportPath+"{token}", s.exportForm) // bot/exports.go
	mux.HandleFunc("POST "+ExportPath+"{token}", s.exportFetch)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", s.ready)
	mux.Handle("GET /metrics", promhttp.Handler())
	return recoverer(s.Log, mux)
}

// ready answers 200 while Postgres answers and 503 when it does not. Redis is
// reported but does not decide: kimbot stays correct without it (README,
// "High availability"), so a Redis outage must not take every replica out of
// a load balancer.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.Store.Ping(ctx); err != nil {
		http.Error(w, "not ready: postgres", http.StatusServiceUnavailable)
		return
	}
	if err := s.Redis.Ping(ctx); err != nil {
		redisUp.Set(0)
		w.Write([]byte("ready (degraded: redis unavailable)\n"))
		return
	}
	redisUp.Set(1)
	w.Write([]byte("ready\n"))
}

// recoverer turns a panic into a logged 500 instead of a dead connection.
func recoverer(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				log.Error("http: panic", "path", r.URL.Path, "panic", p)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// maxBody is the largest request kimbot reads from Mattermost without
// knowing who sent it (buttons, dialogs).
const maxBody = 64 << 10

// maxCommandBody is the largest slash request kimbot reads once its token
// is one of the teams' command tokens: Mattermost's default payload limit
// (300 000 bytes) percent-encoded, so that a command too long for kimbot
// gets kimbot's own answer, never Mattermost's generic "returned response".
const maxCommandBody = 1 << 20

// DefaultMaxInFlight is the number of slash commands executed at once
// unless Server.MaxInFlight says otherwise: enough to keep a pool of 32
// connections busy while others run their Go part.
const DefaultMaxInFlight = 64

// BusyWait is how long a slash command waits for a place among the
// commands executed at once before it is answered "busy".
const BusyWait = time.Second

// enter waits up to BusyWait for a place among the commands executed at
// once; ok is false when none became free. The caller calls leave.
func (s *Server) enter(ctx context.Context) (leave func(), ok bool) {
	s.inflightOnce.Do(func() {
		n := s.MaxInFlight
		if n <= 0 {
			n = DefaultMaxInFlight
		}
		s.inflight = make(chan struct{}, n)
	})
	leave = func() { <-s.inflight }
	select {
	case s.inflight <- struct{}{}:
		return leave, true
	default:
	}
	t := time.NewTimer(BusyWait)
	defer t.Stop()
	select {
	case s.inflight <- struct{}{}:
		return leave, true
	case <-t.C:
	case <-ctx.Done():
	}
	return nil, false
}

// command answers a slash command after verifying its token.
func (s *Server) command(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	// Mattermost sends the command token in the header: check it against
	// every team's before reading a body of that size.
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Token ")
	if token == "" || !s.validToken(r.Context(), "", token) {
		if s.noTokens() {
			// A replica that never read the tokens cannot check any while the
			// database is down: say so (a fixed text, nothing else) rather than
			// leave Mattermost to show a generic error.
			refusedTotal.WithLabelValues("command", "unavailable").Inc()
			writeJSON(w, &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral,
				Text: messages.T("de", "err.unavailable_unknown", nil), SkipSlackParsing: true})
			return
		}
		s.refuse(w, r, "command", "token", http.StatusUnauthorized)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxCommandBody)
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if !errors.As(err, &tooLarge) {
			s.refuse(w, r, "command", "malformed", http.StatusBadRequest)
			return
		}
		// Answered as a command, so Mattermost shows it (it shows only a
		// generic error for any other status). Who sent it is unknown: German.
		refusedTotal.WithLabelValues("command", "too_large").Inc()
		writeJSON(w, &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral,
			Text: messages.T("de", "err.request_too_large", nil), SkipSlackParsing: true})
		return
	}
	teamID := r.PostForm.Get("team_id")
	if formToken := r.PostForm.Get("token"); formToken != "" && formToken != token {
		s.refuse(w, r, "command", "token", http.StatusUnauthorized)
		return
	}
	if !s.validToken(r.Context(), teamID, token) {
		s.refuse(w, r, "command", "token", http.StatusUnauthorized)
		return
	}
	leave, ok := s.enter(r.Context())
	if !ok {
		// Who sent it is not known yet (that costs a lookup): German and English.
		refusedTotal.WithLabelValues("command", "busy").Inc()
		writeJSON(w, &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral,
			Text: messages.T("de", "err.busy", nil), SkipSlackParsing: true})
		return
	}
	defer leave()
	mark := start
	lap(phaseRequest, &mark)
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	userID := r.PostForm.Get("user_id")
	reply := s.run(ctx, &mark, userID, commands.Request{
		TeamID: teamID, ChannelID: r.PostForm.Get("channel_id"), TriggerID: r.PostForm.Get("trigger_id"),
		Text: r.PostForm.Get("text"),
	})
	resp := &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral, Text: reply.Text, SkipSlackParsing: true,
		Attachments: s.runAttachments(userID, teamID, reply)}
	if reply.Dialog != nil {
		if err := s.openDialog(ctx, r.PostForm.Get("trigger_id"), userID, teamID, reply.Dialog); err != nil {
			s.Log.Error("bot: unable to open dialog", "err", err)
			resp.Text = messages.T("de", "err.dialog_failed", nil)
		} else {
			s.rememberDialog(ctx, userID, reply.Dialog.CallbackID, r.PostForm.Get("response_url")) // bot/dialog_submit.go
			if resp.Text == "" {
				resp = &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral}
			}
		}
	}
	commandsTotal.WithLabelValues(reply.Verb, reply.Outcome).Inc()
	commandSeconds.Observe(time.Since(start).Seconds())
	s.Log.Info("command", "verb", reply.Verb, "outcome", reply.Outcome, "ms", time.Since(start).Milliseconds())
	writeJSON(w, resp)
	lap(phaseAnswer, &mark)
}

// lap observes the time since *mark as phase h and moves the mark to now;
// nothing without a mark (a button press runs a command too, not timed as
// a slash command).
func lap(h prometheus.Observer, mark *time.Time) {
	if mark == nil {
		return
	}
	now := time.Now()
	h.Observe(now.Sub(*mark).Seconds())
	*mark = now
}

// run takes the caller's profile from the cache, applies the rate limit
// and executes the command, which reads kimbot's settings of the caller
// with its own first round trip to the database; with a mark it times
// each of the three as a phase (lap).
func (s *Server) run(ctx context.Context, mark *time.Time, userID string, req commands.Request) commands.Reply {
	u, err := s.profile(ctx, userID)
	lap(phaseCaller, mark)
	if err != nil {
		s.Log.Error("bot: unable to resolve caller", "err", err)
		return commands.Reply{Text: messages.T(s.language(ctx, u), s.unreachable(err), nil), Verb: "?", Outcome: kim.EUNAVAILABLE}
	}
	ok := s.RateLimit.Allow(ctx, "cmd:"+userID)
	lap(phaseRateLimit, mark)
	if !ok {
		return commands.Reply{Text: messages.T(s.language(ctx, u), "err.rate_limited", nil), Verb: "?", Outcome: kim.ERATELIMITED}
	}
	req.User = u
	defer lap(phaseExecute, mark)
	return s.Commands.Execute(ctx, req)
}

// unreachable names what failed while resolving a caller: Mattermost when
// its REST API did not answer, kimbot's database when that does not.
func (s *Server) unreachable(err error) (key string) {
	if IsUnavailable(err) {
		return "err.mattermost_unavailable"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if s.Store.Ping(ctx) != nil {
		return "err.unavailable"
	}
	return "err.mattermost_unavailable"
}

// profile returns what Mattermost says of a user, from the profile cache
// when the server has one.
func (s *Server) profile(ctx context.Context, userID string) (kim.User, error) {
	if s.Profiles != nil {
		u, err := s.Profiles.Get(ctx, userID)
		if err != nil {
			return kim.User{ID: userID}, err
		}
		return u, nil
	}
	u, err := s.Bot.User(ctx, userID)
	if err != nil {
		return kim.User{ID: userID}, err
	}
	return u, nil
}

// language returns the language of a refusal that comes before the
// command runs: the profile u with kimbot's settings of the user, if known.
func (s *Server) language(ctx context.Context, u kim.User) string {
	if known, err := s.Store.User(ctx, u.ID); err == nil {
		u.Lang = known.Lang
		if u.Locale == "" {
			u.Locale = known.Locale
		}
	}
	return u.Language()
}

// caller returns the user as Mattermost knows them now (locale, time zone,
// system admin; from the profile cache) merged with kimbot's own settings.
func (s *Server) caller(ctx context.Context, userID string) (kim.User, error) {
	u, err := s.profile(ctx, userID)
	if err != nil {
		if known, e := s.Store.User(ctx, userID); e == nil {
			return known, err
		}
		return u, err
	}
	return s.Store.SyncUser(ctx, u)
}

// validToken compares the token with the team's command token (any team's
// for teamID "") in constant time, reloading the tokens from the database
// (at most once a second) when the team is unknown or the token differs,
// e.g. after a new provision.
func (s *Server) validToken(ctx context.Context, teamID, token string) bool {
	check := func() bool {
		s.mu.RLock()
		defer s.mu.RUnlock()
		if teamID == "" {
			found := 0
			for _, want := range s.tokens {
				found |= subtle.ConstantTimeCompare([]byte(want), []byte(token))
			}
			return found == 1
		}
		want, ok := s.tokens[teamID]
		return ok && subtle.ConstantTimeCompare([]byte(want), []byte(token)) == 1
	}
	// A token regenerated in Mattermost and saved by `kimbot provision`
	// replaces the old one on every replica within TokenMaxAge: the old one
	// stops working then, even where it was cached.
	s.mu.RLock()
	stale := time.Since(s.reloadedAt) >= TokenMaxAge
	s.mu.RUnlock()
	if stale {
		s.reloadTokens(ctx)
	}
	if check() {
		return true
	}
	s.mu.Lock()
	if wait := time.Second - time.Since(s.reloadedAt); wait > 0 {
		// Reloaded just now, perhaps just before this team was provisioned:
		// wait for the next reload rather than refusing a genuine command.
		s.mu.Unlock()
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return false
		}
		if check() {
			return true
		}
		s.mu.Lock()
	}
	if time.Since(s.reloadedAt) >= time.Second {
		s.loadTokens(ctx)
	}
	_, known := s.tokens[teamID]
	s.mu.Unlock()
	if check() {
		return true
	}
	// teamID "": the header's token is no team's (checked before the body is
	// read), which is what a regenerated token looks like, too.
	if known || teamID == "" {
		s.Log.Warn("bot: slash command refused: its token is not the one kimbot keeps for the team; if the command's "+
			"token was regenerated in Mattermost, run `kimbot provision` (every replica takes the new token within 10 s)",
			"team", teamID)
	}
	return false
}

// TokenMaxAge is how long a replica trusts the command tokens it read.
const TokenMaxAge = 10 * time.Second

// KeepTokens reads the command tokens again every TokenRefresh until
// ctx ends, so that no command waits for the read (`serve` runs it); a
// command finds them read again itself only when that loop could not.
func (s *Server) KeepTokens(ctx context.Context) {
	every := s.TokenRefresh
	if every <= 0 {
		every = TokenMaxAge / 2
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			rctx, cancel := context.WithTimeout(ctx, TokenMaxAge/4)
			at := time.Now()
			tokens, err := s.readTokens(rctx) // not holding s.mu: commands go on meanwhile
			cancel()
			s.mu.Lock()
			if err == nil && at.After(s.reloadedAt) {
				s.tokens, s.tokensErr, s.reloadedAt = tokens, nil, at
			}
			s.mu.Unlock()
		}
	}
}

// reloadTokens reads the command tokens again.
func (s *Server) reloadTokens(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if time.Since(s.reloadedAt) >= TokenMaxAge {
		s.loadTokens(ctx)
	}
}

// loadTokens reads the command tokens; the caller holds s.mu.
func (s *Server) loadTokens(ctx context.Context) {
	s.reloadedAt = time.Now()
	if t, err := s.readTokens(ctx); err == nil {
		s.tokens, s.tokensErr = t, nil
	} else if s.tokens == nil {
		s.tokensErr = err
	}
}

// readTokens reads the command tokens from the store, logging a failure.
func (s *Server) readTokens(ctx context.Context) (map[string]string, error) {
	t, err := s.Store.CommandTokens(ctx)
	if err != nil {
		s.Log.Error("bot: unable to load command tokens", "err", err)
	}
	return t, err
}

// noTokens reports whether the command tokens were never read because the
// database did not answer.
func (s *Server) noTokens() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.tokens == nil && s.tokensErr != nil
}

// refuse answers a request that failed verification, logging no payload.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, endpoint, reason string, code int) {
	refusedTotal.WithLabelValues(endpoint, reason).Inc()
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	s.Log.Warn("request refused", "endpoint", endpoint, "reason", reason, "remote", host)
	http.Error(w, http.StatusText(code), code)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil && !errors.Is(err, http.ErrHandlerTimeout) {
		slog.Warn("http: unable to write response", "err", err)
	}
}
