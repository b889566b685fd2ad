package store

import "github.com/jackc/pgx/v5/pgtype"

// pgtypeDate is a nullable date as scanned from Postgres.
type pgtypeDate = pgtype.Date
