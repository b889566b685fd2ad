package devstack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// MattermostConfig says how to run a Mattermost server.
type MattermostConfig struct {
	// Bin is the server binary (scripts/build-mattermost; KIMBOT_TEST_MATTERMOST_BIN in tests).
	Bin string
	// Assets is a directory holding i18n/, templates/ and fonts/ (KIMBOT_TEST_MATTERMOST_ASSETS).
	Assets string
	// PostgresAdminURL, if set, is a superuser URL: a fresh database is created for this server
	// and dropped by Close.
	PostgresAdminURL string
	// DatabaseURL, if set instead, is a database used as is and kept (e.g. the demo's).
	DatabaseURL string
	// WorkDir is the server's working directory (config, files, logs); "" means a temporary
	// directory removed by Close.
	WorkDir string
	// ClientDir, if set, is a Mattermost web app build (the client/ directory of a release
	// tarball) served at URL; without it only the REST API is available.
	ClientDir string
	// Port to listen on (127.0.0.1); 0 picks a free one.
	Port int
	// DefaultLocale is the locale of users created without one ("" keeps Mattermost's "en").
	DefaultLocale string
	// Settings are extra MM_<SECTION>_<KEY> variables; they override the defaults of this package.
	Settings map[string]string
	// Log, if not nil, receives a copy of the server's output.
	Log io.Writer
	// StartTimeout bounds each start (default 3 minutes; the first start migrates the database).
	StartTimeout time.Duration
}

// Mattermost is a Mattermost server process that can be stopped and started again on the same
// port, database and working directory.
type Mattermost struct {
	// URL is the server's base URL, e.g. http://127.0.0.1:41234.
	URL string
	// Port is the TCP port on 127.0.0.1.
	Port int
	// DatabaseURL is the server's Postgres database.
	DatabaseURL string
	// WorkDir is the server's working directory.
	WorkDir string

	cfg       MattermostConfig
	createdDB bool
	tempDir   bool

	mu   sync.Mutex
	proc *Process
	logs []string // output of earlier runs (before Stop)
}

// StartMattermost prepares the working directory and database and starts the server, returning
// once it answers /api/v4/system/ping.
func StartMattermost(ctx context.Context, cfg MattermostConfig) (_ *Mattermost, err error) {
	if cfg.Bin == "" || cfg.Assets == "" {
		return nil, errors.New("devstack: MattermostConfig needs Bin and Assets (run scripts/build-mattermost)")
	}
	if _, err := os.Stat(cfg.Bin); err != nil {
		return nil, fmt.Errorf("devstack: Mattermost binary: %w (run scripts/build-mattermost)", err)
	}
	for _, d := range []string{"i18n", "templates", "fonts"} {
		if _, err := os.Stat(filepath.Join(cfg.Assets, d)); err != nil {
			return nil, fmt.Errorf("devstack: Mattermost assets: %w (run scripts/build-mattermost)", err)
		}
	}
	m := &Mattermost{cfg: cfg, Port: cfg.Port, WorkDir: cfg.WorkDir, DatabaseURL: cfg.DatabaseURL}
	defer func() {
		if err != nil {
			m.Close()
		}
	}()

	if m.Port == 0 {
		if m.Port, err = FreePort(); err != nil {
			return nil, err
		}
	}
	m.URL = "http://127.0.0.1:" + strconv.Itoa(m.Port)

	if m.WorkDir == "" {
		if m.WorkDir, err = os.MkdirTemp("", "kimbot-mattermost-"); err != nil {
			return nil, fmt.Errorf("devstack: %w", err)
		}
		m.tempDir = true
	}
	if err := prepareWorkDir(m.WorkDir, cfg.Assets, cfg.ClientDir); err != nil {
		return nil, err
	}

	switch {
	case cfg.DatabaseURL != "":
	case cfg.PostgresAdminURL != "":
		if m.DatabaseURL, err = CreateDatabase(ctx, cfg.PostgresAdminURL, "mattermost"); err != nil {
			return nil, err
		}
		m.createdDB = true
	default:
		return nil, errors.New("devstack: MattermostConfig needs PostgresAdminURL or DatabaseURL")
	}

	if err := m.Start(ctx); err != nil {
		return nil, err
	}
	return m, nil
}

