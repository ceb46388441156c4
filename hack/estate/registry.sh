# shellcheck shell=bash
# OCI registries of the local estate (Debian docker-registry, distribution v2), no systemd:
#   127.0.0.1:5000  open, read-write; storage under $ESTATE_DIR/registry/data
#   127.0.0.1:5001  htpasswd basic auth (stella / stella-test), read-only view of the same storage,
#                   so every image pushed to :5000 can be pulled from :5001 with credentials.
# Sourced by hack/estate.sh.

REGISTRY_BIN=/usr/bin/docker-registry
REGISTRY_DIR=$ESTATE_DIR/registry
REGISTRY_DATA=$REGISTRY_DIR/data
REGISTRY_AUTH_USER=stella
REGISTRY_AUTH_PASSWORD=stella-test

# registry_config PORT AUTH(yes|no): the distribution config for one instance.
registry_config() {
  local port=$1 auth=$2
  cat <<EOF
# Written by stella hack/estate.sh; rewritten on every 'up'.
version: 0.1
log:
  level: info
  formatter: text
storage:
  filesystem:
    rootdirectory: $REGISTRY_DATA
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
EOF
  if [ "$auth" = yes ]; then
    cat <<EOF
  maintenance:
    readonly:
      enabled: true
    uploadpurging:
      enabled: false
auth:
  htpasswd:
    realm: stella-estate
    path: $REGISTRY_DIR/htpasswd
EOF
  fi
  cat <<EOF
http:
  addr: 127.0.0.1:$port
  headers:
    X-Content-Type-Options: [nosniff]
EOF
}

# Distribution accepts only bcrypt entries.
ensure_htpasswd() {
  local file=$REGISTRY_DIR/htpasswd
  if htpasswd -vb "$file" "$REGISTRY_AUTH_USER" "$REGISTRY_AUTH_PASSWORD" >/dev/null 2>&1; then return 0; fi
  log "writing $file (user $REGISTRY_AUTH_USER)"
  htpasswd -Bbc "$file" "$REGISTRY_AUTH_USER" "$REGISTRY_AUTH_PASSWORD" 2>/dev/null
}

# The status /v2/ answers when the instance is ours and ready: 200 open, 401 with auth.
registry_expected_code() { [ "$2" = yes ] && echo 401 || echo 200; }

# registry_up PORT AUTH
registry_up() {
  local port=$1 auth=$2 name="registry :$1"
  local pidfile=$RUN_DIR/registry-$port.pid logfile=$LOG_DIR/registry-$port.log
  local config=$REGISTRY_DIR/config-$port.yml want code _
  want=$(registry_expected_code "$port" "$auth")
  mkdir -p "$REGISTRY_DATA"
  [ "$auth" = yes ] && ensure_htpasswd
  registry_config "$port" "$auth" >"$config.tmp"
  if pid_alive "$pidfile" "$config"; then
    if cmp -s "$config" "$config.tmp"; then
      rm -f "$config.tmp"
      log "$name is running (pid $(cat "$pidfile"))"
      return 0
    fi
    log "$name config changed; restarting"
    stop_pid "$pidfile" "$config" "$name" 10
  fi
  mv "$config.tmp" "$config"
  code=$(http_code "http://127.0.0.1:$port/v2/")
  [ "$code" = 000 ] || die "127.0.0.1:$port is already served by another process (HTTP $code); stop it first"
  log "starting $name (config $config, log $logfile)"
  start_detached "$pidfile" "$logfile" "$REGISTRY_BIN" serve "$config"
  for _ in $(seq 1 100); do
    code=$(http_code "http://127.0.0.1:$port/v2/")
    if [ "$code" = "$want" ]; then log "$name is ready"; return 0; fi
    pid_alive "$pidfile" "$config" || { tail_log "$logfile"; die "$name exited; see $logfile"; }
    sleep 0.1
  done
  tail_log "$logfile"
  die "$name did not answer /v2/ with $want within 10s (last: $code); see $logfile"
}

registry_down() {
  local port=$1
  stop_pid "$RUN_DIR/registry-$port.pid" "$REGISTRY_DIR/config-$port.yml" "registry :$port" 10
}

registry_status() {
  local port=$1 auth=$2 pidfile=$RUN_DIR/registry-$1.pid what="open"
  [ "$auth" = yes ] && what="basic auth $REGISTRY_AUTH_USER/$REGISTRY_AUTH_PASSWORD, read-only"
  if pid_alive "$pidfile" "$REGISTRY_DIR/config-$port.yml" \
    && [ "$(http_code "http://127.0.0.1:$port/v2/")" = "$(registry_expected_code "$port" "$auth")" ]; then
    printf 'registry :%s  running  pid %s, http://127.0.0.1:%s (%s), data %s\n' \
      "$port" "$(cat "$pidfile")" "$port" "$what" "$REGISTRY_DATA"
    return 0
  fi
  printf 'registry :%s  stopped\n' "$port"
  return 1
}
