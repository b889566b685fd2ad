package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/kimbot-nrw/kimbot/kim"
)

// AuditEntry is one row of the append-only audit log.
type AuditEntry struct {
	At      time.Time
	ActorID string
	Actor   string // username
	Action  string
	CaseRef string
}

// auditInsert appends a row to the audit log ($4, the case id, may be NULL;
// $5, its reference, may be empty).
const auditInsert = `INSERT INTO audit_log (team_id, actor_id, action, case_id, case_ref) VALUES ($1, $2, $3, $4, nullif($5, ''))`

// execer runs a statement: a transaction, or the pool for a row on its own.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// audit appends a row to the audit log inside tx (or on its own, given the
// pool). caseID may be 0.
func audit(ctx context.Context, tx execer, a kim.Actor, action string, caseID int64, ref string) error {
	if _, err := tx.Exec(ctx, auditInsert, auditArgs(a, action, caseID, ref)...); err != nil {
		return fmt.Errorf("store: unable to write audit log: %w", err)
	}
	return nil
}

// queueAudit queues the audit row of audit into a batch.
func queueAudit(b *pgx.Batch, a kim.Actor, action string, caseID int64, ref string) {
	b.Queue(auditInsert, auditArgs(a, action, caseID, ref)...)
}

func auditArgs(a kim.Actor, action string, caseID int64, ref string) []any {
	var id *int64
	if caseID != 0 {
		id = &caseID
	}
	return []any{a.TeamID, a.UserID, action, id, ref}
}

// Audit appends a row to the audit log outside a case transaction (e.g. for
// administrative acts).
func (s *Store) Audit(ctx context.Context, a kim.Actor, action string, caseID int64, ref string) error {
	return s.tx(ctx, func(tx pgx.Tx) error { return audit(ctx, tx, a, action, caseID, ref) })
}

// AuditLog returns the audit rows of a case of the team, oldest first: the
// rows of the case, and the rows that name it among others (a digest's).
func (s *Store) AuditLog(ctx context.Context, teamID, ref string, limit int) ([]AuditEntry, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT l.at, l.actor_id, coalesce(u.username, ''), l.action, coalesce(l.case_ref, upper($2))
		FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id
		WHERE l.team_id = $1 AND (l.case_ref = upper($2)
			OR l.case_ids @> ARRAY[(SELECT id FROM cases WHERE team_id = $1 AND ref = upper($2))])
		ORDER BY l.id DESC LIMIT $3`, teamID, ref, limit)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read audit log: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditEntry, error) {
		var e AuditEntry
		return e, r.Scan(&e.At, &e.ActorID, &e.Actor, &e.Action, &e.CaseRef)
	})
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, err
}
