package deploy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/kimbot-nrw/kimbot"
)

// toolCommand prepares a tool of deploy/tools: the binary that scripts/test built and named in
// the variable envVar, else `go tool <name>` there (the version pinned in deploy/tools/go.mod).
func toolCommand(t *testing.T, envVar, name string, args ...string) *exec.Cmd {
	t.Helper()
	if bin := os.Getenv(envVar); bin != "" {
		return exec.Command(bin, args...)
	}
	cmd := exec.Command("go", append([]string{"tool", name}, args...)...)
	cmd.Dir = filepath.Join(repoRoot(t), "deploy", "tools")
	return cmd
}

// helm runs helm (KIMBOT_TEST_HELM or `go tool helm`) with its own directories in a temporary one.
func helm(t *testing.T, args ...string) (stdout string, err error) {
	t.Helper()
	cmd := toolCommand(t, "KIMBOT_TEST_HELM", "helm", args...)
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "HELM_CACHE_HOME="+home+"/cache", "HELM_CONFIG_HOME="+home+"/config", "HELM_DATA_HOME="+home+"/data")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("helm %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
	}
	return out.String(), nil
}

func chartDir(t *testing.T) string { return filepath.Join(repoRoot(t), "deploy", "helm", "kimbot") }

// obj is a decoded Kubernetes object or a part of one.
type obj = map[string]any

// render runs `helm template` with the chart's CI values and sets, and returns the objects by
// "Kind/name".
func render(t *testing.T, sets ...string) map[string]obj {
	t.Helper()
	out, err := renderErr(t, sets...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func renderErr(t *testing.T, sets ...string) (map[string]obj, error) {
	t.Helper()
	args := []string{"template", "kimbot", chartDir(t), "--namespace", "kim", "-f", filepath.Join(chartDir(t), "ci", "test-values.yaml")}
	for _, s := range sets {
		args = append(args, "--set", s)
	}
	out, err := helm(t, args...)
	if err != nil {
		return nil, err
	}
	objs := map[string]obj{}
	dec := yaml.NewDecoder(strings.NewReader(out))
	for {
		var o obj
		if err := dec.Decode(&o); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("helm template printed invalid YAML: %v\n%s", err, out)
		}
		if o == nil {
			continue
		}
		key := fmt.Sprint(o["kind"], "/", get(o, "metadata", "name"))
		if _, dup := objs[key]; dup {
			t.Fatalf("%s rendered twice", key)
		}
		objs[key] = o
	}
	return objs, nil
}

// get walks o along keys (map keys, or list indexes as ints); nil when absent.
func get(o any, keys ...any) any {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			m, ok := o.(obj)
			if !ok {
				return nil
			}
			o = m[k]
		case int:
			l, ok := o.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			o = l[k]
		}
	}
	return o
}

func getMap(o any, keys ...any) obj {
	m, _ := get(o, keys...).(obj)
	return m
}

func getList(o any, keys ...any) []any {
	l, _ := get(o, keys...).([]any)
	return l
}

// hooks returns an object's Helm hooks and weight.
func hooks(o obj) (events []string, weight string) {
	h, _ := get(o, "metadata", "annotations", "helm.sh/hook").(string)
	for _, e := range strings.Split(h, ",") {
		if e = strings.TrimSpace(e); e != "" {
			events = append(events, e)
		}
	}
	slices.Sort(events)
	w, _ := get(o, "metadata", "annotations", "helm.sh/hook-weight").(string)
	return events, w
}

// envOf returns a container's environment: name → value, or "secret:<secret>/<key>".
func envOf(t *testing.T, c obj) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, e := range getList(c, "env") {
		name, _ := get(e, "name").(string)
		if _, dup := env[name]; dup {
			t.Errorf("container %v sets %s twice", c["name"], name)
		}
		if ref := getMap(e, "valueFrom", "secretKeyRef"); ref != nil {
			env[name] = fmt.Sprintf("secret:%v/%v", ref["name"], ref["key"])
		} else {
			env[name] = fmt.Sprint(get(e, "value"))
		}
	}
	if len(getList(c, "envFrom")) > 0 {
		t.Errorf("container %v uses envFrom: each container gets only the secrets it needs", c["name"])
	}
	return env
}

