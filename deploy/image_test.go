package deploy

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"debug/buildinfo"
	"debug/elf"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kimbot-nrw/kimbot"
	"github.com/kimbot-nrw/kimbot/devstack"
	"github.com/kimbot-nrw/kimbot/internal/testenv"
	"github.com/kimbot-nrw/kimbot/secret"
	"github.com/kimbot-nrw/kimbot/store"
)

// What the image promises; the Compose file and the chart rely on the same.
const (
	imageEntrypoint = "/usr/local/bin/kimbot"
	imageCAFile     = "/etc/ssl/certs/ca-certificates.crt"
	imagePort       = 8080
)

// ociDescriptor, ociManifest and ociConfig are the parts of the OCI image
// spec the test reads (read by hand, so the test does not trust the builder's library).
type ociDescriptor struct {
	MediaType   string            `json:"mediaType"`
	Digest      string            `json:"digest"`
	Size        int64             `json:"size"`
	Annotations map[string]string `json:"annotations"`
}

type ociManifest struct {
	MediaType string          `json:"mediaType"`
	Config    ociDescriptor   `json:"config"`
	Layers    []ociDescriptor `json:"layers"`
}

type ociConfig struct {
	OS           string `json:"os"`
	Architecture string `json:"architecture"`
	Config       struct {
		User         string              `json:"User"`
		Entrypoint   []string            `json:"Entrypoint"`
		Cmd          []string            `json:"Cmd"`
		Env          []string            `json:"Env"`
		WorkingDir   string              `json:"WorkingDir"`
		ExposedPorts map[string]struct{} `json:"ExposedPorts"`
		Labels       map[string]string   `json:"Labels"`
	} `json:"config"`
	RootFS struct {
		DiffIDs []string `json:"diff_ids"`
	} `json:"rootfs"`
}

