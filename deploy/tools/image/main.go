// Command image writes kimbot's container image without a Docker daemon:
// the static kimbot binary on an empty base with a non-root user, CA
// certificates and nothing else (no shell, no package manager).
//
//	go run ./image -binary PATH -out DIR -version V [-revision R] [-created UNIX] [-ca-file PEM]
//
// It writes DIR/oci (an OCI image layout, for crane, skopeo, podman or a
// registry push) and DIR/kimbot-V.tar (loadable with `docker load`, tagged
// kimbot:V and kimbot:latest) and prints both paths. scripts/image builds the
// binary and calls it; see README.md.
//
// The image is reproducible: every file has the time -created (default 0),
// owner root and a fixed mode, so the same binary gives the same digest.
package main

import (
	"archive/tar"
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"golang.org/x/crypto/x509roots/fallback/bundle"
)

// The image's fixed facts; deploy/deploy_test.go, the Compose file and the
// Helm chart rely on them.
const (
	entrypoint = "/usr/local/bin/kimbot"
	uid, gid   = 65532, 65532
	userName   = "kimbot"
	caFile     = "/etc/ssl/certs/ca-certificates.crt"
	listenAddr = "0.0.0.0:8080"
	port       = "8080/tcp"
	repository = "kimbot"
	sourceURL  = "https://github.com/kimbot-nrw/kimbot"
)

func main() {
	binary := flag.String("binary", "", "the static kimbot binary (linux)")
	out := flag.String("out", "", "output directory")
	version := flag.String("version", "", "image version (tag and label)")
	revision := flag.String("revision", "", "source revision (label), optional")
	created := flag.Int64("created", 0, "creation time and file times, Unix seconds (SOURCE_DATE_EPOCH)")
	ca := flag.String("ca-file", "", "PEM bundle of CA certificates; default: the Mozilla roots of golang.org/x/crypto/x509roots/fallback")
	arch := flag.String("arch", runtime.GOARCH, "GOARCH the binary was built for")
	flag.Parse()
	if *binary == "" || *out == "" || *version == "" {
		fmt.Fprintln(os.Stderr, "usage: image -binary PATH -out DIR -version V [-revision R] [-created UNIX] [-ca-file PEM] [-arch GOARCH]")
		os.Exit(2)
	}
	ociDir, tarPath, err := build(*binary, *out, *version, *revision, time.Unix(*created, 0).UTC(), *ca, *arch)
	if err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
	fmt.Println(ociDir)
	fmt.Println(tarPath)
}