// checkPodSecurity checks that a pod spec runs its containers as non-root, read-only, without
// capabilities and without a service account token.
func checkPodSecurity(t *testing.T, what string, spec obj) {
	t.Helper()
	psc := getMap(spec, "securityContext")
	if psc["runAsNonRoot"] != true || asInt(psc["runAsUser"]) <= 0 || asInt(psc["runAsGroup"]) <= 0 {
		t.Errorf("%s: pod securityContext %v, want runAsNonRoot and a non-zero runAsUser/runAsGroup", what, psc)
	}
	if get(psc, "seccompProfile", "type") != "RuntimeDefault" {
		t.Errorf("%s: seccompProfile %v", what, psc["seccompProfile"])
	}
	if spec["automountServiceAccountToken"] != false {
		t.Errorf("%s: the service account token is mounted; kimbot does not use the Kubernetes API", what)
	}
	containers := getList(spec, "containers")
	if len(containers) == 0 {
		t.Fatalf("%s: no containers", what)
	}
	for _, c := range containers {
		sc := getMap(c, "securityContext")
		if sc["readOnlyRootFilesystem"] != true || sc["allowPrivilegeEscalation"] != false || sc["privileged"] == true {
			t.Errorf("%s: container securityContext %v, want readOnlyRootFilesystem, no privilege escalation", what, sc)
		}
		if drop := getList(sc, "capabilities", "drop"); !slices.Contains(drop, any("ALL")) || len(getList(sc, "capabilities", "add")) > 0 {
			t.Errorf("%s: capabilities %v, want drop ALL and add none", what, sc["capabilities"])
		}
		res := getMap(c, "resources")
		for _, k := range []string{"cpu", "memory"} {
			if get(res, "requests", k) == nil {
				t.Errorf("%s: no %s request: %v", what, k, res)
			}
		}
		if get(res, "limits", "memory") == nil {
			t.Errorf("%s: no memory limit: %v", what, res)
		}
		if get(c, "volumeMounts", 0, "mountPath") != "/tmp" {
			t.Errorf("%s: no writable /tmp: %v", what, c.(obj)["volumeMounts"])
		}
	}
}

func asInt(v any) int {
	switch v := v.(type) {
	case int:
		return v
	case float64:
		return int(v)
	}
	return 0
}