// image is a built image, unpacked.
type image struct {
	config    ociConfig
	configRaw []byte
	manifest  ociManifest
	rootfs    string          // the layers unpacked, in order
	files     map[string]bool // every regular file of the layers, by path without the leading slash
	uid, gid  int
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := devstack.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// TestImage builds the image with scripts/image, as the README says, checks what is in it and runs
// its entrypoint from its own file system: `version`, `migrate` against a fresh database, and
// `serve` with `healthcheck` beside it, as a container would.
func TestImage(t *testing.T) {
	root := repoRoot(t)
	m, err := kimbot.LoadManifest()
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	start := time.Now()
	cmd := exec.Command(filepath.Join(root, "scripts", "image"), out)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("scripts/image: %v\n%s", err, stderr.String())
	}
	t.Logf("scripts/image took %s", time.Since(start).Round(time.Millisecond))
	paths := strings.Fields(string(stdout))
	wantOCI, wantTar := filepath.Join(out, "oci"), filepath.Join(out, "kimbot-"+m.Version+".tar")
	if !slices.Equal(paths, []string{wantOCI, wantTar}) {
		t.Fatalf("scripts/image printed %q, want the OCI layout and the tar: %q", paths, []string{wantOCI, wantTar})
	}

	img := readOCILayout(t, wantOCI, m.Version)
	img.uid, img.gid = imageUser(t, img.config.Config.User)
	t.Run("config", func(t *testing.T) { checkConfig(t, img, m.Version) })
	t.Run("files", func(t *testing.T) { checkFiles(t, img) })
	t.Run("binary", func(t *testing.T) { checkBinary(t, img) })
	t.Run("docker-tar", func(t *testing.T) { checkDockerTar(t, wantTar, img, m.Version) })

	t.Run("push", func(t *testing.T) { checkPush(t, wantOCI, img) })

	t.Run("version", func(t *testing.T) {
		got, err := img.run(t, nil, "version").CombinedOutput()
		if err != nil {
			t.Fatalf("kimbot version in the image: %v\n%s", err, got)
		}
		// scripts/image stamps version and commit (the image's revision label) with -ldflags.
		want := fmt.Sprintf("kimbot %s\ncommit: %s\ngo: go", m.Version, img.config.Config.Labels["org.opencontainers.image.revision"])
		if !strings.HasPrefix(string(got), want) {
			t.Errorf("kimbot version printed %q, want %q…", got, want)
		}
	})

	t.Run("migrate-serve-healthcheck", func(t *testing.T) {
		db := testenv.NewDatabase(t)
		key := secret.NewKey()
		env := []string{"KIMBOT_DATABASE_URL=" + db, "KIMBOT_ENCRYPTION_KEY=" + key}
		if got, err := img.run(t, env, "migrate").CombinedOutput(); err != nil {
			t.Fatalf("kimbot migrate in the image: %v\n%s", err, got)
		}
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		var applied int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM goose_db_version WHERE version_id > 0 AND is_applied").Scan(&applied); err != nil {
			t.Fatalf("after kimbot migrate: %v", err)
		}
		migrations, _ := filepath.Glob(filepath.Join(root, "store", "migrations", "*.sql"))
		if applied == 0 || applied != len(migrations) {
			t.Fatalf("kimbot migrate applied %d migrations, want all %d of store/migrations", applied, len(migrations))
		}

		// serve needs what provision stores (the bot token); it talks to Mattermost only when a
		// command or a delivery needs it, so none runs here.
		keys, err := secret.ParseKey(key)
		if err != nil {
			t.Fatal(err)
		}
		s, err := store.Open(ctx, db, keys)
		if err != nil {
			t.Fatal(err)
		}
		err = s.SetInstallation(ctx, "bot_token", "botuserid0000000000000000a", "not-a-real-token")
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		port, err := devstack.FreePort()
		if err != nil {
			t.Fatal(err)
		}
		env = append(env,
			"KIMBOT_LISTEN_ADDR=127.0.0.1:"+strconv.Itoa(port),
			"KIMBOT_REDIS_URL="+testenv.Env(t, "KIMBOT_TEST_REDIS_URL"),
			"KIMBOT_MATTERMOST_URL=http://127.0.0.1:1",
			"KIMBOT_PUBLIC_URL=http://kimbot.invalid",
			"KIMBOT_REMINDER_SCHEDULE=0 0 1 1 *", // no pass while the test runs
		)
		if got, err := img.run(t, env, "healthcheck").CombinedOutput(); err == nil {
			t.Fatalf("kimbot healthcheck succeeded before serve started: %s", got)
		}

		serve := img.run(t, env, "serve")
		var serveOut lockedBuffer
		serve.Stdout, serve.Stderr = &serveOut, &serveOut
		if err := serve.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- serve.Wait() }()
		stopped := false
		defer func() {
			if !stopped {
				serve.Process.Kill()
				<-exited
			}
		}()

		// Ask as a container runtime would, until serve is up (it has to connect first).
		var ready []byte
		deadline := time.Now().Add(60 * time.Second)
		for {
			ready, err = img.run(t, env, "healthcheck").CombinedOutput()
			if err == nil {
				break
			}
			select {
			case werr := <-exited:
				stopped = true
				t.Fatalf("kimbot serve in the image exited: %v\n%s", werr, serveOut.String())
			case <-time.After(200 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				t.Fatalf("kimbot healthcheck never succeeded: %v\n%s\nserve:\n%s", err, ready, serveOut.String())
			}
		}
		if strings.TrimSpace(string(ready)) != "ready" {
			t.Errorf("kimbot healthcheck printed %q, want /readyz's answer \"ready\"", ready)
		}
		if got, err := img.run(t, env, "healthcheck", "/healthz").CombinedOutput(); err != nil || strings.TrimSpace(string(got)) != "ok" {
			t.Errorf("kimbot healthcheck /healthz: %v %q, want ok", err, got)
		}
		if got, err := img.run(t, env, "healthcheck", "/no-such-path").CombinedOutput(); err == nil {
			t.Errorf("kimbot healthcheck /no-such-path succeeded: %s", got)
		}

		// A container runtime stops with SIGTERM: serve shuts down cleanly.
		if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		stopped = true
		if err := <-exited; err != nil {
			t.Fatalf("kimbot serve after SIGTERM: %v\n%s", err, serveOut.String())
		}
		if !strings.Contains(serveOut.String(), "shutting down") {
			t.Errorf("kimbot serve did not log its shutdown:\n%s", serveOut.String())
		}
	})
}

// run prepares the image's entrypoint with args, as a container runtime would start it: as root
// of the test, chrooted into the unpacked image as the image's user, with the image's environment
// and env and nothing of the test's; otherwise the unpacked binary itself, with SSL_CERT_FILE
// pointing at the image's CA file.
func (img *image) run(t *testing.T, env []string, args ...string) *exec.Cmd {
	t.Helper()
	c := img.config.Config
	cmd := &exec.Cmd{Args: append(slices.Clone(c.Entrypoint), args...)}
	cmd.Env = append(slices.Clone(c.Env), env...)
	if os.Geteuid() == 0 {
		cmd.Path = c.Entrypoint[0]
		cmd.Dir = c.WorkingDir
		cmd.SysProcAttr = &syscall.SysProcAttr{
			Chroot:     img.rootfs,
			Credential: &syscall.Credential{Uid: uint32(img.uid), Gid: uint32(img.gid), Groups: []uint32{}},
			Pdeathsig:  syscall.SIGKILL,
		}
	} else {
		cmd.Path = filepath.Join(img.rootfs, c.Entrypoint[0])
		cmd.Dir = img.rootfs
		cmd.Env = append(cmd.Env, "SSL_CERT_FILE="+filepath.Join(img.rootfs, imageCAFile))
	}
	return cmd
}

