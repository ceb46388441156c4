#!/usr/bin/env bash
# Brings up (or reports on) the services the test suites use on this machine: PostgreSQL for
# the storage and multi-apiserver suites. Idempotent; safe to run again. kubectl is expected at
# /usr/bin/kubectl (kubectl v1.32) and is checked, not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-up}" in
  up)
    hack/postgres.sh up
    if ! command -v kubectl >/dev/null 2>&1; then
      echo "hack/services.sh: kubectl is not on PATH; the kubectl end-to-end tests need kubectl v1.32" >&2
      exit 1
    fi
    ;;
  down) hack/postgres.sh down ;;
  status) hack/postgres.sh status ;;
  *) echo "usage: hack/services.sh up|down|status" >&2; exit 2 ;;
esac