// TestHelmChart renders the chart and checks what the issue asks of it: two or more replicas,
// probes, a PodDisruptionBudget, resources, non-root, secrets from a Secret, migrations (and
// provisioning) as hook Jobs before the rollout.
func TestHelmChart(t *testing.T) {
	t.Parallel()
	m, err := kimbot.LoadManifest()
	if err != nil {
		t.Fatal(err)
	}
	var chart struct {
		AppVersion string `yaml:"appVersion"`
	}
	b, err := os.ReadFile(filepath.Join(chartDir(t), "Chart.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &chart); err != nil {
		t.Fatal(err)
	}
	if chart.AppVersion != m.Version {
		t.Errorf("Chart.yaml appVersion %q, manifest.json version %q: the chart's default image is the one scripts/image tags", chart.AppVersion, m.Version)
	}

	t.Run("lint", func(t *testing.T) {
		t.Parallel()
		if out, err := helm(t, "lint", "--strict", chartDir(t), "-f", filepath.Join(chartDir(t), "ci", "test-values.yaml")); err != nil {
			t.Fatal(err)
		} else if !strings.Contains(out, "0 chart(s) failed") {
			t.Fatalf("helm lint: %s", out)
		}
	})

	t.Run("defaults", func(t *testing.T) {
		t.Parallel()
		objs := render(t, "reminders.schedule=*/5 * * * *", "reminders.lease=3m", "reminders.backoff=1m")
		dep := objs["Deployment/kimbot"]
		if dep == nil {
			t.Fatalf("no Deployment/kimbot in %v", keys(objs))
		}
		if n := asInt(get(dep, "spec", "replicas")); n < 2 {
			t.Errorf("replicas %d, want at least 2", n)
		}
		if get(dep, "spec", "strategy", "rollingUpdate", "maxUnavailable") != 0 {
			t.Errorf("rolling update %v: no replica may go before its successor is ready", get(dep, "spec", "strategy"))
		}
		pod := getMap(dep, "spec", "template", "spec")
		checkPodSecurity(t, "Deployment", pod)
		if asInt(get(pod, "securityContext", "runAsUser")) != 65532 {
			t.Errorf("runAsUser %v, want the image's user 65532", get(pod, "securityContext", "runAsUser"))
		}
		selector := getMap(dep, "spec", "selector", "matchLabels")
		podLabels := getMap(dep, "spec", "template", "metadata", "labels")
		for k, v := range selector {
			if podLabels[k] != v {
				t.Errorf("the selector's %s=%v does not match the pod labels %v", k, v, podLabels)
			}
		}
		containers := getList(pod, "containers")
		if len(containers) != 1 {
			t.Fatalf("%d containers", len(containers))
		}
		c := containers[0].(obj)
		if c["image"] != "kimbot:"+m.Version {
			t.Errorf("image %v, want kimbot:%s", c["image"], m.Version)
		}
		if !slices.Equal(getList(c, "args"), []any{"serve"}) || c["command"] != nil {
			t.Errorf("args %v command %v, want the image's entrypoint with serve", c["args"], c["command"])
		}
		if get(c, "ports", 0, "containerPort") != imagePort || get(c, "ports", 0, "name") != "http" {
			t.Errorf("ports %v", c["ports"])
		}
		for probe, path := range map[string]string{"readinessProbe": "/readyz", "livenessProbe": "/healthz"} {
			if get(c, probe, "httpGet", "path") != path || get(c, probe, "httpGet", "port") != "http" {
				t.Errorf("%s %v, want GET %s on the http port", probe, c[probe], path)
			}
		}
		env := envOf(t, c)
		want := map[string]string{
			"KIMBOT_LISTEN_ADDR":       fmt.Sprintf("0.0.0.0:%d", imagePort),
			"KIMBOT_MATTERMOST_URL":    "https://chat.example.org",
			"KIMBOT_PUBLIC_URL":        "http://kimbot.kim.svc.cluster.local",
			"KIMBOT_LOG_LEVEL":         "info",
			"KIMBOT_DATABASE_URL":      "secret:kimbot/KIMBOT_DATABASE_URL",
			"KIMBOT_REDIS_URL":         "secret:kimbot/KIMBOT_REDIS_URL",
			"KIMBOT_ENCRYPTION_KEY":    "secret:kimbot/KIMBOT_ENCRYPTION_KEY",
			"KIMBOT_REMINDER_SCHEDULE": "*/5 * * * *",
			"KIMBOT_REMINDER_LEASE":    "3m",
			"KIMBOT_REMINDER_BACKOFF":  "1m",
		}
		for k, v := range want {
			if env[k] != v {
				t.Errorf("serve's %s = %q, want %q", k, env[k], v)
			}
		}
		if _, ok := env["KIMBOT_ADMIN_TOKEN"]; ok {
			t.Error("serve gets the admin token; only the provision job needs it")
		}
		if get(dep, "spec", "template", "metadata", "annotations", "checksum/secret") == nil {
			t.Error("no checksum/secret annotation: pods would not roll when the chart's Secret changes")
		}

		svc := objs["Service/kimbot"]
		if get(svc, "spec", "ports", 0, "targetPort") != "http" {
			t.Errorf("Service ports %v", get(svc, "spec", "ports"))
		}
		for k, v := range getMap(svc, "spec", "selector") {
			if podLabels[k] != v {
				t.Errorf("the Service's selector %s=%v does not match the pods", k, v)
			}
		}

		pdb := objs["PodDisruptionBudget/kimbot"]
		if pdb == nil || pdb["apiVersion"] != "policy/v1" {
			t.Fatalf("no policy/v1 PodDisruptionBudget: %v", pdb)
		}
		if min := asInt(get(pdb, "spec", "minAvailable")); min < 1 || min >= asInt(get(dep, "spec", "replicas")) {
			t.Errorf("PodDisruptionBudget minAvailable %d with %v replicas", min, get(dep, "spec", "replicas"))
		}
		if fmt.Sprint(getMap(pdb, "spec", "selector", "matchLabels")) != fmt.Sprint(selector) {
			t.Errorf("the PodDisruptionBudget selects %v, the Deployment %v", get(pdb, "spec", "selector"), selector)
		}

		// The Secret exists before the jobs run (hooks run before the release's other objects).
		sec := objs["Secret/kimbot"]
		if sec == nil {
			t.Fatal("no Secret/kimbot")
		}
		data := getMap(sec, "stringData")
		for _, k := range []string{"KIMBOT_DATABASE_URL", "KIMBOT_REDIS_URL", "KIMBOT_ENCRYPTION_KEY", "KIMBOT_ADMIN_TOKEN"} {
			if data[k] == nil {
				t.Errorf("the Secret lacks %s", k)
			}
		}

		migrate, provision := objs["Job/kimbot-migrate"], objs["Job/kimbot-provision"]
		if migrate == nil || provision == nil {
			t.Fatalf("want Job/kimbot-migrate and Job/kimbot-provision in %v", keys(objs))
		}
		weights := map[string]int{}
		for name, o := range map[string]obj{"Secret": sec, "migrate": migrate, "provision": provision} {
			events, w := hooks(o)
			if !slices.Equal(events, []string{"pre-install", "pre-upgrade"}) {
				t.Errorf("%s: hooks %v, want pre-install,pre-upgrade (before the Deployment changes)", name, events)
			}
			n, err := strconv.Atoi(w)
			if err != nil {
				t.Errorf("%s: hook weight %q", name, w)
			}
			weights[name] = n
		}
		if !(weights["Secret"] < weights["migrate"] && weights["migrate"] < weights["provision"]) {
			t.Errorf("hook weights %v: want the Secret, then migrate, then provision", weights)
		}
		for name, job := range map[string]obj{"migrate": migrate, "provision": provision} {
			pod := getMap(job, "spec", "template", "spec")
			checkPodSecurity(t, "Job "+name, pod)
			if pod["restartPolicy"] != "Never" || asInt(get(job, "spec", "backoffLimit")) < 1 || asInt(get(job, "spec", "activeDeadlineSeconds")) < 1 {
				t.Errorf("Job %s: restartPolicy %v backoffLimit %v activeDeadlineSeconds %v", name, pod["restartPolicy"],
					get(job, "spec", "backoffLimit"), get(job, "spec", "activeDeadlineSeconds"))
			}
			c := getMap(pod, "containers", 0)
			if !slices.Equal(getList(c, "args"), []any{name}) || c["image"] != "kimbot:"+m.Version {
				t.Errorf("Job %s runs %v %v, want kimbot:%s %s", name, c["image"], c["args"], m.Version, name)
			}
			env := envOf(t, c)
			if env["KIMBOT_DATABASE_URL"] != "secret:kimbot/KIMBOT_DATABASE_URL" || env["KIMBOT_ENCRYPTION_KEY"] != "secret:kimbot/KIMBOT_ENCRYPTION_KEY" {
				t.Errorf("Job %s env %v", name, env)
			}
			_, hasToken := env["KIMBOT_ADMIN_TOKEN"]
			if hasToken != (name == "provision") {
				t.Errorf("Job %s: admin token given: %v", name, hasToken)
			}
			if name == "provision" && env["KIMBOT_TEAMS"] != "kim-example" {
				t.Errorf("provision's KIMBOT_TEAMS %q", env["KIMBOT_TEAMS"])
			}
		}

		// Every variable kimbot reads is set by the chart (or deliberately left to extraEnv).
		set := map[string]bool{}
		for _, o := range []obj{dep, migrate, provision} {
			for k := range envOf(t, getMap(o, "spec", "template", "spec", "containers", 0)) {
				set[k] = true
			}
		}
		for _, v := range kimbotEnvVars(t) {
			if !set[v] && !notDeployed[v] {
				t.Errorf("kimbot reads %s, and no container of the chart sets it (values.yaml, templates; or list it in notDeployed)", v)
			}
		}
	})

	t.Run("existingSecret", func(t *testing.T) {
		t.Parallel()
		objs := render(t, "secret.existingSecret=kimbot-secrets", "secret.databaseUrl=", "secret.encryptionKey=")
		if _, ok := objs["Secret/kimbot"]; ok {
			t.Error("the chart made a Secret although existingSecret names one")
		}
		for _, k := range []string{"Deployment/kimbot", "Job/kimbot-migrate", "Job/kimbot-provision"} {
			c := getMap(objs[k], "spec", "template", "spec", "containers", 0)
			for name, v := range envOf(t, c) {
				if strings.HasPrefix(v, "secret:") && !strings.HasPrefix(v, "secret:kimbot-secrets/") {
					t.Errorf("%s: %s from %s, want the existing Secret kimbot-secrets", k, name, v)
				}
			}
			if envOf(t, c)["KIMBOT_ENCRYPTION_KEY"] != "secret:kimbot-secrets/KIMBOT_ENCRYPTION_KEY" {
				t.Errorf("%s: the encryption key does not come from kimbot-secrets", k)
			}
		}
		if get(objs["Deployment/kimbot"], "spec", "template", "metadata", "annotations", "checksum/secret") != nil {
			t.Error("checksum/secret of a Secret the chart does not know")
		}
	})

	t.Run("variants", func(t *testing.T) {
		t.Parallel()
		objs := render(t, "provision.enabled=false", "secret.adminToken=", "replicaCount=3", "readinessProbe.path=/healthz",
			"image.repository=registry.example.org/kim/kimbot", "image.digest=sha256:"+strings.Repeat("ab", 32))
		if _, ok := objs["Job/kimbot-provision"]; ok {
			t.Error("provision.enabled=false still renders the provision job")
		}
		if _, ok := getMap(objs["Secret/kimbot"], "stringData")["KIMBOT_ADMIN_TOKEN"]; ok {
			t.Error("the Secret holds an admin token without provisioning")
		}
		dep := objs["Deployment/kimbot"]
		if asInt(get(dep, "spec", "replicas")) != 3 {
			t.Errorf("replicas %v, want 3", get(dep, "spec", "replicas"))
		}
		if p := getMap(dep, "spec", "template", "spec", "containers", 0, "readinessProbe"); get(p, "httpGet", "path") != "/healthz" || p["path"] != nil {
			t.Errorf("readinessProbe %v, want GET /healthz (and no path outside httpGet)", p)
		}
		if img := get(dep, "spec", "template", "spec", "containers", 0, "image"); img != "registry.example.org/kim/kimbot@sha256:"+strings.Repeat("ab", 32) {
			t.Errorf("image %v, want the digest", img)
		}
		if img := get(objs["Job/kimbot-migrate"], "spec", "template", "spec", "containers", 0, "image"); img != get(dep, "spec", "template", "spec", "containers", 0, "image") {
			t.Errorf("migrate runs %v, serve %v: the migration must be the release's own", img, get(dep, "spec", "template", "spec", "containers", 0, "image"))
		}
	})

	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			sets []string
			want string
		}{
			{[]string{"mattermostUrl="}, "mattermostUrl is required"},
			{[]string{"publicUrl="}, "publicUrl is required"},
			{[]string{"secret.encryptionKey="}, "secret.encryptionKey is required"},
			{[]string{"provision.teams="}, "provision.teams is required"},
			{[]string{"replicaCount=1"}, "must be more than podDisruptionBudget.minAvailable"},
		} {
			if _, err := renderErr(t, tc.sets...); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("helm template --set %v: %v, want an error saying %q", tc.sets, err, tc.want)
			}
		}
	})
}

// notDeployed are variables kimbot reads that a deployment need not set, and why.
var notDeployed = map[string]bool{
	// Set only during a key rotation (docs/OPERATIONS.md): commented out in
	// kimbot.env.example, through extraEnv in the chart.
	"KIMBOT_OLD_ENCRYPTION_KEY": true,
	// Go's profiles on a loopback address, for measuring (BENCHMARKS.md).
	"KIMBOT_PPROF_ADDR": true,
}

// kimbotEnvVars returns the KIMBOT_* variables that cmd/kimbot reads, test hooks (KIMBOT_TEST_*) aside.
func kimbotEnvVars(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot(t), "cmd", "kimbot", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`"(KIMBOT_[A-Z0-9_]+)"`)
	seen := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if !strings.HasPrefix(m[1], "KIMBOT_TEST_") {
				seen[m[1]] = true
			}
		}
	}
	if len(seen) < 8 {
		t.Fatalf("found only %v in cmd/kimbot", seen)
	}
	var vars []string
	for v := range seen {
		vars = append(vars, v)
	}
	slices.Sort(vars)
	return vars
}

func keys(m map[string]obj) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
