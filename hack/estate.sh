#!/usr/bin/env bash
# The local estate: `hack/estate.sh up|down|status`. Run as root on Debian 12, no systemd needed.
#   up      installs what is missing (apt-get) and starts, each only if not already running:
#           PostgreSQL (hack/postgres.sh), dockerd (no bridge, no iptables), the OCI registry on
#           127.0.0.1:5000, a basic-auth registry on 127.0.0.1:5001 (stella / stella-test) over the
#           same storage, Prometheus on 127.0.0.1:9090 (scraping itself every second), then builds
#           and pushes the test images that ../shared/examples/ name; then the Nomad contract fake on
#           127.0.0.1:4646 (hack/estate/nomad.sh), writing the Secret manifest the examples'
#           prod-nomad target names into $STELLA_ESTATE_DIR/secrets/; the ECS contract fake on
#           127.0.0.1:4600 (hack/estate/ecs.sh), writing the aws-credentials Secret prod-ecs names;
#           then sshd on 127.0.0.2:2222 and 127.0.0.3:2222 (hack/estate/sshd.sh) with the examples'
#           pinned host keys (and on 127.0.0.4:2222, the host tests stop), and the deploy key they
#           authorize, written as the Secret prod-web-1 names (deploy-ssh-key); HAProxy
#           (hack/estate/haproxy.sh: runtime API 127.0.0.1:9999 as ../shared/examples/canary.yaml
#           names it, frontend 127.0.0.1:8480, Prometheus exporter 127.0.0.1:8404) and nginx
#           (hack/estate/nginx.sh: the nginx router's file, listening on 127.0.0.1:8580) in front
#           of the examples' web ports in prod, as plain processes, and mtail (hack/estate/mtail.sh,
#           127.0.0.1:3903) counting what the nginx routers log; Prometheus scrapes HAProxy and mtail.
#           Prints KEY=value lines on stdout (database URL, registries), progress on stderr.
#   down    stops the contract fakes, the sshd hosts, nginx, mtail, HAProxy, dockerd (and its containers),
#           both registries and Prometheus; data is kept.
#           PostgreSQL is left running (hack/postgres.sh down stops it).
#   status  one line per part; exit 0 when everything runs, 3 otherwise.
# Idempotent: `up` twice, or `down` then `up`, is safe; images already pushed are kept.
# State, logs and registry storage: $STELLA_ESTATE_DIR (default /var/lib/stella-estate).
set -euo pipefail
HACK=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=hack/estate/lib.sh
. "$HACK/estate/lib.sh"
# shellcheck source=hack/estate/docker.sh
. "$HACK/estate/docker.sh"
# shellcheck source=hack/estate/registry.sh
. "$HACK/estate/registry.sh"
# shellcheck source=hack/estate/images.sh
. "$HACK/estate/images.sh"
# shellcheck source=hack/estate/haproxy.sh
. "$HACK/estate/haproxy.sh"
# shellcheck source=hack/estate/nginx.sh
. "$HACK/estate/nginx.sh"
# shellcheck source=hack/estate/mtail.sh
. "$HACK/estate/mtail.sh"
# shellcheck source=hack/estate/prometheus.sh
. "$HACK/estate/prometheus.sh"
# shellcheck source=hack/estate/nomad.sh
. "$HACK/estate/nomad.sh"
# shellcheck source=hack/estate/ecs.sh
. "$HACK/estate/ecs.sh"
# shellcheck source=hack/estate/sshd.sh
. "$HACK/estate/sshd.sh"

PACKAGES=(docker.io docker-compose docker-registry busybox-static apache2-utils curl jq ca-certificates prometheus openssh-server openssh-client python3-paramiko haproxy nginx mtail)

up() {
  require_root
  local started=$SECONDS db_url
  ensure_packages "${PACKAGES[@]}"
  mkdir -p "$ESTATE_DIR" "$RUN_DIR" "$LOG_DIR"
  log "PostgreSQL (hack/postgres.sh up)"
  db_url=$("$HACK/postgres.sh" up)
  docker_up
  registry_up 5000 no
  registry_up 5001 yes
  haproxy_up
  nginx_up
  mtail_up
  prometheus_up
  images_up
  nomad_fake_up
  ecs_fake_up
  sshd_up
  log "estate is up ($((SECONDS - started))s); 'hack/estate.sh status' shows it"
  echo "STELLA_TEST_DATABASE_URL=$db_url"
  echo "STELLA_TEST_REGISTRY=127.0.0.1:5000"
  echo "STELLA_TEST_AUTH_REGISTRY=127.0.0.1:5001"
  echo "STELLA_TEST_PROMETHEUS=http://$PROMETHEUS_ADDR"
  echo "STELLA_ESTATE_DIR=$ESTATE_DIR"
  echo "NOMAD_FAKE_ADDR=http://$NOMAD_FAKE_ADDR"
  echo "ECS_FAKE_ENDPOINT=http://$ECS_FAKE_ADDR"
  echo "STELLA_ESTATE_SECRETS=$SECRETS_DIR"
  echo "STELLA_TEST_SSH_HOSTS=${SSHD_ADDRS[*]/%/:$SSHD_PORT}"
  echo "STELLA_TEST_HAPROXY=$HAPROXY_FRONTEND"
  echo "STELLA_TEST_HAPROXY_RUNTIME_API=$HAPROXY_RUNTIME_API"
  echo "STELLA_TEST_NGINX=$NGINX_LISTEN"
  echo "STELLA_TEST_NGINX_ACCESS_DIR=$NGINX_ACCESS_DIR"
}

down() {
  require_root
  ecs_fake_down
  sshd_down
  nomad_fake_down
  nginx_down
  mtail_down
  haproxy_down
  prometheus_down
  registry_down 5001
  registry_down 5000
  docker_down
  log "estate is down (data kept under $ESTATE_DIR; PostgreSQL left running)"
}

status() {
  local rc=0 pg
  if pg=$("$HACK/postgres.sh" status 2>&1); then printf 'postgres        %s\n' "$pg"
  else printf 'postgres        %s\n' "$pg"; rc=3; fi
  docker_status || rc=3
  registry_status 5000 no || rc=3
  registry_status 5001 yes || rc=3
  prometheus_status || rc=3
  haproxy_status || rc=3
  nginx_status || rc=3
  mtail_status || rc=3
  nomad_fake_status || rc=3
  ecs_fake_status || rc=3
  sshd_status || rc=3
  if [ "$(http_code "http://$REGISTRY/v2/")" = 200 ]; then images_status || rc=3
  else printf 'image           unknown (registry :5000 not answering)\n'; rc=3; fi
  return $rc
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: hack/estate.sh up|down|status" >&2; exit 2 ;;
esac
