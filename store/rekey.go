package store

// Key rotation (`kimbot rekey`): every value of every sealed column is
// re-sealed with the current key, in small transactions, while kimbot
// serves. The store's keys must hold the old key(s) as well (secret.ParseKeys);
// values the current key already opens are left as they are, so an
// interrupted run is simply started again.

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// SealedCount counts the values of one sealed column by the key that opens them.
type SealedCount struct {
	Column     SealedColumn
	Current    int // sealed with the current key (before the run)
	Resealed   int // sealed with an old key, now with the current one (or, checking only, to be)
	Unreadable int // no configured key opens them
}

// RekeyOptions tunes Rekey.
type RekeyOptions struct {
	// Batch is the number of rows per transaction (default 500).
	Batch int
	// Check counts without writing.
	Check bool
	// Progress, if set, is called after each batch with the column's counts so far.
	Progress func(SealedCount)
}

// Rekey re-seals every value of every sealed column that an old key opens
// with the current key and returns the counts per column. Rows are locked a
// batch at a time, so concurrent writers wait at most for one batch.
func (s *Store) Rekey(ctx context.Context, o RekeyOptions) ([]SealedCount, error) {
	if o.Batch <= 0 {
		o.Batch = 500
	}
	out := make([]SealedCount, 0, len(Sealed))
	for _, c := range Sealed {
		n, err := s.rekeyColumn(ctx, c, o)
		out = append(out, n)
		if err != nil {
			return out, fmt.Errorf("store: rekey %s.%s: %w", c.Table, c.Column, err)
		}
	}
	return out, nil
}

// rekeyColumn walks one column in primary-key order, a batch per transaction.
func (s *Store) rekeyColumn(ctx context.Context, c SealedColumn, o RekeyOptions) (SealedCount, error) {
	n := SealedCount{Column: c}
	label := "''"
	if c.LabelColumn != "" {
		label = c.LabelColumn + "::text"
	}
	lock := " FOR UPDATE"
	if o.Check {
		lock = ""
	}
	var last any // primary key of the last row done; nil before the first batch
	for {
		var done bool
		err := s.tx(ctx, func(tx pgx.Tx) error {
			where := c.Column + " IS NOT NULL"
			args := []any{o.Batch}
			if last != nil {
				where += " AND " + c.Key + " > $2"
				args = append(args, last)
			}
			rows, err := tx.Query(ctx, fmt.Sprintf(`SELECT %s, %s, %s FROM %s WHERE %s ORDER BY %s LIMIT $1%s`,
				c.Key, label, c.Column, c.Table, where, c.Key, lock), args...)
			if err != nil {
				return err
			}
			type row struct {
				key      any
				labelArg string
				value    []byte
			}
			batch, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
				var x row
				return x, r.Scan(&x.key, &x.labelArg, &x.value)
			})
			if err != nil {
				return err
			}
			var updates pgx.Batch
			for _, x := range batch {
				v, changed, err := s.keys.Reseal(x.value, c.LabelOf(x.labelArg))
				switch {
				case err != nil:
					n.Unreadable++
				case changed:
					n.Resealed++
					updates.Queue(fmt.Sprintf(`UPDATE %s SET %s = $1 WHERE %s = $2`, c.Table, c.Column, c.Key), v, x.key)
				default:
					n.Current++
				}
			}
			if len(batch) > 0 {
				last = batch[len(batch)-1].key
			}
			done = len(batch) < o.Batch
			if o.Check || updates.Len() == 0 {
				return nil
			}
			return tx.SendBatch(ctx, &updates).Close()
		})
		if err != nil {
			return n, err
		}
		if o.Progress != nil {
			o.Progress(n)
		}
		if done {
			return n, nil
		}
	}
}
