// Package devstack runs the pieces kimbot talks to on a developer's machine or in CI: a real
// Mattermost server (built by scripts/build-mattermost), databases on a Postgres server, and
// kimbot's own subprocesses (migrate, provision, serve, remind). It also offers a small REST
// client per Mattermost user that acts exactly as a person would: run slash commands, read
// direct messages and channel posts, press buttons.
//
// The end-to-end tests (package e2e) and the demo (cmd/kimdemo) are built on it. Every process it
// starts is tied to the calling process (it dies with it on Linux) and collects its output, so a
// failing test can show what the server said.
package devstack