func build(binary, out, version, revision string, created time.Time, caPath, arch string) (ociDir, tarPath string, err error) {
	exe, err := os.ReadFile(binary)
	if err != nil {
		return "", "", err
	}
	certs, err := caBundle(caPath)
	if err != nil {
		return "", "", err
	}
	passwd := fmt.Sprintf("root:x:0:0:root:/nonexistent:/sbin/nologin\n%s:x:%d:%d:%s:/nonexistent:/sbin/nologin\n", userName, uid, gid, userName)
	group := fmt.Sprintf("root:x:0:\n%s:x:%d:\n", userName, gid)
	base, err := layer(created, []entry{
		{path: "etc/", mode: 0o755},
		{path: "etc/passwd", mode: 0o644, data: []byte(passwd)},
		{path: "etc/group", mode: 0o644, data: []byte(group)},
		{path: "etc/ssl/", mode: 0o755},
		{path: "etc/ssl/certs/", mode: 0o755},
		{path: caFile[1:], mode: 0o644, data: certs},
		{path: "tmp/", mode: 0o1777},
	})
	if err != nil {
		return "", "", err
	}
	app, err := layer(created, []entry{
		{path: "usr/", mode: 0o755},
		{path: "usr/local/", mode: 0o755},
		{path: "usr/local/bin/", mode: 0o755},
		{path: entrypoint[1:], mode: 0o755, data: exe},
	})
	if err != nil {
		return "", "", err
	}

	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err = mutate.Append(img,
		mutate.Addendum{Layer: base, MediaType: types.OCILayer, History: v1.History{
			Created: v1.Time{Time: created}, CreatedBy: "kimbot image: /etc/passwd, /etc/group, CA certificates, /tmp"}},
		mutate.Addendum{Layer: app, MediaType: types.OCILayer, History: v1.History{
			Created: v1.Time{Time: created}, CreatedBy: "kimbot image: " + entrypoint}},
	)
	if err != nil {
		return "", "", err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return "", "", err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture, cf.Created = "linux", arch, v1.Time{Time: created}
	labels := map[string]string{
		"org.opencontainers.image.title":   "kimbot",
		"org.opencontainers.image.version": version,
		"org.opencontainers.image.source":  sourceURL,
		"org.opencontainers.image.created": created.Format(time.RFC3339),
	}
	if revision != "" {
		labels["org.opencontainers.image.revision"] = revision
	}
	cf.Config = v1.Config{
		User:         fmt.Sprintf("%d:%d", uid, gid),
		Entrypoint:   []string{entrypoint},
		Cmd:          []string{"serve"},
		Env:          []string{"KIMBOT_LISTEN_ADDR=" + listenAddr},
		ExposedPorts: map[string]struct{}{port: {}},
		WorkingDir:   "/",
		Labels:       labels,
	}
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		return "", "", err
	}

	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", "", err
	}
	ociDir = filepath.Join(out, "oci")
	if err := os.RemoveAll(ociDir); err != nil {
		return "", "", err
	}
	p, err := layout.Write(ociDir, empty.Index)
	if err != nil {
		return "", "", err
	}
	if err := p.AppendImage(img, layout.WithAnnotations(map[string]string{
		"org.opencontainers.image.ref.name": version,
	})); err != nil {
		return "", "", err
	}
	refs := map[name.Reference]v1.Image{}
	for _, t := range []string{version, "latest"} {
		tag, err := name.NewTag(repository + ":" + t)
		if err != nil {
			return "", "", fmt.Errorf("version %q is not a valid image tag: %w", version, err)
		}
		refs[tag] = img
	}
	tarPath = filepath.Join(out, "kimbot-"+version+".tar")
	if err := tarball.MultiRefWriteToFile(tarPath, refs); err != nil {
		return "", "", err
	}
	return ociDir, tarPath, nil
}

// caBundle returns the PEM bundle of CA certificates for the image.
func caBundle(path string) ([]byte, error) {
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if !x509.NewCertPool().AppendCertsFromPEM(b) {
			return nil, fmt.Errorf("%s holds no PEM certificate", path)
		}
		return b, nil
	}
	// The Mozilla roots as Go carries them. A few have a constraint (such as
	// "distrust certificates issued after"), which a PEM file cannot say; they
	// are included, as Debian's ca-certificates includes them.
	var b bytes.Buffer
	n := 0
	for r := range bundle.Roots() {
		if _, err := x509.ParseCertificate(r.Certificate); err != nil {
			return nil, fmt.Errorf("x509roots: %w", err)
		}
		if err := pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: r.Certificate}); err != nil {
			return nil, err
		}
		n++
	}
	if n == 0 {
		return nil, errors.New("x509roots: no root certificates")
	}
	return b.Bytes(), nil
}

// entry is a file (data) or, with a trailing slash, a directory of a layer.
type entry struct {
	path string
	mode int64
	data []byte
}

// layer makes an uncompressed tar of the entries, owned by root, all with
// the time t, and wraps it as a gzip-compressed OCI layer.
func layer(t time.Time, entries []entry) (v1.Layer, error) {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, e := range entries {
		h := &tar.Header{Name: e.path, Mode: e.mode, ModTime: t, Uname: "root", Gname: "root"}
		if e.path[len(e.path)-1] == '/' {
			h.Typeflag = tar.TypeDir
		} else {
			h.Typeflag, h.Size = tar.TypeReg, int64(len(e.data))
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(e.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	data := b.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}, tarball.WithMediaType(types.OCILayer))
}
