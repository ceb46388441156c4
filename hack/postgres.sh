#!/usr/bin/env bash
# Local PostgreSQL for Stella's tests: `hack/postgres.sh up|down|status`.
# Idempotent. Works as root on a fresh Debian 12 without systemd: installs the `postgresql` package
# when missing (apt-get update only when the package is unknown), creates and starts the cluster,
# creates the role and the test database, and prints the URL that the tests read from
# STELLA_TEST_DATABASE_URL. Role, password and database can be overridden by environment.
set -euo pipefail

PG_USER=${STELLA_PG_USER:-stella}
PG_PASSWORD=${STELLA_PG_PASSWORD:-stella}
PG_DB=${STELLA_PG_DB:-stella_test}
CLUSTER=${STELLA_PG_CLUSTER:-main}

log() { echo "postgres.sh: $*" >&2; }
die() { log "$*"; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "must run as root (or with sudo) to: $*"; fi
}

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"
  else as_root runuser -u postgres -- "$@"; fi
}

install_postgres() {
  [ -n "$(pg_version)" ] && return 0
  log "installing postgresql"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-cache show postgresql >/dev/null 2>&1; then as_root apt-get update -q; fi
  as_root apt-get install -y -q postgresql >&2
}

# The newest installed server version (a client-only install has no bin/postgres).
pg_version() {
  local dir
  for dir in /usr/lib/postgresql/*/; do
    if [ -x "${dir}bin/postgres" ]; then basename "$dir"; fi
  done | sort -V | tail -n 1
}

# Fields of `pg_lsclusters -h`: version cluster port status owner datadir logfile.
cluster_line() { pg_lsclusters -h 2>/dev/null | awk -v v="$1" -v c="$CLUSTER" '$1 == v && $2 == c'; }
cluster_port() { cluster_line "$1" | awk '{print $3}'; }
cluster_online() { cluster_line "$1" | awk '{print $4}' | grep -q '^online'; }

psql_admin() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" -d postgres "$@"; }

ensure_role_and_db() {
  local exists
  exists=$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")
  if [ "$exists" != 1 ]; then
    psql_admin -c "CREATE ROLE \"$PG_USER\" LOGIN CREATEDB PASSWORD '$PG_PASSWORD'"
  else
    psql_admin -c "ALTER ROLE \"$PG_USER\" LOGIN CREATEDB PASSWORD '$PG_PASSWORD'"
  fi
  exists=$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")
  if [ "$exists" != 1 ]; then
    psql_admin -c "CREATE DATABASE \"$PG_DB\" OWNER \"$PG_USER\""
  fi
}

wait_ready() {
  for _ in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p "$PORT" && return 0
    sleep 0.5
  done
  die "PostgreSQL $V/$CLUSTER did not become ready on port $PORT"
}

up() {
  install_postgres
  V=$(pg_version)
  [ -n "$V" ] || die "no PostgreSQL server under /usr/lib/postgresql"
  if [ -z "$(cluster_line "$V")" ]; then
    log "creating cluster $V/$CLUSTER"
    as_root pg_createcluster "$V" "$CLUSTER" >&2
  fi
  as_root install -d -o postgres -g postgres -m 2775 /var/run/postgresql
  if ! cluster_online "$V"; then
    log "starting cluster $V/$CLUSTER"
    as_root pg_ctlcluster --skip-systemctl-redirect "$V" "$CLUSTER" start
  fi
  PORT=$(cluster_port "$V")
  wait_ready
  ensure_role_and_db
  echo "postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:$PORT/$PG_DB"
}

down() {
  V=$(pg_version)
  [ -n "$V" ] || { log "postgresql is not installed"; return 0; }
  if [ -n "$V" ] && cluster_online "$V"; then
    as_root pg_ctlcluster --skip-systemctl-redirect "$V" "$CLUSTER" stop
    log "stopped cluster $V/$CLUSTER"
  else
    log "cluster is not running"
  fi
}

status() {
  V=$(pg_version)
  [ -n "$V" ] || { echo "not installed"; exit 3; }
  if [ -n "$V" ] && cluster_online "$V"; then
    echo "running: cluster $V/$CLUSTER on port $(cluster_port "$V")"
  else
    echo "stopped"; exit 3
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: hack/postgres.sh up|down|status" >&2; exit 2 ;;
esac
