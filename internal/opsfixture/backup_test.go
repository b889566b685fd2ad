package opsfixture_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kimbot-nrw/kimbot/internal/opsfixture"
	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/secret"
	"github.com/kimbot-nrw/kimbot/store"
)

// pgTool returns the path of a Postgres client program of the newest
// installed version (/usr/lib/postgresql/<version>/bin, as scripts/test uses).
func pgTool(t *testing.T, name string) string {
	t.Helper()
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(found) == 0 {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
		t.Fatalf("no %s in /usr/lib/postgresql/*/bin or on PATH", name)
	}
	sort.Slice(found, func(i, j int) bool { // numerically: 9 < 10
		vi, vj := filepath.Base(filepath.Dir(filepath.Dir(found[i]))), filepath.Base(filepath.Dir(filepath.Dir(found[j])))
		return len(vi) < len(vj) || len(vi) == len(vj) && vi < vj
	})
	return found[len(found)-1]
}

// TestBackupRestore follows README's backup procedure: pg_dump in custom
// format, pg_restore into a fresh database, and kimbot with the same key
// reads every sealed value of the restored database and works on it;
// without the key the dump reveals none of them.
func TestBackupRestore(t *testing.T) {
	ctx := context.Background()
	key := secret.NewKey()
	src, _, f := opsfixture.New(t, key)

	dump := filepath.Join(t.TempDir(), "kimbot.dump")
	if out, err := exec.Command(pgTool(t, "pg_dump"), "--format=custom", "--file="+dump, src).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	dst := testenv.NewDatabase(t)
	if out, err := exec.Command(pgTool(t, "pg_restore"), "--no-owner", "--exit-on-error", "--dbname="+dst, dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}
	if fi, err := os.Stat(dump); err != nil || fi.Size() == 0 {
		t.Fatalf("dump: %v", err)
	}

	restored := testenv.OpenStore(t, dst, key, "")
	if applied, err := restored.Migrate(ctx); err != nil || len(applied) != 0 {
		t.Fatalf("the restored database is not current: applied %v, %v", applied, err)
	}
	f.Service = opsfixture.NewService(restored)
	opsfixture.Check(t, restored, f, store.Sealed)
	opsfixture.Run(t, f.Service, "anna", "contact "+f.Open+" phone \"nach der Wiederherstellung\"")
	if got := opsfixture.Run(t, f.Service, "anna", "show "+f.Open); !contains(got, "Herr Ü. (offen)", "nach der Wiederherstellung") {
		t.Fatalf("card of the restored case:\n%s", got)
	}

	withoutKey := testenv.OpenStore(t, dst, secret.NewKey(), "")
	if x, err := withoutKey.ExportCase(ctx, opsfixture.Actor(), f.Open); err != nil || x.Pseudonym == "Herr Ü. (offen)" {
		t.Fatalf("the restored database opened without its key: %q, %v", x.Pseudonym, err)
	}
	if _, err := withoutKey.CommandTokens(ctx); err == nil {
		t.Fatal("command tokens opened without the key")
	}
}

func contains(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
