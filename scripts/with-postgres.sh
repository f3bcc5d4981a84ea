#!/usr/bin/env bash
# Run a command against PostgreSQL: scripts/with-postgres.sh pytest -m "not browser"
#
# If DATABASE_URL is already set, the command simply runs against that database.
# Otherwise a throwaway PostgreSQL cluster is started for the duration of the command:
#   * Debian's postgresql package is installed if no initdb is found (needs root, as on CI);
#   * initdb refuses to run as root, so the cluster runs as the `postgres` user, with its data
#     and socket in a fresh mktemp directory (a repo under a mode-700 home is not reachable);
#   * it listens on a free loopback port with trust auth and no durability (fsync off);
#   * it is stopped and deleted when the command ends, whether it passed, failed or was killed.
# The command's exit code is passed through.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 2
fi

if [[ -n "${DATABASE_URL:-}" ]]; then
  echo "with-postgres: DATABASE_URL is set; using it as it is." >&2
  exec "$@"
fi

find_bindir() {
  local initdb
  for initdb in /usr/lib/postgresql/*/bin/initdb; do
    [[ -x "$initdb" ]] && { dirname "$initdb"; }
  done | sort -V | tail -n 1
}

PG_BIN="$(find_bindir)"
if [[ -z "$PG_BIN" ]]; then
  echo "with-postgres: no PostgreSQL server found; installing Debian's postgresql." >&2
  "$(dirname "$0")/apt-ensure.sh" postgresql
  PG_BIN="$(find_bindir)"
  [[ -n "$PG_BIN" ]] || { echo "with-postgres: initdb still missing after install" >&2; exit 1; }
fi

as_postgres() {
  if [[ "$(id -u)" -eq 0 ]]; then
    runuser -u postgres -- "$@"
  elif [[ "$(id -un)" == postgres ]]; then
    "$@"
  else
    echo "with-postgres: must run as root (to start the cluster as 'postgres') or as postgres." >&2
    exit 1
  fi
}

free_port() {
  python3 - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

PG_DIR="$(mktemp -d /tmp/finsam-pg.XXXXXX)"
chmod 700 "$PG_DIR"
[[ "$(id -u)" -eq 0 ]] && chown postgres:postgres "$PG_DIR"
PG_PORT="$(free_port)"
started=0

cleanup() {
  local rc=$?
  if [[ $started -eq 1 ]]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_postgres "$PG_BIN/initdb" --no-sync -D "$PG_DIR/data" -U postgres -A trust -E UTF8 \
  --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
  || { cat "$PG_DIR/initdb.log" >&2; exit 1; }
started=1  # from here on, cleanup stops the server (harmless if it never came up)
as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
  -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null \
  || { cat "$PG_DIR/server.log" >&2; exit 1; }

# Through the cluster's Unix socket: each of the suite's many small queries skips the TCP stack.
export DATABASE_URL="postgres://postgres@/postgres?host=${PG_DIR}&port=${PG_PORT}"
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on ${PG_DIR}/.s.PGSQL.${PG_PORT} and 127.0.0.1:${PG_PORT} (throwaway)" >&2

# The command runs in the background so that a signal reaches this script at once (bash would
# otherwise wait for a foreground command to end before running a trap). Async commands start
# with SIGINT ignored, so both INT and TERM are passed on to it as TERM; then cleanup runs.
child=
stop_child() { [[ -n "$child" ]] && kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit "$1"; }
trap 'stop_child 130' INT
trap 'stop_child 143' TERM
"$@" &
child=$!
set +e
wait "$child"
rc=$?
set -e
exit $rc
