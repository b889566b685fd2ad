package devstack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"regexp"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

var dbNameRE = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// DatabaseURL returns adminURL with its database replaced by name.
func DatabaseURL(adminURL, name string) (string, error) {
	u, err := url.Parse(adminURL)
	if err != nil {
		return "", fmt.Errorf("devstack: parse Postgres URL: %w", err)
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return "", fmt.Errorf("devstack: %q is not a postgres:// URL", redactURL(adminURL))
	}
	u.Path = "/" + name
	return u.String(), nil
}

// CreateDatabase creates a new database named prefix_<random> on the server of adminURL (a
// superuser URL) and returns its URL.
func CreateDatabase(ctx context.Context, adminURL, prefix string) (string, error) {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := prefix + "_" + hex.EncodeToString(b)
	if err := execAdmin(ctx, adminURL, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", err
	}
	return DatabaseURL(adminURL, name)
}

// EnsureDatabase creates the database name unless it exists and returns its URL.
func EnsureDatabase(ctx context.Context, adminURL, name string) (string, error) {
	if !dbNameRE.MatchString(name) {
		return "", fmt.Errorf("devstack: invalid database name %q", name)
	}
	err := execAdmin(ctx, adminURL, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if err != nil && !(errors.As(err, &pgErr) && pgErr.Code == "42P04") { // duplicate_database
		return "", err
	}
	return DatabaseURL(adminURL, name)
}

// DropDatabase drops the database of dbURL, disconnecting its sessions, using adminURL.
func DropDatabase(ctx context.Context, adminURL, dbURL string) error {
	u, err := url.Parse(dbURL)
	if err != nil {
		return fmt.Errorf("devstack: parse Postgres URL: %w", err)
	}
	name := u.Path[1:]
	return execAdmin(ctx, adminURL, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
}

// execAdmin runs one statement on the server of adminURL.
func execAdmin(ctx context.Context, adminURL, sql string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("devstack: connect to Postgres at %s: %w", redactURL(adminURL), err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("devstack: %s: %w", sql, err)
	}
	return nil
}

// redactURL hides the password of a URL for error messages.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
