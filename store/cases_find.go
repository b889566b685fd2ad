package store

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/kim"
	"github.com/kimbot-nrw/kimbot/messages"
)

// FindCase returns the reference of the one case visible to the actor
// (caseAccess: their own, and those they hold as deputy) whose pseudonym is
// name, compared folded ("ab" finds AB, "Frau Ue." finds Frau Ü.), open or
// closed; erased cases have none. No such case is ENOTFOUND, several are
// EINVALID naming their references: a pseudonym is taken for a case only
// when it names exactly one, so nothing is done to a case by a guess. The
// case found is audited (case.find); a lookup that finds none or several
// writes nothing.
func (s *Store) FindCase(ctx context.Context, a kim.Actor, name string) (string, error) {
	hits, err := s.casesNamed(ctx, a, name)
	if err != nil {
		return "", err
	}
	switch len(hits) {
	case 0:
		return "", kim.Errorf(kim.ENOTFOUND, "case.no_pseudonym", map[string]any{"Name": clipKey(name)})
	case 1:
	default:
		refs := make([]string, len(hits))
		for i, h := range hits {
			refs[i] = h.ref
		}
		return "", kim.Errorf(kim.EINVALID, "case.pseudonym_ambiguous", map[string]any{"Name": clipKey(name), "Refs": messages.RefList(refs)})
	}
	if !s.dry {
		if err := audit(ctx, s.pool, a, "case.find", hits[0].id, hits[0].ref); err != nil {
			return "", err
		}
	}
	return hits[0].ref, nil
}

// foundCase is a case found by its pseudonym.
type foundCase struct {
	id  int64
	ref string
}

// casesNamed returns the cases visible to the actor (as FindCase) whose
// pseudonym is name, compared folded; when none is, those whose pseudonym
// is name without its spaces (Ö.K. for Ö. K.).
func (s *Store) casesNamed(ctx context.Context, a kim.Actor, name string) ([]foundCase, error) {
	rows, err := s.pool.Query(ctx, `SELECT c.id, c.ref, c.pseudonym_enc FROM cases c
		WHERE `+caseAccess+` AND c.pseudonym_enc IS NOT NULL ORDER BY c.ref`, accessArgs(a, nil))
	if err != nil {
		return nil, wrap("unable to find case", err)
	}
	unspaced := func(s string) string { return strings.Join(strings.Fields(s), "") }
	w := kim.Fold(name)
	var hits, loose []foundCase
	var f foundCase
	var enc []byte
	if _, err := pgx.ForEachRow(rows, []any{&f.id, &f.ref, &enc}, func() error {
		switch p := kim.Fold(s.open(enc, CasePseudonym)); {
		case p == w:
			hits = append(hits, f)
		case unspaced(p) == unspaced(w):
			loose = append(loose, f)
		}
		return nil
	}); err != nil {
		return nil, wrap("unable to find case", err)
	}
	if len(hits) == 0 {
		return loose, nil
	}
	return hits, nil
}

// IsPseudonym reports whether name is the pseudonym of a case visible to
// the actor (as FindCase); it reads nothing else and audits nothing (a
// refusal asks it, and shows no case).
func (s *Store) IsPseudonym(ctx context.Context, a kim.Actor, name string) (bool, error) {
	hits, err := s.casesNamed(ctx, a, name)
	return len(hits) > 0, err
}

// FindCaseNumber returns the reference of the one case visible to the actor
// (as FindCase) whose reference has the number n in any year: 2 finds
// K-2026-0002 when no other case of theirs is K-2025-0002. None is
// ENOTFOUND, several are EINVALID naming their references; the case found is
// audited (case.find_number), a lookup that finds none or several writes
// nothing.
func (s *Store) FindCaseNumber(ctx context.Context, a kim.Actor, n int) (string, error) {
	rows, err := s.pool.Query(ctx, `SELECT c.id, c.ref FROM cases c
		WHERE `+caseAccess+` AND split_part(c.ref, '-', 3)::int = @n ORDER BY c.ref`, accessArgs(a, pgx.StrictNamedArgs{"n": n}))
	if err != nil {
		return "", wrap("unable to find case", err)
	}
	var ids []int64
	var refs []string
	var id int64
	var ref string
	if _, err := pgx.ForEachRow(rows, []any{&id, &ref}, func() error {
		ids, refs = append(ids, id), append(refs, ref)
		return nil
	}); err != nil {
		return "", wrap("unable to find case", err)
	}
	switch len(refs) {
	case 0:
		return "", kim.Errorf(kim.ENOTFOUND, "case.no_number", map[string]any{"N": n})
	case 1:
	default:
		return "", kim.Errorf(kim.EINVALID, "case.number_ambiguous", map[string]any{"N": n, "Refs": messages.RefList(refs)})
	}
	if !s.dry {
		if err := audit(ctx, s.pool, a, "case.find_number", ids[0], refs[0]); err != nil {
			return "", err
		}
	}
	return refs[0], nil
}
