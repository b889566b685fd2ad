package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/internal/opsfixture"
	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/secret"
	"github.com/kimbot-nrw/kimbot/store"
)

// BenchmarkRekey measures kimbot rekey over 100 000 sealed contact notes (and
// the fixture's other sealed values) in batches of 500: each iteration swaps
// the current and the old key, so every value is re-sealed every time.
func BenchmarkRekey(b *testing.B) {
	ctx := context.Background()
	keyA, keyB := secret.NewKey(), secret.NewKey()
	url, s, f := opsfixture.New(b, keyA)
	const notes = 100000
	var caseID int64
	if err := s.Pool().QueryRow(ctx, `SELECT id FROM cases WHERE ref = $1`, f.Open).Scan(&caseID); err != nil {
		b.Fatal(err)
	}
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	n, err := s.Pool().CopyFrom(ctx, pgx.Identifier{"contacts"}, []string{"case_id", "kind", "minutes", "contact_on", "note_enc", "created_by"},
		pgx.CopyFromSlice(notes, func(i int) ([]any, error) {
			return []any{caseID, "phone", 15, day, s.Keys().Seal(fmt.Sprintf("Telefonat %d: Termin beim Jobcenter vereinbart", i), store.ContactNote.Label), opsfixture.CoachID}, nil
		}))
	if err != nil || n != notes {
		b.Fatalf("seeding %d notes: %d, %v", notes, n, err)
	}
	pairs := [2][2]string{{keyB, keyA}, {keyA, keyB}} // current, old
	i := 0
	var took time.Duration
	for b.Loop() {
		st := testenv.OpenStore(b, url, pairs[i%2][0], pairs[i%2][1])
		t0 := time.Now()
		counts, err := st.Rekey(ctx, store.RekeyOptions{})
		took += time.Since(t0)
		if err != nil {
			b.Fatal(err)
		}
		resealed := 0
		for _, c := range counts {
			resealed += c.Resealed
		}
		if resealed < notes {
			b.Fatalf("re-sealed %d values, want at least %d", resealed, notes)
		}
		i++
	}
	b.ReportMetric(float64(notes)/(took.Seconds()/float64(i)), "values/s")
}
