package opsfixture

// scripts/upgrade-fixture copies this file and fill.go into the source of
// the previous release and runs TestGenerate there: the release migrates a
// fresh database, Fill works it through the release's own commands and store,
// and pg_dump writes it out, beside the key, the texts and a digest of each
// migration the release landed (JSON).

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/secret"
	"github.com/kimbot-nrw/kimbot/store"
)

func TestGenerate(t *testing.T) {
	out, pgDump := os.Getenv("KIMBOT_FIXTURE_OUT"), os.Getenv("KIMBOT_FIXTURE_PG_DUMP")
	if out == "" || pgDump == "" {
		t.Skip("run by scripts/upgrade-fixture")
	}
	ctx := context.Background()
	url := testenv.NewDatabase(t)
	key := secret.NewKey()
	keys, err := secret.ParseKey(key)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, url, keys)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	f := Fill(t, st)
	if b, err := exec.Command(pgDump, "--format=plain", "--inserts", "--no-owner", "--no-privileges", "--file="+out+".sql", url).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, b)
	}
	migrations := map[string]string{} // file → sha256 of what the release landed
	files, _ := filepath.Glob("../../store/migrations/*.sql")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		migrations[filepath.Base(name)] = fmt.Sprintf("%x", sha256.Sum256(b))
	}
	j, err := json.MarshalIndent(struct {
		Key        string
		Migrations map[string]string
		Fixture
	}{key, migrations, f}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out+".json", append(j, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s.sql and %s.json", out, filepath.Base(out))
}