// readOCILayout reads the layout's one image, verifying every blob's digest, and unpacks its layers.
func readOCILayout(t *testing.T, dir, version string) *image {
	t.Helper()
	var layoutFile struct {
		Version string `json:"imageLayoutVersion"`
	}
	readJSON(t, filepath.Join(dir, "oci-layout"), &layoutFile)
	if layoutFile.Version != "1.0.0" {
		t.Fatalf("oci-layout version %q", layoutFile.Version)
	}
	var index struct {
		Manifests []ociDescriptor `json:"manifests"`
	}
	readJSON(t, filepath.Join(dir, "index.json"), &index)
	if len(index.Manifests) != 1 {
		t.Fatalf("index.json has %d manifests, want 1", len(index.Manifests))
	}
	d := index.Manifests[0]
	if d.MediaType != "application/vnd.oci.image.manifest.v1+json" || d.Annotations["org.opencontainers.image.ref.name"] != version {
		t.Fatalf("index.json's manifest: %+v, want an OCI manifest named %s", d, version)
	}
	img := &image{}
	if err := json.Unmarshal(blob(t, dir, d), &img.manifest); err != nil {
		t.Fatal(err)
	}
	img.configRaw = blob(t, dir, img.manifest.Config)
	if err := json.Unmarshal(img.configRaw, &img.config); err != nil {
		t.Fatal(err)
	}
	if len(img.manifest.Layers) == 0 || len(img.manifest.Layers) != len(img.config.RootFS.DiffIDs) {
		t.Fatalf("%d layers, %d diff ids", len(img.manifest.Layers), len(img.config.RootFS.DiffIDs))
	}
	img.rootfs = filepath.Join(t.TempDir(), "rootfs")
	if err := os.Mkdir(img.rootfs, 0o755); err != nil {
		t.Fatal(err)
	}
	img.files = map[string]bool{}
	for i, l := range img.manifest.Layers {
		if l.MediaType != "application/vnd.oci.image.layer.v1.tar+gzip" {
			t.Fatalf("layer %d has media type %s", i, l.MediaType)
		}
		zr, err := gzip.NewReader(bytes.NewReader(blob(t, dir, l)))
		if err != nil {
			t.Fatal(err)
		}
		raw, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if got := digestOf(raw); got != img.config.RootFS.DiffIDs[i] {
			t.Fatalf("layer %d: uncompressed digest %s, config says %s", i, got, img.config.RootFS.DiffIDs[i])
		}
		unpack(t, raw, img.rootfs, img.files)
	}
	return img
}

// unpack extracts a layer; it holds only directories and regular files, owned by root.
func unpack(t *testing.T, layer []byte, root string, files map[string]bool) {
	t.Helper()
	tr := tar.NewReader(bytes.NewReader(layer))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		name := path.Clean(strings.TrimPrefix(h.Name, "/"))
		if name == ".." || strings.HasPrefix(name, "../") || strings.Contains(path.Base(name), ".wh.") {
			t.Fatalf("unexpected layer entry %q", h.Name)
		}
		if h.Uid != 0 || h.Gid != 0 {
			t.Errorf("%s is owned by %d:%d, want root: the image's user must not be able to change it", name, h.Uid, h.Gid)
		}
		target := filepath.Join(root, filepath.FromSlash(name))
		mode := os.FileMode(h.Mode & 0o777)
		if h.Mode&0o1000 != 0 {
			mode |= os.ModeSticky
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				t.Fatal(err)
			}
		case tar.TypeReg:
			data, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(target, data, 0o600); err != nil {
				t.Fatal(err)
			}
			files[name] = true
		default:
			t.Fatalf("layer entry %s has type %q: the image has only directories and regular files", name, h.Typeflag)
		}
		if err := os.Chmod(target, mode); err != nil {
			t.Fatal(err)
		}
	}
}

