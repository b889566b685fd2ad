package store

import (
	"context"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/kimbot-nrw/kimbot/kim"
)

// MigrateTo applies the embedded migrations up to version (for tests of a
// migration against the data of the release before it).
func (s *Store) MigrateTo(ctx context.Context, version int64) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, fsys, goose.WithLogger(goose.NopLogger()))
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}

// Seal seals v for column c (for tests that write rows as an older release did).
func (s *Store) Seal(v string, c SealedColumn) []byte { return s.seal(v, c) }

// CasesQuery is the statement of Cases for filter f with its parameters
// for actor a, in positional form (for tests of its plan).
func CasesQuery(a kim.Actor, f CaseFilter, limit int) (string, []any, error) {
	return positional(casesQuery(caseFilters[f]), accessArgs(a, pgx.StrictNamedArgs{"offset": 0, "limit": limit}))
}
