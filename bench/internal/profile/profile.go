// Package profile fetches what a benchmark's kimbot and Postgres say about
// where their time went: a CPU profile from kimbot's KIMBOT_PPROF_ADDR, and
// the statements of pg_stat_statements.
package profile

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// CPUTo writes a CPU profile of kimbot (its KIMBOT_PPROF_ADDR) over
// the length of a step to path.
func CPUTo(path, addr string, d time.Duration) error {
	resp, err := http.Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", addr, max(1, int(d.Seconds()))))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ResetStatements empties pg_stat_statements for the database at url,
// creating the extension there first; false when the server does not load
// it (bench/run loads it: shared_preload_libraries).
func ResetStatements(ctx context.Context, url string) bool {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return false
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS pg_stat_statements`); err != nil {
		return false
	}
	_, err = conn.Exec(ctx, `SELECT pg_stat_statements_reset()`)
	return err == nil
}

// Statements returns the n statements of the database at url that took
// the most execution time since ResetStatements, as a Markdown table with
// each one's calls, rows and mean execution time; per divides the total
// (the commands measured), so that a row reads "µs a command".
func Statements(ctx context.Context, url string, n int, per float64) (string, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `
		SELECT calls, rows, mean_exec_time, total_exec_time, regexp_replace(query, '\s+', ' ', 'g')
		FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
		ORDER BY total_exec_time DESC LIMIT $1`, n)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("| calls | rows | mean µs | µs a command | statement |\n|---|---|---|---|---|\n")
	for rows.Next() {
		var calls, nrows int64
		var mean, total float64
		var q string
		if err := rows.Scan(&calls, &nrows, &mean, &total, &q); err != nil {
			return "", err
		}
		if len(q) > 90 {
			q = q[:90] + "…"
		}
		fmt.Fprintf(&b, "| %d | %d | %.1f | %.1f | `%s` |\n", calls, nrows, 1000*mean, 1000*total/per, strings.ReplaceAll(q, "|", "\\|"))
	}
	return b.String(), rows.Err()
}
