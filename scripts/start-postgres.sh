#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on loopback for the test suite and prints the connection URL.
# Installs Debian's postgresql when it is missing. Usage: eval "$(scripts/start-postgres.sh)"
set -euo pipefail
PORT="${PGPORT_TEST:-54329}"
DIR="${PGDATA_TEST:-/tmp/autotask-sync-pg}"

find_bin() {
  local b
  for b in /usr/lib/postgresql/*/bin/"$1"; do
    [ -x "$b" ] && { echo "$b"; return 0; }
  done
  command -v "$1" 2>/dev/null || return 1
}

if ! find_bin initdb >/dev/null; then
  echo "installing postgresql from Debian packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
INITDB=$(find_bin initdb)
PG_CTL=$(find_bin pg_ctl)

RUN_AS=()
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
  RUN_AS=(runuser -u postgres --)
fi

if [ ! -f "$DIR/PG_VERSION" ]; then
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [ "$(id -u)" = "0" ] && chown postgres "$DIR"
  "${RUN_AS[@]}" "$INITDB" -D "$DIR" -U postgres --auth=trust -E UTF8 >/dev/null
fi
if ! "${RUN_AS[@]}" "$PG_CTL" -D "$DIR" status >/dev/null 2>&1; then
  "${RUN_AS[@]}" "$PG_CTL" -D "$DIR" -l "$DIR/server.log" -w \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" start >&2
fi
echo "export TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$PORT/postgres"
