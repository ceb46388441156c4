# shellcheck shell=bash
# Docker Engine of the local estate: Debian docker.io, dockerd started by hand (no systemd) with no
# bridge, no iptables and no masquerading. Containers use network_mode: host and bind 127.0.0.1;
# no docker network is ever created. Loopback registries are insecure-allowed by dockerd's default.
# Sourced by hack/estate.sh.

DOCKERD_PIDFILE=/var/run/docker.pid # dockerd writes it; it is also what dockerd checks on start
DOCKERD_LOG=$LOG_DIR/dockerd.log

docker_ready() { docker info >/dev/null 2>&1; }

docker_up() {
  if docker_ready; then
    log "dockerd is running (pid $(cat "$DOCKERD_PIDFILE" 2>/dev/null || echo '?'))"
    return 0
  fi
  log "starting dockerd (log $DOCKERD_LOG)"
  mkdir -p "$RUN_DIR"
  start_detached "$RUN_DIR/dockerd.pid" "$DOCKERD_LOG" \
    dockerd --bridge=none --iptables=false --ip-masq=false --ip6tables=false --shutdown-timeout=10
  local _
  for _ in $(seq 1 240); do
    if docker_ready; then
      log "dockerd is ready ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
      return 0
    fi
    pid_alive "$RUN_DIR/dockerd.pid" dockerd || { tail_log "$DOCKERD_LOG"; die "dockerd exited; see $DOCKERD_LOG"; }
    sleep 0.25
  done
  tail_log "$DOCKERD_LOG"
  die "dockerd did not answer 'docker info' within 60s; see $DOCKERD_LOG"
}

docker_down() {
  # Containers are stopped by dockerd itself on SIGTERM (--shutdown-timeout); give it time.
  stop_pid "$DOCKERD_PIDFILE" dockerd dockerd 90
  rm -f "$RUN_DIR/dockerd.pid"
}

docker_status() {
  if docker_ready; then
    printf 'dockerd         running  pid %s, server %s, %s containers running, log %s\n' \
      "$(cat "$DOCKERD_PIDFILE" 2>/dev/null || echo '?')" \
      "$(docker version --format '{{.Server.Version}}' 2>/dev/null)" \
      "$(docker ps -q 2>/dev/null | wc -l)" "$DOCKERD_LOG"
    return 0
  fi
  printf 'dockerd         stopped\n'
  return 1
}