func checkConfig(t *testing.T, img *image, version string) {
	c := img.config.Config
	if img.config.OS != "linux" || img.config.Architecture == "" {
		t.Errorf("platform %s/%s", img.config.OS, img.config.Architecture)
	}
	if !slices.Equal(c.Entrypoint, []string{imageEntrypoint}) || !slices.Equal(c.Cmd, []string{"serve"}) {
		t.Errorf("Entrypoint %q Cmd %q, want [%s] [serve]", c.Entrypoint, c.Cmd, imageEntrypoint)
	}
	if !slices.Contains(c.Env, fmt.Sprintf("KIMBOT_LISTEN_ADDR=0.0.0.0:%d", imagePort)) {
		t.Errorf("Env %q: serve must listen on every address of the container", c.Env)
	}
	if _, ok := c.ExposedPorts[fmt.Sprintf("%d/tcp", imagePort)]; !ok {
		t.Errorf("ExposedPorts %v", c.ExposedPorts)
	}
	if c.Labels["org.opencontainers.image.version"] != version || c.Labels["org.opencontainers.image.revision"] == "" {
		t.Errorf("labels %v, want version %s and a revision", c.Labels, version)
	}
}

// imageUser parses the config's User: numeric uid:gid, both non-zero, so that Kubernetes'
// runAsNonRoot can check it without looking into /etc/passwd.
func imageUser(t *testing.T, user string) (uid, gid int) {
	t.Helper()
	u, g, ok := strings.Cut(user, ":")
	uid, err1 := strconv.Atoi(u)
	gid, err2 := strconv.Atoi(g)
	if !ok || err1 != nil || err2 != nil || uid == 0 || gid == 0 {
		t.Fatalf("the image's User is %q, want numeric uid:gid, both non-zero", user)
	}
	return uid, gid
}

func checkFiles(t *testing.T, img *image) {
	// Exactly these files: no shell, no package manager, nothing to exec but kimbot.
	var got []string
	for f := range img.files {
		got = append(got, f)
	}
	slices.Sort(got)
	want := []string{"etc/group", "etc/passwd", imageCAFile[1:], imageEntrypoint[1:]}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("files in the image: %q, want exactly %q", got, want)
	}
	for _, sh := range []string{"bin/sh", "bin/bash", "bin/busybox", "usr/bin/sh"} {
		if _, err := os.Lstat(filepath.Join(img.rootfs, sh)); err == nil {
			t.Errorf("the image has a shell: /%s", sh)
		}
	}
	fi, err := os.Stat(filepath.Join(img.rootfs, imageEntrypoint))
	if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o755 {
		t.Errorf("entrypoint %s: %v %v, want a regular file with mode 0755", imageEntrypoint, fi, err)
	}
	if fi, err := os.Stat(filepath.Join(img.rootfs, "tmp")); err != nil || fi.Mode()&os.ModeSticky == 0 || fi.Mode().Perm() != 0o777 {
		t.Errorf("/tmp: %v %v, want a sticky world-writable directory", fi, err)
	}

	// The user of the config has an /etc/passwd entry (and its group one in /etc/group).
	userLine := fmt.Sprintf(":x:%d:%d:", img.uid, img.gid)
	if !hasLine(t, filepath.Join(img.rootfs, "etc/passwd"), func(l string) bool { return strings.Contains(l, userLine) }) {
		t.Errorf("/etc/passwd has no entry for %d:%d", img.uid, img.gid)
	}
	groupLine := fmt.Sprintf(":x:%d:", img.gid)
	if !hasLine(t, filepath.Join(img.rootfs, "etc/group"), func(l string) bool { return strings.Contains(l, groupLine) }) {
		t.Errorf("/etc/group has no group %d", img.gid)
	}

	// A CA bundle that Go's crypto/x509 reads (it looks at this path first on Linux).
	pemData, err := os.ReadFile(filepath.Join(img.rootfs, imageCAFile))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rest := pemData; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if _, err := x509.ParseCertificate(b.Bytes); err != nil {
			t.Errorf("CA bundle: %v", err)
		}
		n++
	}
	if n < 100 {
		t.Errorf("CA bundle has %d certificates, want the public roots (over 100)", n)
	}
}

