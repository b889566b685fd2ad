package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// healthcheck is `kimbot healthcheck [PATH]`: it asks the `kimbot serve` of
// its own container for PATH (default /readyz; /healthz for liveness) on
// KIMBOT_LISTEN_ADDR and fails unless the answer is 200. The container image
// has no shell and no curl, so Compose's health check runs this.
func healthcheck(ctx context.Context, args []string) error {
	path := "/readyz"
	if len(args) > 0 {
		path = args[0]
	}
	if len(args) > 1 || !strings.HasPrefix(path, "/") {
		return fmt.Errorf("usage: kimbot healthcheck [/readyz|/healthz]")
	}
	addr := strings.TrimSpace(os.Getenv("KIMBOT_LISTEN_ADDR"))
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("KIMBOT_LISTEN_ADDR=%q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1" // serve listens on every address, this one included
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	url := "http://" + net.JoinHostPort(host, port) + path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s %s", url, resp.Status, strings.TrimSpace(string(body)))
	}
	fmt.Print(string(body))
	return nil
}