// prepareWorkDir links the assets and creates the directories and config file the server needs.
func prepareWorkDir(dir, assets, clientDir string) error {
	for _, d := range []string{"data", "logs", "plugins", "config"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return fmt.Errorf("devstack: %w", err)
		}
	}
	links := map[string]string{}
	for _, d := range []string{"i18n", "templates", "fonts"} {
		links[d] = filepath.Join(assets, d)
	}
	client := filepath.Join(dir, "client")
	if fi, err := os.Lstat(client); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		_ = os.Remove(client)
	}
	if clientDir != "" {
		links["client"] = clientDir
	} else if err := os.MkdirAll(filepath.Join(client, "plugins"), 0o755); err != nil {
		return fmt.Errorf("devstack: %w", err)
	}
	for name, target := range links {
		abs, err := filepath.Abs(target)
		if err != nil {
			return fmt.Errorf("devstack: %w", err)
		}
		link := filepath.Join(dir, name)
		if fi, err := os.Lstat(link); err == nil && fi.IsDir() && fi.Mode()&os.ModeSymlink == 0 {
			if err := os.RemoveAll(link); err != nil { // an empty client/ from an earlier run
				return fmt.Errorf("devstack: %w", err)
			}
		}
		_ = os.Remove(link)
		if err := os.Symlink(abs, link); err != nil {
			return fmt.Errorf("devstack: %w", err)
		}
	}
	cfgFile := filepath.Join(dir, "config", "config.json")
	if _, err := os.Stat(cfgFile); errors.Is(err, os.ErrNotExist) {
		if err := os.WriteFile(cfgFile, []byte("{}\n"), 0o600); err != nil {
			return fmt.Errorf("devstack: %w", err)
		}
	}
	return nil
}

// settings returns the MM_* environment for this server.
func (m *Mattermost) settings() map[string]string {
	s := map[string]string{
		"MM_SQLSETTINGS_DRIVERNAME":                              "postgres",
		"MM_SQLSETTINGS_DATASOURCE":                              m.DatabaseURL,
		"MM_SQLSETTINGS_MAXOPENCONNS":                            "40",
		"MM_SQLSETTINGS_MAXIDLECONNS":                            "10",
		"MM_SERVICESETTINGS_LISTENADDRESS":                       "127.0.0.1:" + strconv.Itoa(m.Port),
		"MM_SERVICESETTINGS_SITEURL":                             m.URL,
		"MM_SERVICESETTINGS_ALLOWEDUNTRUSTEDINTERNALCONNECTIONS": "127.0.0.1 localhost",
		"MM_SERVICESETTINGS_ENABLEBOTACCOUNTCREATION":            "true",
		"MM_SERVICESETTINGS_ENABLEUSERACCESSTOKENS":              "true",
		"MM_SERVICESETTINGS_ENABLECOMMANDS":                      "true",
		"MM_SERVICESETTINGS_ENABLEONLYADMININTEGRATIONS":         "false",
		"MM_SERVICESETTINGS_ENABLEPOSTUSERNAMEOVERRIDE":          "true",
		"MM_SERVICESETTINGS_ENABLEPOSTICONOVERRIDE":              "true",
		"MM_SERVICESETTINGS_ENABLESECURITYFIXALERT":              "false",
		"MM_SERVICESETTINGS_ENABLELINKPREVIEWS":                  "false",
		"MM_SERVICESETTINGS_ENABLELOCALMODE":                     "false",
		"MM_PLUGINSETTINGS_ENABLE":                               "false",
		"MM_PLUGINSETTINGS_ENABLEUPLOADS":                        "false",
		"MM_EMAILSETTINGS_SENDEMAILNOTIFICATIONS":                "false",
		"MM_EMAILSETTINGS_REQUIREEMAILVERIFICATION":              "false",
		"MM_RATELIMITSETTINGS_ENABLE":                            "false",
		"MM_TEAMSETTINGS_ENABLEOPENSERVER":                       "true",
		"MM_TEAMSETTINGS_MAXUSERSPERTEAM":                        "100000",
		"MM_TEAMSETTINGS_MAXCHANNELSPERTEAM":                     "100000",
		"MM_LOGSETTINGS_CONSOLELEVEL":                            "ERROR",
		"MM_LOGSETTINGS_ENABLEFILE":                              "false",
		"MM_LOGSETTINGS_ENABLEDIAGNOSTICS":                       "false",
		"MM_NOTIFICATIONLOGSETTINGS_ENABLEFILE":                  "false",
		"MM_ANNOUNCEMENTSETTINGS_ADMINNOTICESENABLED":            "false",
		"MM_ANNOUNCEMENTSETTINGS_USERNOTICESENABLED":             "false",
		"MM_FILESETTINGS_DIRECTORY":                              filepath.Join(m.WorkDir, "data") + "/",
		"MM_METRICSSETTINGS_ENABLE":                              "false",
		"MM_CLUSTERSETTINGS_ENABLE":                              "false",
		// Mattermost's background jobs are not needed, and their watcher delays shutdown by ~10 s.
		"MM_JOBSETTINGS_RUNJOBS":      "false",
		"MM_JOBSETTINGS_RUNSCHEDULER": "false",
	}
	if m.cfg.DefaultLocale != "" {
		s["MM_LOCALIZATIONSETTINGS_DEFAULTCLIENTLOCALE"] = m.cfg.DefaultLocale
		s["MM_LOCALIZATIONSETTINGS_DEFAULTSERVERLOCALE"] = m.cfg.DefaultLocale
	}
	for k, v := range m.cfg.Settings {
		s[k] = v
	}
	return s
}