func checkBinary(t *testing.T, img *image) {
	exe := filepath.Join(img.rootfs, imageEntrypoint)
	f, err := elf.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("%s has an ELF interpreter: not a static binary", imageEntrypoint)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("%s needs shared libraries %q", imageEntrypoint, libs)
	}
	bi, err := buildinfo.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if settings["CGO_ENABLED"] != "0" || settings["-trimpath"] != "true" || settings["GOOS"] != "linux" {
		t.Errorf("build settings %v, want CGO_ENABLED=0, -trimpath, GOOS=linux", settings)
	}
	// Time zone data in the binary: the image has no /usr/share/zoneinfo, and kimbot needs
	// Europe/Berlin (package kim panics at start without it, so the version subtest run in a chroot
	// proves it too).
	tags := strings.Split(settings["-tags"], ",")
	if !slices.Contains(tags, "timetzdata") {
		t.Errorf("build tags %q, want timetzdata", settings["-tags"])
	}
	if slices.Contains(tags, "kimbottest") {
		t.Errorf("build tags %q: the image's binary must be a release build without test hooks", settings["-tags"])
	}
	if bi.Path != "github.com/kimbot-nrw/kimbot/cmd/kimbot" {
		t.Errorf("the entrypoint is %s, want cmd/kimbot", bi.Path)
	}
}

// checkDockerTar checks that the tar for `docker load` holds the same image, tagged.
func checkDockerTar(t *testing.T, tarPath string, img *image, version string) {
	f, err := os.Open(tarPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entries := map[string][]byte{}
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		entries[h.Name] = b
	}
	var manifest []struct {
		Config   string
		RepoTags []string
		Layers   []string
	}
	if err := json.Unmarshal(entries["manifest.json"], &manifest); err != nil || len(manifest) != 1 {
		t.Fatalf("manifest.json of the tar: %v %d entries", err, len(manifest))
	}
	m := manifest[0]
	tags := slices.Clone(m.RepoTags)
	slices.Sort(tags)
	if !slices.Equal(tags, []string{"kimbot:" + version, "kimbot:latest"}) {
		t.Errorf("RepoTags %q", m.RepoTags)
	}
	if !bytes.Equal(entries[m.Config], img.configRaw) {
		t.Errorf("the tar's config %s differs from the OCI layout's", m.Config)
	}
	if len(m.Layers) != len(img.manifest.Layers) {
		t.Fatalf("the tar has %d layers, the OCI layout %d", len(m.Layers), len(img.manifest.Layers))
	}
	for i, l := range m.Layers {
		if got := digestOf(entries[l]); got != img.manifest.Layers[i].Digest {
			t.Errorf("layer %d of the tar: %s, OCI layout: %s", i, got, img.manifest.Layers[i].Digest)
		}
	}
}

// lockedBuffer collects a process's output while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// checkPush pushes the OCI layout with crane, as the README says, to a registry of crane's own
// (in memory, on loopback) and reads back the manifest's digest and the config.
func checkPush(t *testing.T, ociDir string, img *image) {
	port, err := devstack.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	reg := toolCommand(t, "KIMBOT_TEST_CRANE", "crane", "registry", "serve", "--address", addr)
	var regOut lockedBuffer
	reg.Stdout, reg.Stderr = &regOut, &regOut
	reg.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := reg.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { reg.Process.Kill(); reg.Wait() }()
	for deadline := time.Now().Add(60 * time.Second); ; {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("crane registry serve does not listen on %s: %v\n%s", addr, err, regOut.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	ref := addr + "/kim/kimbot:" + img.config.Config.Labels["org.opencontainers.image.version"]
	crane := func(args ...string) string {
		t.Helper()
		out, err := toolCommand(t, "KIMBOT_TEST_CRANE", "crane", args...).CombinedOutput()
		if err != nil {
			t.Fatalf("crane %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	crane("push", ociDir, ref)
	var index struct{ Manifests []ociDescriptor }
	readJSON(t, filepath.Join(ociDir, "index.json"), &index)
	if got := crane("digest", ref); got != index.Manifests[0].Digest {
		t.Errorf("the registry has %s, the OCI layout %s", got, index.Manifests[0].Digest)
	}
	if got := crane("config", ref); got != strings.TrimSpace(string(img.configRaw)) {
		t.Errorf("the registry's config differs from the layout's:\n%s\n%s", got, img.configRaw)
	}
}

func blob(t *testing.T, dir string, d ociDescriptor) []byte {
	t.Helper()
	alg, hexDigest, ok := strings.Cut(d.Digest, ":")
	if !ok || alg != "sha256" {
		t.Fatalf("digest %q", d.Digest)
	}
	b, err := os.ReadFile(filepath.Join(dir, "blobs", alg, hexDigest))
	if err != nil {
		t.Fatal(err)
	}
	if digestOf(b) != d.Digest || int64(len(b)) != d.Size {
		t.Fatalf("blob %s: digest or size (%d, want %d) wrong", d.Digest, len(b), d.Size)
	}
	return b
}

func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

func readJSON(t *testing.T, file string, v any) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

func hasLine(t *testing.T, file string, match func(string) bool) bool {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if match(sc.Text()) {
			return true
		}
	}
	return false
}
