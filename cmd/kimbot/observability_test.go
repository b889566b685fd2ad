package main

import (
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// root is the repository root, seen from this package.
const root = "../.."

// declaredMetrics returns the names of the kimbot_* metrics the program's
// sources declare (Name: "kimbot_…" in any non-test Go file).
func declaredMetrics(t *testing.T) []string {
	t.Helper()
	decl := regexp.MustCompile(`Name:\s*"(kimbot_[a-z0-9_]+)"`)
	var names []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "mattermost") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		for _, m := range decl.FindAllSubmatch(b, -1) {
			names = append(names, string(m[1]))
		}
		return err
	})
	if err != nil || len(names) == 0 {
		t.Fatalf("no metrics found in the sources: %v", err)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// registered reports whether the default registry (the one /metrics serves)
// has a metric of that name: registering another one with the name fails.
func registered(name string) bool {
	probe := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: "probe of the metrics test"})
	err := prometheus.DefaultRegisterer.Register(probe)
	if err == nil {
		prometheus.DefaultRegisterer.Unregister(probe)
		return false
	}
	var dup prometheus.AlreadyRegisteredError
	return errors.As(err, &dup) || strings.Contains(err.Error(), "previously registered") || strings.Contains(err.Error(), "already exists")
}

// registeredSeries reports whether a series name of a query is served: the
// metric itself, or a histogram's _bucket, _sum or _count.
func registeredSeries(name string) bool {
	if registered(name) {
		return true
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(name, suffix); ok && registered(base) {
			return true
		}
	}
	return false
}

// dashboardQueries returns every PromQL expression of the Grafana dashboard.
func dashboardQueries(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "deploy/grafana/kimbot.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash any
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatalf("deploy/grafana/kimbot.json: %v", err)
	}
	var exprs []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if s, ok := e.(string); ok && k == "expr" {
					exprs = append(exprs, s)
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(dash)
	if len(exprs) == 0 {
		t.Fatal("the dashboard has no queries")
	}
	return exprs
}

// Every series the dashboard queries is served by kimbot's registry, every
// kimbot metric is on the dashboard, and docs/OPERATIONS.md documents each.
func TestMetricsDashboardAndDocs(t *testing.T) {
	declared := declaredMetrics(t)
	doc, err := os.ReadFile(filepath.Join(root, "docs/OPERATIONS.md"))
	if err != nil {
		t.Fatal(err)
	}
	series := regexp.MustCompile(`\b(kimbot|go|process)_[a-z0-9_]+\b`)
	onDashboard := map[string]bool{}
	for _, q := range dashboardQueries(t) {
		for _, name := range series.FindAllString(q, -1) {
			if !registeredSeries(name) {
				t.Errorf("the dashboard queries %s, which kimbot does not serve: %s", name, q)
			}
			onDashboard[name] = true
		}
	}
	for _, name := range declared {
		if !registered(name) {
			t.Errorf("%s is declared but not registered with the default registry (use promauto)", name)
		}
		if !strings.Contains(string(doc), "\n| `"+name+"` |") {
			t.Errorf("%s has no row in the metrics table of docs/OPERATIONS.md", name)
		}
		if !onDashboard[name] && !onDashboard[name+"_bucket"] && !onDashboard[name+"_count"] {
			t.Errorf("%s is not on the dashboard deploy/grafana/kimbot.json", name)
		}
	}
	if registeredSeries("kimbot_no_such_metric") {
		t.Fatal("the registry probe finds a metric that does not exist")
	}
}

// logFields returns the attribute keys of every log call in the sources of
// the kimbot binary (its packages in this module), by file:line.
func logFields(t *testing.T) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f",
		`{{if .Module}}{{if eq .Module.Path "github.com/kimbot-nrw/kimbot"}}{{.Dir}}{{range .GoFiles}} {{.}}{{end}}{{"\n"}}{{end}}{{end}}`, ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	isLogger := func(x ast.Expr) bool {
		switch r := x.(type) {
		case *ast.Ident:
			return r.Name == "log" || r.Name == "slog" || r.Name == "logger"
		case *ast.SelectorExpr:
			return r.Sel.Name == "Log"
		}
		return false
	}
	fields := map[string][]string{}
	fset := token.NewFileSet()
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.Fields(line)
		for _, name := range parts[1:] {
			f, err := parser.ParseFile(fset, filepath.Join(parts[0], name), nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || !isLogger(sel.X) {
					return true
				}
				var attrs []ast.Expr
				switch sel.Sel.Name {
				case "Debug", "Info", "Warn", "Error":
					if len(call.Args) > 0 {
						attrs = call.Args[1:]
					}
				case "With":
					attrs = call.Args
				default:
					return true
				}
				where := fset.Position(call.Pos()).String()
				for i := 0; i < len(attrs); i++ {
					switch a := attrs[i].(type) {
					case *ast.BasicLit:
						fields[strings.Trim(a.Value, "`\"")] = append(fields[strings.Trim(a.Value, "`\"")], where)
						i++ // its value
					case *ast.CallExpr: // slog.String("key", v) and friends
						if k, ok := a.Args[0].(*ast.BasicLit); ok && len(a.Args) > 0 {
							fields[strings.Trim(k.Value, "`\"")] = append(fields[strings.Trim(k.Value, "`\"")], where)
							continue
						}
						t.Errorf("%s: a log attribute whose key is not a literal", where)
					default:
						t.Errorf("%s: a log attribute whose key is not a literal", where)
					}
				}
				return true
			})
		}
	}
	if len(fields) == 0 {
		t.Fatal("no log fields found")
	}
	return fields
}

// Every field a log line of the binary carries is in the log table of
// docs/OPERATIONS.md.
func TestLogFieldsDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(root, "docs/OPERATIONS.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, logs, _ := strings.Cut(string(doc), "\n## Logs\n")
	for field, where := range logFields(t) {
		if !strings.Contains(logs, "`"+field+"`") {
			t.Errorf("log field %q (%s) is not in the log table of docs/OPERATIONS.md", field, strings.Join(where, ", "))
		}
	}
}
