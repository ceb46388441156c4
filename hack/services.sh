#!/usr/bin/env bash
# Brings up (or reports on) what the test suites use on this machine: the local estate of
# hack/estate.sh (PostgreSQL, Docker Engine with docker-compose, OCI registries with test images,
# Prometheus, the Nomad and ECS contract fakes, sshd on 127.0.0.2-4 from Debian openssh-server, and
# HAProxy and nginx in front of the examples' web ports, whose binaries the router conformance suite
# also starts instances of; their Debian services stay off), headless Debian chromium (the
# dashboard's browser tests), and the clients the conformance tests drive: the official Kubernetes
# Python client (Debian python3-kubernetes). Idempotent; safe to run again. kubectl v1.32 is
# expected at /usr/bin/kubectl and is checked, not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-up}" in
  up)
    hack/estate.sh up >/dev/null
    # shellcheck source=estate/lib.sh
    . hack/estate/lib.sh
    ensure_packages python3-kubernetes chromium
    if ! command -v kubectl >/dev/null 2>&1; then
      echo "hack/services.sh: kubectl is not on PATH; the kubectl end-to-end tests need kubectl v1.32" >&2
      exit 1
    fi
    ;;
  down) hack/estate.sh down ;;
  status) hack/estate.sh status ;;
  *) echo "usage: hack/services.sh up|down|status" >&2; exit 2 ;;
esac
