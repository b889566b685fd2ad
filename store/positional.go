package store

import (
	"context"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
)

// pgx rewrites the named parameters (@name) of a query on every call, which
// costs the command path more CPU than anything else of kimbot's own; the
// queries of the hot paths are rewritten once per SQL text instead.

// positionalSQL is a query rewritten to $n parameters and the names of its
// parameters in that order.
type positionalSQL struct {
	sql   string
	names []string
}

var positionalCache sync.Map // SQL text → *positionalSQL

// nameOf marks a parameter while learning the order of a query's names.
type nameOf string

// positional returns sql with $n for its named parameters and the values of
// args in that order; it checks as pgx.StrictNamedArgs does (every name of
// the query in args, every arg in the query).
func positional(sql string, args pgx.StrictNamedArgs) (string, []any, error) {
	p, ok := positionalCache.Load(sql)
	if !ok {
		marks := make(pgx.StrictNamedArgs, len(args))
		for k := range args {
			marks[k] = nameOf(k)
		}
		rewritten, order, err := marks.RewriteQuery(context.Background(), nil, sql, nil)
		if err != nil {
			return "", nil, err
		}
		ps := &positionalSQL{sql: rewritten, names: make([]string, len(order))}
		for i, o := range order {
			ps.names[i] = string(o.(nameOf))
		}
		p, _ = positionalCache.LoadOrStore(sql, ps)
	}
	ps := p.(*positionalSQL)
	if len(ps.names) != len(args) {
		return "", nil, fmt.Errorf("store: query takes %d named arguments, %d given", len(ps.names), len(args))
	}
	values := make([]any, len(ps.names))
	for i, n := range ps.names {
		v, ok := args[n]
		if !ok {
			return "", nil, fmt.Errorf("store: argument %s of the query not given", n)
		}
		values[i] = v
	}
	return ps.sql, values, nil
}

// queue queues sql with named args into b as positional parameters; a
// mismatch of names fails the query when the batch runs.
func queue(b *pgx.Batch, sql string, args pgx.StrictNamedArgs) *pgx.QueuedQuery {
	q, values, err := positional(sql, args)
	if err != nil {
		return b.Queue(sql, args) // pgx reports the mismatch
	}
	return b.Queue(q, values...)
}
