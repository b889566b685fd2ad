package devstack

import (
	"bufio"
	"context"
	"crypto/rand"
	"debug/buildinfo"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// ModulePath is the import path of the kimbot module.
const ModulePath = "github.com/kimbot-nrw/kimbot"

// KimbotConfig is kimbot's configuration; Env turns it into the KIMBOT_* environment.
type KimbotConfig struct {
	MattermostURL string
	AdminToken    string
	Teams         []string
	DatabaseURL   string
	RedisURL      string
	// ListenAddr is host:port for `kimbot serve`, e.g. 127.0.0.1:41235.
	ListenAddr string
	// PublicURL is where Mattermost reaches kimbot; "" means http://<ListenAddr>.
	PublicURL string
	// EncryptionKey is base64 of 32 bytes (NewEncryptionKey).
	EncryptionKey string
}

// Env returns the configuration as KIMBOT_* variables.
func (c KimbotConfig) Env() map[string]string {
	public := c.PublicURL
	if public == "" && c.ListenAddr != "" {
		public = "http://" + c.ListenAddr
	}
	return map[string]string{
		"KIMBOT_MATTERMOST_URL": c.MattermostURL,
		"KIMBOT_ADMIN_TOKEN":    c.AdminToken,
		"KIMBOT_TEAMS":          strings.Join(c.Teams, ","),
		"KIMBOT_DATABASE_URL":   c.DatabaseURL,
		"KIMBOT_REDIS_URL":      c.RedisURL,
		"KIMBOT_LISTEN_ADDR":    c.ListenAddr,
		"KIMBOT_PUBLIC_URL":     public,
		"KIMBOT_ENCRYPTION_KEY": c.EncryptionKey,
	}
}

// NewEncryptionKey returns a fresh KIMBOT_ENCRYPTION_KEY (base64 of 32 random bytes).
func NewEncryptionKey() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// Kimbot runs the kimbot binary Bin with the environment Env (plus the caller's environment
// without any KIMBOT_* variables).
type Kimbot struct {
	Bin string
	Env map[string]string
	// Log, if not nil, receives a copy of every subprocess's output.
	Log io.Writer
}

// With returns a copy of k with the given variables (name, value, name, value, …) overridden.
func (k Kimbot) With(kv ...string) Kimbot {
	if len(kv)%2 != 0 {
		panic("devstack: Kimbot.With needs name/value pairs")
	}
	env := make(map[string]string, len(k.Env)+len(kv)/2)
	for n, v := range k.Env {
		env[n] = v
	}
	for i := 0; i < len(kv); i += 2 {
		env[kv[i]] = kv[i+1]
	}
	k.Env = env
	return k
}

// BaseURL returns http://<KIMBOT_LISTEN_ADDR>, where `kimbot serve` answers.
func (k Kimbot) BaseURL() string { return "http://" + k.Env["KIMBOT_LISTEN_ADDR"] }

// Command returns an *exec.Cmd for `kimbot args…` with k's environment.
func (k Kimbot) Command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, k.Bin, args...)
	cmd.Env = environ([]string{"KIMBOT_"}, k.Env)
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// Run runs `kimbot args…` to completion and returns its combined output; a non-zero exit is an
// error that includes the output.
func (k Kimbot) Run(ctx context.Context, args ...string) (string, error) {
	p, err := StartProcess("kimbot "+strings.Join(args, " "), k.Command(ctx, args...), k.Log)
	if err != nil {
		return "", err
	}
	err = p.Wait()
	out := p.Output()
	if err != nil {
		return out, fmt.Errorf("devstack: kimbot %s: %w\n%s", strings.Join(args, " "), err, Tail(out, 60))
	}
	return out, nil
}

// Start starts `kimbot args…` in the background.
func (k Kimbot) Start(args ...string) (*Process, error) {
	return StartProcess("kimbot "+strings.Join(args, " "), k.Command(context.Background(), args...), k.Log)
}

// Serve starts `kimbot serve` and waits until /readyz answers 200 on KIMBOT_LISTEN_ADDR.
func (k Kimbot) Serve(ctx context.Context) (*Process, error) {
	if k.Env["KIMBOT_LISTEN_ADDR"] == "" {
		return nil, errors.New("devstack: KIMBOT_LISTEN_ADDR is not set")
	}
	p, err := k.Start("serve")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := waitHTTP(ctx, k.BaseURL()+"/readyz", p); err != nil {
		if p.Exited() {
			return nil, err
		}
		p.Kill()
		return nil, fmt.Errorf("devstack: kimbot serve not ready on %s: %w\n%s", k.BaseURL(), err, Tail(p.Output(), 60))
	}
	return p, nil
}

// WaitReady polls baseURL/readyz until it answers 200 or ctx ends.
func WaitReady(ctx context.Context, baseURL string) error {
	return waitHTTP(ctx, strings.TrimRight(baseURL, "/")+"/readyz", nil)
}

// ModuleRoot returns the directory of kimbot's go.mod, searching upwards from the working directory.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if f, err := os.Open(filepath.Join(dir, "go.mod")); err == nil {
			sc := bufio.NewScanner(f)
			sc.Scan()
			f.Close()
			if strings.TrimSpace(strings.TrimPrefix(sc.Text(), "module")) == ModulePath {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("devstack: no go.mod of %s above the working directory", ModulePath)
		}
		dir = parent
	}
}

var builds sync.Map // binary path -> *buildResult

type buildResult struct {
	once sync.Once
	path string
	err  error
}

// BuildKimbot builds the release binary ./cmd/kimbot of the module into outDir/kimbot (once per
// outDir and process) and returns the binary's path.
func BuildKimbot(ctx context.Context, outDir string) (string, error) {
	return buildKimbot(ctx, outDir, "kimbot", nil)
}

// TestTag is the build tag that adds the test hooks KIMBOT_TEST_NOW and KIMBOT_TEST_CRASH to
// kimbot (cmd/kimbot/testhooks.go); release builds leave it out.
const TestTag = "kimbottest"

// BuildKimbotTest builds ./cmd/kimbot with the test hooks (TestTag) into outDir/kimbot-test (once
// per outDir and process) and returns the binary's path. The end-to-end tests use it.
func BuildKimbotTest(ctx context.Context, outDir string) (string, error) {
	return buildKimbot(ctx, outDir, "kimbot-test", []string{"-tags", TestTag})
}

// HasTestHooks reports whether the kimbot binary at path was built with TestTag.
func HasTestHooks(path string) (bool, error) {
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		return false, fmt.Errorf("devstack: build info of %s: %w", path, err)
	}
	for _, s := range info.Settings {
		if s.Key == "-tags" && slices.Contains(strings.Split(s.Value, ","), TestTag) {
			return true, nil
		}
	}
	return false, nil
}

func buildKimbot(ctx context.Context, outDir, name string, flags []string) (string, error) {
	v, _ := builds.LoadOrStore(filepath.Join(outDir, name), &buildResult{})
	b := v.(*buildResult)
	b.once.Do(func() {
		root, err := ModuleRoot()
		if err != nil {
			b.err = err
			return
		}
		bin := filepath.Join(outDir, name)
		cmd := exec.CommandContext(ctx, "go", append(append([]string{"build"}, flags...), "-o", bin, "./cmd/kimbot")...)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("devstack: go build ./cmd/kimbot: %w\n%s", err, out)
			return
		}
		b.path = bin
	})
	return b.path, b.err
}
