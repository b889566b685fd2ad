package bot

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/store"
)

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}

// /readyz follows Postgres; without Redis kimbot is ready but says it runs degraded.
func TestReadyFollowsPostgresNotRedis(t *testing.T) {
	st := testenv.Store(t)
	s := &Server{Store: st, Redis: testenv.Redis(t)}
	if code, body := get(t, s.Handler(), "/readyz"); code != 200 || body != "ready\n" {
		t.Fatalf("all up: %d %q", code, body)
	}

	down, err := store.OpenRedis("redis://"+closedPort(t)+"/0", "x:")
	if err != nil {
		t.Fatal(err)
	}
	defer down.Close()
	s = &Server{Store: st, Redis: down}
	if code, body := get(t, s.Handler(), "/readyz"); code != 200 || !strings.Contains(body, "degraded: redis") {
		t.Fatalf("Redis down: %d %q, want 200 and the degradation named", code, body)
	}

	st.Close()
	if code, body := get(t, s.Handler(), "/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "postgres") {
		t.Fatalf("Postgres closed: %d %q, want 503 naming postgres", code, body)
	}
}
