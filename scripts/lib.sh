# shellcheck shell=bash
# Shared helpers for scripts/test, scripts/demo and scripts/build-mattermost.
# Source it; it defines functions and sets ROOT (the repository root). It starts nothing by itself.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { printf '%s %s\n' "[$(basename "$0")]" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# as_root runs a command as root: directly when we are root, else through sudo.
as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
		die "need root to run: $* (install sudo or run as root)"
	fi
}

# pg_bindir prints the newest /usr/lib/postgresql/<version>/bin that has initdb.
pg_bindir() {
	local d best
	# Glob order is lexical (10 < 9): pick the highest version numerically.
	best=$(for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && echo "$d"; done | sort -t/ -k5 -n | tail -n1)
	[ -n "$best" ] && echo "$best"
}

# ensure_packages installs Postgres and Redis with apt-get when they are missing.
ensure_packages() {
	local missing=()
	[ -n "$(pg_bindir)" ] || missing+=(postgresql)
	command -v redis-server >/dev/null || missing+=(redis-server)
	command -v runuser >/dev/null || [ "$(id -u)" != 0 ] || missing+=(util-linux)
	if [ ${#missing[@]} -gt 0 ]; then
		command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
		log "installing ${missing[*]} with apt-get"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
		[ -n "$(pg_bindir)" ] || die "postgresql installed but no /usr/lib/postgresql/*/bin/initdb found"
	fi
}

# ensure_go makes sure a Go toolchain is on PATH.
ensure_go() {
	if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then
		PATH=/usr/local/go/bin:$PATH
	fi
	command -v go >/dev/null || die "Go is not installed (need the version in go.mod; see https://go.dev/doc/install, e.g. into /usr/local/go)"
}

# port_in_use succeeds when something accepts TCP connections on 127.0.0.1:$1.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port prints a TCP port on 127.0.0.1 that nothing listens on (the caller retries on a race).
free_port() {
	local p i
	for i in $(seq 1 50); do
		p=$((20000 + RANDOM % 40000))
		port_in_use "$p" || { echo "$p"; return 0; }
	done
	die "no free TCP port found"
}

# as_postgres runs a command as the postgres user when we are root (initdb refuses root).
as_postgres() {
	if [ "$(id -u)" = 0 ]; then
		id postgres >/dev/null 2>&1 || die "no postgres user (is the postgresql package installed?)"
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# pg_start DATADIR PORT starts a Postgres cluster in DATADIR (initdb first if empty) on 127.0.0.1:PORT,
# TCP only, trust authentication, superuser "postgres". Returns non-zero if the server does not start.
pg_start() {
	local data=$1 port=$2 bin
	bin=$(pg_bindir) || die "Postgres binaries not found"
	if [ ! -s "$data/PG_VERSION" ]; then
		mkdir -p "$data"
		[ "$(id -u)" = 0 ] && chown postgres: "$data"
		chmod 700 "$data"
		as_postgres "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync >"$data.initdb.log" 2>&1 ||
			as_postgres "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C --no-sync >"$data.initdb.log" 2>&1 ||
			{ cat "$data.initdb.log" >&2; die "initdb failed"; }
	fi
	as_postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
		-o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=400 ${PG_EXTRA_OPTS:-}" \
		start >/dev/null
}

# pg_start_any DATADIR starts Postgres as pg_start does on a free port, trying up to five ports
# (another process may take one between the check and the start), and prints the port.
pg_start_any() {
	local data=$1 port attempt
	for attempt in 1 2 3 4 5; do
		port=$(free_port)
		if pg_start "$data" "$port"; then
			echo "$port"
			return 0
		fi
		log "Postgres did not start on port $port (attempt $attempt)"
		tail -n 5 "$data/server.log" >&2 || true
	done
	return 1
}

# pg_stop DATADIR stops the cluster in DATADIR (fast mode), ignoring a cluster that is not running.
pg_stop() {
	local bin
	bin=$(pg_bindir) || return 0
	as_postgres "$bin/pg_ctl" -D "$1" -m fast -w -t 30 stop >/dev/null 2>&1 || true
}

# pg_running DATADIR succeeds when a postmaster runs in DATADIR.
pg_running() {
	local bin
	bin=$(pg_bindir) || return 1
	[ -f "$1/postmaster.pid" ] && as_postgres "$bin/pg_ctl" -D "$1" status >/dev/null 2>&1
}

# redis_start DIR PORT [extra args] starts redis-server daemonized with pid, log and data in DIR.
redis_start() {
	local dir=$1 port=$2 i
	shift 2
	mkdir -p "$dir"
	rm -f "$dir/redis.pid"
	redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --pidfile "$dir/redis.pid" \
		--logfile "$dir/redis.log" --daemonize yes "$@" >/dev/null || return 1
	for i in $(seq 1 100); do
		port_in_use "$port" && [ -s "$dir/redis.pid" ] && return 0
		sleep 0.1
	done
	return 1
}

# redis_start_any DIR [ARGS…] starts Redis as redis_start does on a free port, trying up to five
# ports, and prints the port.
redis_start_any() {
	local dir=$1 port attempt
	shift
	for attempt in 1 2 3 4 5; do
		port=$(free_port)
		if redis_start "$dir" "$port" "$@"; then
			echo "$port"
			return 0
		fi
		log "Redis did not start on port $port (attempt $attempt)"
	done
	return 1
}

# redis_stop DIR stops the redis-server whose pid file is in DIR.
redis_stop() {
	local pid i
	pid=$(cat "$1/redis.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null || return 0
	for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	kill -9 "$pid" 2>/dev/null || true
}

# redis_running DIR succeeds when the redis-server of DIR's pid file is alive.
redis_running() {
	local pid
	pid=$(cat "$1/redis.pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null
}

# build_mattermost builds (or finds in .cache) the Mattermost server and exports
# KIMBOT_TEST_MATTERMOST_BIN and KIMBOT_TEST_MATTERMOST_ASSETS.
build_mattermost() {
	local out
	out=$("$ROOT/scripts/build-mattermost") || die "building Mattermost failed"
	export KIMBOT_TEST_MATTERMOST_BIN=$out/mattermost
	export KIMBOT_TEST_MATTERMOST_ASSETS=$out/assets
}
