package opsfixture_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot/internal/opsfixture"
	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/store"
)

// previousRelease is the release whose database TestUpgrade migrates
// (testdata/release-<it>.sql and .json, made by scripts/upgrade-fixture).
const previousRelease = "2606729"

// release is what scripts/upgrade-fixture recorded beside the dump.
type release struct {
	Key        string
	Migrations map[string]string // file → sha256
	opsfixture.Fixture
}

// TestUpgrade migrates the database the previous release made, with its
// data, to the current schema: the landed migrations are unchanged, only the
// later ones run, every row stays, every sealed text reads back, and the
// commands work on the old cases.
func TestUpgrade(t *testing.T) {
	ctx := context.Background()
	var rel release
	b, err := os.ReadFile("testdata/release-" + previousRelease + ".json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rel); err != nil {
		t.Fatal(err)
	}
	for name, sum := range rel.Migrations {
		cur, err := os.ReadFile(filepath.Join("../../store/migrations", name))
		if err != nil || fmt.Sprintf("%x", sha256.Sum256(cur)) != sum {
			t.Errorf("migration %s of release %s was changed or removed (%v): landed migrations are never edited; add a new one", name, previousRelease, err)
		}
	}

	url := testenv.NewDatabase(t)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	restoreSQL(t, conn, "testdata/release-"+previousRelease+".sql")
	before, oldSealed := tableCounts(t, conn), sealedColumns(t, conn)

	st := testenv.OpenStore(t, url, rel.Key, "")
	applied, err := st.Migrate(ctx)
	if err != nil {
		t.Fatalf("migrating the database of %s: %v", previousRelease, err)
	}
	current, _ := filepath.Glob("../../store/migrations/*.sql")
	var want []string
	for _, f := range current {
		if _, landed := rel.Migrations[filepath.Base(f)]; !landed {
			want = append(want, filepath.Base(f))
		}
	}
	if !slices.Equal(applied, want) {
		t.Errorf("migrate applied %v, want the migrations after %s: %v", applied, previousRelease, want)
	}
	after := tableCounts(t, conn)
	for table, n := range before {
		if table == "goose_db_version" {
			continue // one row more per migration applied
		}
		if after[table] != n {
			t.Errorf("%s: %d rows before the upgrade, %d after", table, n, after[table])
		}
	}

	rel.Service = opsfixture.NewService(st)
	opsfixture.Check(t, st, rel.Fixture, oldSealed)
	run := func(line string, want ...string) {
		t.Helper()
		got := opsfixture.Run(t, rel.Service, "anna", line)
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("/kim %s: answer lacks %q:\n%s", line, w, got)
			}
		}
	}
	run("show "+rel.Open, rel.Open+" · Herr Ü. (offen)", "B1-Kurs "+rel.Open+" abschließen", "Jobcenter")
	run("cases all", rel.Closed, rel.Open)
	run("contact "+rel.Open+" home-visit minutes=45 \"nach dem Upgrade\"", rel.Open)
	run("goal done "+rel.Open+" 1", rel.Open)
	run("show "+rel.Open, "nach dem Upgrade")
	run("report 2026", "2026")
	run("reopen "+rel.Closed, rel.Closed)
	run("erase "+rel.Closed+" confirm", rel.Closed)
	x, err := st.ExportCase(ctx, opsfixture.Actor(), rel.Closed)
	if err != nil || x.Pseudonym != "" || len(x.Contacts) != 3 {
		t.Fatalf("an old case erased after the upgrade: %+v, %v", x, err)
	}
}

// restoreSQL runs a plain pg_dump (made with --inserts) on the connection,
// which it leaves with the dump's empty search_path. The dump's only psql
// meta-commands, \restrict and \unrestrict, are left out; everything else
// is SQL.
func restoreSQL(t *testing.T, conn *pgx.Conn, file string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var sql []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, `\`) {
			if !strings.HasPrefix(line, `\restrict `) && !strings.HasPrefix(line, `\unrestrict `) {
				t.Fatalf("%s: unexpected psql command %q", file, line)
			}
			continue
		}
		sql = append(sql, line)
	}
	if _, err := conn.Exec(context.Background(), strings.Join(sql, "\n")); err != nil {
		t.Fatalf("restoring %s: %v", file, err)
	}
}

// tableCounts returns the number of rows of every table.
func tableCounts(t *testing.T, conn *pgx.Conn) map[string]int {
	t.Helper()
	ctx := context.Background()
	rows, err := conn.Query(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(tables) == 0 {
		t.Fatalf("tables: %v, %v", tables, err)
	}
	out := map[string]int{}
	for _, table := range tables {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM public.`+pgx.Identifier{table}.Sanitize()).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

// sealedColumns returns the columns of store.Sealed the database has.
func sealedColumns(t *testing.T, conn *pgx.Conn) []store.SealedColumn {
	t.Helper()
	var out []store.SealedColumn
	for _, c := range store.Sealed {
		var ok bool
		if err := conn.QueryRow(context.Background(), `SELECT EXISTS (SELECT 1 FROM information_schema.columns
			WHERE table_schema = 'public' AND table_name = $1 AND column_name = $2)`, c.Table, c.Column).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		if ok {
			out = append(out, c)
		}
	}
	return out
}
