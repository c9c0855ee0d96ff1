#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on 127.0.0.1 for the integration tests and exports
# PRIVSEG_PG_URL. Installs Debian's postgresql package when the server binaries are missing.
# Source it: `. .ci/postgres.sh`. Stop it with `pg_stop` (defined here) or let the machine end.
set -euo pipefail

PG_PORT="${PRIVSEG_PG_PORT:-54329}"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/postgres" ]; then
  echo "installing PostgreSQL (Debian package postgresql)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

PG_DIR=$(mktemp -d /tmp/privseg-pg.XXXXXX)
chown postgres:postgres "$PG_DIR"
# PostgreSQL refuses to run as root: run it as the package's postgres user, from a directory
# that user may enter.
as_postgres() { (cd / && runuser -u postgres -- "$@"); }
as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres --no-sync >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
  -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_DIR -c fsync=off" start >/dev/null
as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres privseg

export PRIVSEG_PG_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/privseg?user=postgres"
# For the fault tests that restart this throwaway server under load (ServiceFaultTest).
export PRIVSEG_PG_CTL="$PG_BIN/pg_ctl" PRIVSEG_PG_DATA="$PG_DIR/data"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"

pg_stop() {
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null || true
  rm -rf "$PG_DIR"
}
