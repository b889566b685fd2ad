package store_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/internal/opsfixture"
	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/store"
)

// store.Sealed lists exactly the *_enc columns of the schema (all bytea),
// and the columns each entry names exist.
func TestSealedColumnsListed(t *testing.T) {
	s := testenv.Store(t)
	ctx := context.Background()
	rows, err := s.Pool().Query(ctx, `SELECT table_name, column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`)
	if err != nil {
		t.Fatal(err)
	}
	columns := map[string]string{} // table.column → type
	for rows.Next() {
		var table, column, typ string
		if err := rows.Scan(&table, &column, &typ); err != nil {
			t.Fatal(err)
		}
		columns[table+"."+column] = typ
	}
	if rows.Err() != nil || len(columns) == 0 {
		t.Fatalf("no columns read: %v", rows.Err())
	}
	listed := map[string]bool{}
	for _, c := range store.Sealed {
		name := c.Table + "." + c.Column
		if listed[name] {
			t.Errorf("%s is listed twice", name)
		}
		listed[name] = true
		if typ, ok := columns[name]; !ok || typ != "bytea" {
			t.Errorf("store.Sealed lists %s, which the schema has not as bytea (%q)", name, typ)
		}
		for _, other := range []string{c.Key, c.CaseKey, c.LabelColumn} {
			if _, ok := columns[c.Table+"."+other]; other != "" && !ok {
				t.Errorf("%s: no column %s.%s", name, c.Table, other)
			}
		}
		if c.Label == "" || !strings.HasSuffix(c.Column, "_enc") {
			t.Errorf("%s: sealed columns end in _enc and have a label: %+v", name, c)
		}
	}
	for name := range columns {
		if strings.HasSuffix(name, "_enc") && !listed[name] {
			t.Errorf("%s is not in store.Sealed: add it (store/sealed.go), so that erasure, export and rekey know it", name)
		}
	}
}

// Every sealed column holds ciphertext only, its values read back through
// the export, and erasing the cases clears every sealed column of case data
// and nothing else.
func TestSealedColumnsErasedAndExported(t *testing.T) {
	s := testenv.Store(t)
	ctx := context.Background()
	f := opsfixture.Fill(t, s)
	opsfixture.Check(t, s, f, store.Sealed)

	count := func(c store.SealedColumn) int {
		var n int
		if err := s.Pool().QueryRow(ctx, fmt.Sprintf(`SELECT count(*) FROM %s WHERE %s IS NOT NULL`, c.Table, c.Column)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var all [][]byte
	for _, c := range store.Sealed {
		rows, err := s.Pool().Query(ctx, fmt.Sprintf(`SELECT %s FROM %s WHERE %s IS NOT NULL`, c.Column, c.Table, c.Column))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				t.Fatal(err)
			}
			all = append(all, b)
		}
	}
	for _, texts := range f.Texts {
		for _, text := range texts {
			for _, b := range all {
				if bytes.Contains(b, []byte(text)) {
					t.Errorf("%q is stored in the clear", text)
				}
			}
		}
	}

	for _, ref := range []string{f.Closed, f.Open} {
		opsfixture.Run(t, f.Service, "anna", "erase "+ref+" confirm")
	}
	for _, c := range store.Sealed {
		if n := count(c); (n == 0) != (c.CaseKey != "") {
			t.Errorf("after erasing every case, %s.%s holds %d values", c.Table, c.Column, n)
		}
	}
	x, err := s.ExportCase(ctx, opsfixture.Actor(), f.Open)
	if err != nil || x.Pseudonym != "" || len(x.Contacts) != 3 || x.Contacts[0].Note != "" || x.Contacts[0].Minutes != 10 {
		t.Fatalf("export of an erased case = %+v, %v: the structure stays, the texts go", x, err)
	}
}