// Start starts the server (again, after Stop) and waits until it answers ping.
func (m *Mattermost) Start(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.proc != nil && !m.proc.Exited() {
		return errors.New("devstack: Mattermost is already running")
	}
	if !PortFree(m.Port) {
		// A port freed a moment ago by Stop can linger briefly; give it a few seconds.
		deadline := time.Now().Add(10 * time.Second)
		for !PortFree(m.Port) && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		if !PortFree(m.Port) {
			return fmt.Errorf("devstack: port %d for Mattermost is in use", m.Port)
		}
	}
	cmd := exec.Command(m.cfg.Bin, "server", "--config", filepath.Join(m.WorkDir, "config", "config.json"))
	cmd.Dir = m.WorkDir
	cmd.Env = environ([]string{"MM_"}, m.settings())
	proc, err := StartProcess("mattermost", cmd, m.cfg.Log)
	if err != nil {
		return err
	}
	if m.proc != nil {
		m.logs = append(m.logs, m.proc.Output())
	}
	m.proc = proc

	timeout := m.cfg.StartTimeout
	if timeout == 0 {
		timeout = 3 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := waitHTTP(ctx, m.URL+"/api/v4/system/ping", proc); err != nil {
		if proc.Exited() {
			return err
		}
		proc.Kill()
		return fmt.Errorf("devstack: Mattermost did not come up on %s: %w\n%s", m.URL, err, Tail(proc.Output(), 60))
	}
	return nil
}

// Stop stops the server (SIGTERM, then SIGKILL after 30 s); Start brings it back.
func (m *Mattermost) Stop() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.proc == nil || m.proc.Exited() {
		return nil
	}
	err := m.proc.Stop(30 * time.Second)
	if err != nil && m.proc.Exited() {
		// Mattermost may exit non-zero on SIGTERM; only a hang is an error here.
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			err = nil
		}
	}
	return err
}

// Kill kills the server with SIGKILL, as a crash would; Start brings it back.
func (m *Mattermost) Kill() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.proc != nil {
		m.proc.Kill()
	}
}

// Running reports whether the server process is alive.
func (m *Mattermost) Running() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.proc != nil && !m.proc.Exited()
}

// Output returns what the server printed, across restarts.
func (m *Mattermost) Output() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := ""
	for _, l := range m.logs {
		out += l
	}
	if m.proc != nil {
		out += m.proc.Output()
	}
	return out
}

// Close stops the server and removes what StartMattermost created (fresh database, temp dir).
func (m *Mattermost) Close() error {
	err := m.Stop()
	if m.createdDB {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if dropErr := DropDatabase(ctx, m.cfg.PostgresAdminURL, m.DatabaseURL); dropErr != nil && err == nil {
			err = dropErr
		}
		m.createdDB = false
	}
	if m.tempDir {
		_ = os.RemoveAll(m.WorkDir)
		m.tempDir = false
	}
	return err
}

// Client returns an anonymous REST client for the server.
func (m *Mattermost) Client() *model.Client4 { return model.NewAPIv4Client(m.URL) }

// waitHTTP polls url until it answers 200, the context ends, or proc (if not nil) exits.
func waitHTTP(ctx context.Context, url string, proc *Process) error {
	client := &http.Client{Timeout: 2 * time.Second}
	var last error
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = fmt.Errorf("GET %s: %s", url, resp.Status)
		} else {
			last = err
		}
		var exited <-chan struct{}
		if proc != nil {
			exited = proc.Done()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last: %v)", ctx.Err(), last)
		case <-exited:
			return errExited(proc)
		case <-time.After(150 * time.Millisecond):
		}
	}
}
