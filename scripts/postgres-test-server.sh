#!/usr/bin/env bash
# A throwaway PostgreSQL for the test suite and CI, from Debian's packages, reachable on 127.0.0.1 only.
#
#   scripts/postgres-test-server.sh start [DIR]   # prints the connection string on stdout (the last line)
#   scripts/postgres-test-server.sh stop  [DIR]   # stops the server and deletes DIR
#
# DIR (default: a new temporary folder) holds the cluster, its log, its unix socket and the connection string in
# DIR/connection-string. Installs the `postgresql` package with apt-get when initdb/pg_ctl are missing. PostgreSQL
# refuses to run as root, so as root the server runs as the `postgres` user (runuser). Authentication is `trust`
# for TCP from 127.0.0.1/::1 only (listen_addresses is 127.0.0.1, no other host can connect); the unix socket lives
# in DIR, never in a shared /var/run/postgresql or /tmp. It is for tests: fsync is off and nothing survives a stop.
#
#   conn="$(scripts/postgres-test-server.sh start /tmp/pg)"; export CHATOPS_TEST_POSTGRES="$conn"
set -euo pipefail

usage() { echo "usage: $0 start|stop [DIR]" >&2; exit 2; }
[ $# -ge 1 ] || usage
command="$1"; dir="${2:-}"

find_bin() {
  local name="$1" candidate
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$candidate/$name" ]; then echo "$candidate/$name"; return 0; fi
  done
  return 1
}

ensure_binaries() {
  if find_bin initdb >/dev/null && find_bin pg_ctl >/dev/null; then return 0; fi
  echo "postgres-test-server: installing PostgreSQL from Debian's packages" >&2
  if [ "$(id -u)" -ne 0 ]; then echo "postgres-test-server: initdb/pg_ctl missing and not root: install 'postgresql'" >&2; exit 1; fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  # The package's own cluster is not wanted; only the binaries are.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
  find_bin initdb >/dev/null && find_bin pg_ctl >/dev/null || { echo "postgres-test-server: initdb/pg_ctl not found after install" >&2; exit 1; }
}

# Runs a command as the server's user: `postgres` when we are root, ourselves otherwise.
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 - <<'EOF' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

start() {
  ensure_binaries
  local initdb pg_ctl port
  initdb="$(find_bin initdb)"; pg_ctl="$(find_bin pg_ctl)"
  if [ -z "$dir" ]; then dir="$(mktemp -d "${TMPDIR:-/tmp}/chatops-pg.XXXXXX")"; fi
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  chmod 0700 "$dir"

  as_server_user "$initdb" -D "$dir/data" -U chatops --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-instructions >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # Only loopback TCP, trust only from loopback; the socket stays in DIR.
  cat >"$dir/data/pg_hba.conf" <<'EOF'
local all all trust
host all all 127.0.0.1/32 trust
host all all ::1/128 trust
EOF
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir/data/pg_hba.conf"; fi

  for attempt in 1 2 3 4 5; do
    port="$(free_port)"
    if as_server_user "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c unix_socket_permissions=0700 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      >/dev/null; then
      local conn="Host=127.0.0.1;Port=$port;Username=chatops;Database=postgres"
      echo "$conn" >"$dir/connection-string"
      echo "postgres-test-server: PostgreSQL on 127.0.0.1:$port, data in $dir" >&2
      echo "$conn"
      return 0
    fi
    echo "postgres-test-server: start on port $port failed (attempt $attempt)" >&2
    tail -n 5 "$dir/server.log" >&2 || true
  done
  exit 1
}

stop() {
  [ -n "$dir" ] || usage
  [ -d "$dir" ] || return 0
  local pg_ctl
  pg_ctl="$(find_bin pg_ctl)" || true
  if [ -n "$pg_ctl" ] && [ -f "$dir/data/postmaster.pid" ]; then
    as_server_user "$pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "$command" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
