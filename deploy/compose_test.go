package deploy

import (
	"bufio"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/kimbot-nrw/kimbot/secret"
)

// composeService is the part of a Compose service the test checks.
type composeService struct {
	Image       string                       `yaml:"image"`
	Command     []string                     `yaml:"command"`
	EnvFile     []string                     `yaml:"env_file"`
	Environment any                          `yaml:"environment"`
	User        string                       `yaml:"user"`
	ReadOnly    bool                         `yaml:"read_only"`
	Tmpfs       []string                     `yaml:"tmpfs"`
	CapDrop     []string                     `yaml:"cap_drop"`
	SecurityOpt []string                     `yaml:"security_opt"`
	Profiles    []string                     `yaml:"profiles"`
	Restart     string                       `yaml:"restart"`
	Ports       []string                     `yaml:"ports"`
	DependsOn   map[string]map[string]string `yaml:"depends_on"`
	Healthcheck *struct {
		Test     []string `yaml:"test"`
		Interval string   `yaml:"interval"`
		Timeout  string   `yaml:"timeout"`
		Retries  int      `yaml:"retries"`
	} `yaml:"healthcheck"`
}

// TestCompose checks deploy/compose/compose.yaml: kimbot serve after a one-shot migration,
// Postgres and Redis with health checks, provision on demand, secrets only from env files whose
// examples name every variable kimbot reads.
func TestCompose(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(repoRoot(t), "deploy", "compose")
	b, err := os.ReadFile(filepath.Join(dir, "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Services map[string]composeService `yaml:"services"`
		Volumes  map[string]any            `yaml:"volumes"`
	}
	if err := yaml.Unmarshal(b, &file); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	svcs := file.Services
	var names []string
	for n := range svcs {
		names = append(names, n)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"kimbot", "migrate", "postgres", "provision", "redis"}) {
		t.Fatalf("services %q", names)
	}

	kimbots := []string{"kimbot", "migrate", "provision"}
	for _, n := range kimbots {
		s := svcs[n]
		if s.Image != svcs["kimbot"].Image || !strings.Contains(s.Image, "kimbot") {
			t.Errorf("%s runs image %q, kimbot %q: all must run the same kimbot image", n, s.Image, svcs["kimbot"].Image)
		}
		if s.User != "65532:65532" || !s.ReadOnly || !slices.Equal(s.CapDrop, []string{"ALL"}) ||
			!slices.Contains(s.SecurityOpt, "no-new-privileges:true") || !slices.Equal(s.Tmpfs, []string{"/tmp"}) {
			t.Errorf("%s: user %q read_only %v cap_drop %v security_opt %v tmpfs %v, want the image's non-root user, read-only, no capabilities",
				n, s.User, s.ReadOnly, s.CapDrop, s.SecurityOpt, s.Tmpfs)
		}
		if !slices.Contains(s.EnvFile, "kimbot.env") {
			t.Errorf("%s: env_file %v, want kimbot.env", n, s.EnvFile)
		}
		if s.Environment != nil {
			t.Errorf("%s sets environment in compose.yaml; everything comes from the env files", n)
		}
		if got, want := slices.Contains(s.EnvFile, "provision.env"), n == "provision"; got != want {
			t.Errorf("%s: env_file %v: only provision reads provision.env (the admin token)", n, s.EnvFile)
		}
		if len(s.Command) != 1 || s.Command[0] != n && !(n == "kimbot" && s.Command[0] == "serve") {
			t.Errorf("%s runs %q", n, s.Command)
		}
	}
	for _, n := range []string{"postgres", "redis"} {
		if slices.Contains(svcs[n].EnvFile, "kimbot.env") {
			t.Errorf("%s reads kimbot.env: it would see the encryption key", n)
		}
	}

	// Health checks: Postgres and Redis with their own tools, kimbot with itself (no shell, no curl).
	for _, n := range []string{"postgres", "redis", "kimbot"} {
		h := svcs[n].Healthcheck
		if h == nil || len(h.Test) < 2 || h.Interval == "" || h.Timeout == "" || h.Retries < 1 {
			t.Errorf("%s: health check %+v", n, h)
		}
	}
	if h := svcs["kimbot"].Healthcheck; h != nil && !slices.Equal(h.Test, []string{"CMD", imageEntrypoint, "healthcheck", "/readyz"}) {
		t.Errorf("kimbot's health check %q, want [CMD %s healthcheck /readyz]: the image has no shell", h.Test, imageEntrypoint)
	}
	if svcs["migrate"].Healthcheck != nil || svcs["migrate"].Restart != "no" || svcs["provision"].Restart != "no" {
		t.Errorf("migrate and provision are one-shot: no health check, restart \"no\"")
	}
	for _, n := range []string{"kimbot", "postgres", "redis"} {
		if svcs[n].Restart != "unless-stopped" {
			t.Errorf("%s: restart %q", n, svcs[n].Restart)
		}
	}

	// Order: Postgres healthy → migrate completed → serve (with Redis healthy); provision on demand.
	wantDeps := map[string]map[string]string{
		"migrate":   {"postgres": "service_healthy"},
		"provision": {"migrate": "service_completed_successfully"},
		"kimbot":    {"migrate": "service_completed_successfully", "postgres": "service_healthy", "redis": "service_healthy"},
	}
	for n, want := range wantDeps {
		got := map[string]string{}
		for dep, c := range svcs[n].DependsOn {
			got[dep] = c["condition"]
		}
		if !maps.Equal(got, want) {
			t.Errorf("%s depends on %v, want %v", n, got, want)
		}
	}
	if !slices.Equal(svcs["provision"].Profiles, []string{"provision"}) {
		t.Errorf("provision: profiles %v, want [provision] (run on demand, not by `up`)", svcs["provision"].Profiles)
	}
	if len(svcs["kimbot"].Ports) != 1 || !strings.HasSuffix(svcs["kimbot"].Ports[0], ":8080") {
		t.Errorf("kimbot ports %v, want the container's 8080 published", svcs["kimbot"].Ports)
	}
	if _, ok := file.Volumes["postgres"]; !ok {
		t.Error("no volume for Postgres' data")
	}

	// The example env files: every variable kimbot reads, placeholders only, consistent.
	kimbotEnv := readEnvFile(t, filepath.Join(dir, "kimbot.env.example"))
	provisionEnv := readEnvFile(t, filepath.Join(dir, "provision.env.example"))
	postgresEnv := readEnvFile(t, filepath.Join(dir, "postgres.env.example"))
	for _, v := range kimbotEnvVars(t) {
		_, inKimbot := kimbotEnv[v]
		_, inProvision := provisionEnv[v]
		if !inKimbot && !inProvision && !notDeployed[v] {
			t.Errorf("kimbot reads %s; neither kimbot.env.example nor provision.env.example names it", v)
		}
		if inKimbot && inProvision {
			t.Errorf("%s is in both kimbot.env.example and provision.env.example", v)
		}
	}
	for _, v := range []string{"KIMBOT_ADMIN_TOKEN", "KIMBOT_TEAMS"} {
		if _, ok := provisionEnv[v]; !ok {
			t.Errorf("provision.env.example lacks %s", v)
		}
	}
	if _, err := secret.ParseKey(kimbotEnv["KIMBOT_ENCRYPTION_KEY"]); err == nil {
		t.Error("kimbot.env.example holds a usable encryption key; it must be a placeholder kimbot refuses")
	}
	for file, env := range map[string]map[string]string{"kimbot": kimbotEnv, "provision": provisionEnv, "postgres": postgresEnv} {
		for k, v := range env {
			if strings.Contains(strings.ToUpper(k), "TOKEN") || strings.Contains(strings.ToUpper(k), "PASSWORD") || strings.HasSuffix(k, "_KEY") {
				if !strings.Contains(v, "CHANGE-ME") {
					t.Errorf("%s.env.example: %s=%q is not a CHANGE-ME placeholder", file, k, v)
				}
			}
		}
	}
	db, err := url.Parse(kimbotEnv["KIMBOT_DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := db.User.Password()
	if db.Hostname() != "postgres" || db.User.Username() != postgresEnv["POSTGRES_USER"] || pw != postgresEnv["POSTGRES_PASSWORD"] ||
		strings.TrimPrefix(db.Path, "/") != postgresEnv["POSTGRES_DB"] {
		t.Errorf("KIMBOT_DATABASE_URL %s does not match postgres.env.example %v", db.Redacted(), postgresEnv)
	}
	if r, err := url.Parse(kimbotEnv["KIMBOT_REDIS_URL"]); err != nil || r.Hostname() != "redis" {
		t.Errorf("KIMBOT_REDIS_URL %q, want the redis service", kimbotEnv["KIMBOT_REDIS_URL"])
	}
	if kimbotEnv["KIMBOT_LISTEN_ADDR"] != "0.0.0.0:8080" {
		t.Errorf("KIMBOT_LISTEN_ADDR %q, want 0.0.0.0:8080 (the published port)", kimbotEnv["KIMBOT_LISTEN_ADDR"])
	}

	// The real env files hold secrets and stay out of git.
	ignore, err := os.ReadFile(filepath.Join(dir, ".gitignore"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"kimbot.env", "provision.env", "postgres.env"} {
		if !slices.Contains(strings.Fields(string(ignore)), "/"+f) {
			t.Errorf("deploy/compose/.gitignore does not ignore %s", f)
		}
	}
}

// readEnvFile reads KEY=VALUE lines (Compose's env_file syntax without quotes), skipping comments.
func readEnvFile(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.ContainsAny(v, `"'`) {
			t.Errorf("%s: line %q is not KEY=VALUE without quotes", path, line)
		}
		if _, dup := env[k]; dup {
			t.Errorf("%s: %s twice", path, k)
		}
		env[k] = v
	}
	return env
}
