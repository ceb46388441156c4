# shellcheck shell=bash
# HAProxy of the local estate (Debian haproxy 2.6), a plain process (the Debian service stays off),
# in front of the web component of ../shared/examples/ as its canary's router expects
# (canary.yaml: runtimeApi 127.0.0.1:9999, backend shop_web; controllers/routers/haproxy/README):
#   127.0.0.1:9999  runtime API (`stats socket ... level admin`): weights, server addresses, maps
#   127.0.0.1:8480  frontend `web` -> backend shop_web: $HAPROXY_SLOTS server slots per side, one per
#                   prod target (estate.yaml has four): `stable` (weight 100) and `canary` (weight
#                   0), first pointed at prod-web-1's blue and green ports of web/http (127.0.0.1:29404
#                   and :29405, as controllers/deployment/ports.ts derives them), and `stable-2`..
#                   `stable-4`, `canary-2`..`canary-4` in maintenance at the same ports; the router
#                   points as many slots as a side has units at them (controllers/routers/README.md).
#                   Prometheus labels each slot by its name: canary.yaml's query,
#                   server="canary", reads the canary's first unit (see the README for all units). Header route map for `x-canary`,
#                   cookie route map for `canary_user` (empty at start, filled through the API).
#   127.0.0.1:8404  /metrics (HAProxy's built-in Prometheus exporter, which the estate's Prometheus
#                   scrapes as job "haproxy") and /stats (the HTML stats page)
# Config and maps under $ESTATE_DIR/haproxy (rewritten on every 'up'); haproxy is restarted only when
# its config changed, which resets weights and map entries to the file's (stable 100, canary 0).
# Writes the router settings the examples' canary uses to $ESTATE_DIR/routers/haproxy.yaml.
# Sourced by hack/estate.sh.

HAPROXY_BIN=/usr/sbin/haproxy
HAPROXY_DIR=$ESTATE_DIR/haproxy
HAPROXY_CONFIG=$HAPROXY_DIR/haproxy.cfg
HAPROXY_PIDFILE=$RUN_DIR/haproxy.pid
HAPROXY_LOG=$LOG_DIR/haproxy.log
HAPROXY_RUNTIME_API=127.0.0.1:9999
HAPROXY_FRONTEND=127.0.0.1:8480
HAPROXY_STATS_ADDR=127.0.0.1:8404
HAPROXY_BACKEND=shop_web
HAPROXY_SLOTS=4
ROUTERS_DIR=$ESTATE_DIR/routers

# web_slot_port TARGET SLOT: the host port of the examples' web/http in namespace shop, environment
# prod on TARGET, as controllers/deployment/ports.ts derives it (a sha256 of the identity picks a
# pair in 20000-29999; blue is the pair's first port, green the second).
web_slot_port() {
  local hash
  hash=$(printf '%s' "shop/prod/$1/web/http" | sha256sum | cut -c1-8)
  echo $((20000 + (16#$hash % 5000) * 2 + $([ "$2" = green ] && echo 1 || echo 0)))
}
WEB_STABLE=127.0.0.1:$(web_slot_port prod-web-1 blue)
WEB_CANARY=127.0.0.1:$(web_slot_port prod-web-1 green)

# The map files the router finds by name (controllers/routers/haproxy/maps.ts mapFileName).
HAPROXY_HEADER_MAP=$HAPROXY_DIR/$HAPROXY_BACKEND.header.x-canary.map
HAPROXY_COOKIE_MAP=$HAPROXY_DIR/$HAPROXY_BACKEND.cookie.canary_user.map

haproxy_config() {
  cat <<EOF
# Written by stella hack/estate.sh; rewritten on every 'up' (haproxy restarts only when it changed).
global
  maxconn 2048
  stats socket $HAPROXY_RUNTIME_API level admin
  stats timeout 10s
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
frontend web
  bind $HAPROXY_FRONTEND
  default_backend $HAPROXY_BACKEND
frontend stats
  bind $HAPROXY_STATS_ADDR
  http-request use-service prometheus-exporter if { path /metrics }
  stats enable
  stats uri /stats
backend $HAPROXY_BACKEND
  balance roundrobin
  use-server canary if { req.hdr(x-canary),map($HAPROXY_HEADER_MAP) -m found }
  use-server canary if { req.cook(canary_user),map($HAPROXY_COOKIE_MAP) -m found }
$(haproxy_slots stable "$WEB_STABLE" 100)
$(haproxy_slots canary "$WEB_CANARY" 0)
EOF
}

# haproxy_slots SIDE ADDRESS WEIGHT: the server lines of one side's slots (the first at WEIGHT, the
# others disabled, all at ADDRESS until the router repoints them).
haproxy_slots() {
  local i
  printf '  server %s %s weight %s\n' "$1" "$2" "$3"
  for i in $(seq 2 "$HAPROXY_SLOTS"); do printf '  server %s-%s %s weight 0 disabled\n' "$1" "$i" "$2"; done
}

# haproxy_command CMD: one runtime API command (one connection, HAProxy closes it after answering).
haproxy_command() {
  local host=${HAPROXY_RUNTIME_API%:*} port=${HAPROXY_RUNTIME_API##*:}
  # shellcheck disable=SC2016 # $0..$2 belong to the inner bash
  timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "%s\n" "$2" >&3 && cat <&3' "$host" "$port" "$1" 2>/dev/null
}

haproxy_ready() {
  haproxy_command "show info" | grep -q '^Name: HAProxy' &&
    [ "$(http_code "http://$HAPROXY_STATS_ADDR/metrics")" = 200 ]
}

haproxy_router_settings() {
  mkdir -p "$ROUTERS_DIR"
  printf '%s\n' "# Written by stella hack/estate.sh: Canary spec.router for the estate's HAProxy." \
    "plugin: haproxy" "haproxy:" "  runtimeApi: $HAPROXY_RUNTIME_API" "  backend: $HAPROXY_BACKEND" \
    >"$ROUTERS_DIR/haproxy.yaml"
}

haproxy_up() {
  local addr _
  mkdir -p "$HAPROXY_DIR"
  haproxy_router_settings
  haproxy_config >"$HAPROXY_CONFIG.tmp"
  if pid_alive "$HAPROXY_PIDFILE" "$HAPROXY_CONFIG"; then
    if cmp -s "$HAPROXY_CONFIG" "$HAPROXY_CONFIG.tmp"; then
      rm -f "$HAPROXY_CONFIG.tmp"
      log "haproxy is running (pid $(cat "$HAPROXY_PIDFILE"))"
      return 0
    fi
    log "haproxy config changed; restarting (weights and map entries go back to the file's)"
    stop_pid "$HAPROXY_PIDFILE" "$HAPROXY_CONFIG" haproxy 10
  fi
  mv "$HAPROXY_CONFIG.tmp" "$HAPROXY_CONFIG"
  : >"$HAPROXY_HEADER_MAP"
  : >"$HAPROXY_COOKIE_MAP"
  for addr in "$HAPROXY_RUNTIME_API" "$HAPROXY_FRONTEND" "$HAPROXY_STATS_ADDR"; do
    ! (exec 3<>"/dev/tcp/${addr%:*}/${addr##*:}") 2>/dev/null || die "$addr is already served by another process"
  done
  "$HAPROXY_BIN" -c -q -f "$HAPROXY_CONFIG" >"$HAPROXY_LOG.check" 2>&1 ||
    { tail_log "$HAPROXY_LOG.check"; die "haproxy refuses $HAPROXY_CONFIG"; }
  log "starting haproxy (config $HAPROXY_CONFIG, log $HAPROXY_LOG)"
  start_detached "$HAPROXY_PIDFILE" "$HAPROXY_LOG" "$HAPROXY_BIN" -db -f "$HAPROXY_CONFIG"
  for _ in $(seq 1 100); do
    if haproxy_ready; then log "haproxy is ready (runtime API $HAPROXY_RUNTIME_API, frontend $HAPROXY_FRONTEND)"; return 0; fi
    pid_alive "$HAPROXY_PIDFILE" "$HAPROXY_CONFIG" || { tail_log "$HAPROXY_LOG"; die "haproxy exited; see $HAPROXY_LOG"; }
    sleep 0.1
  done
  tail_log "$HAPROXY_LOG"
  die "haproxy did not answer on its runtime API within 10s; see $HAPROXY_LOG"
}

haproxy_down() {
  stop_pid "$HAPROXY_PIDFILE" "$HAPROXY_CONFIG" haproxy 10
}

# haproxy_servers: the backend's servers in service as HAProxy runs them now (the router may have
# repointed them; slots in maintenance are left out): "stable 127.0.0.1:29404 weight 100, canary ...".
haproxy_servers() {
  haproxy_command "show servers state $HAPROXY_BACKEND" |
    awk '/^[0-9]+ / && $7 % 2 == 0 { printf "%s%s %s:%s weight %s", sep, $4, $5, $19, $8; sep = ", " }'
}

haproxy_status() {
  if pid_alive "$HAPROXY_PIDFILE" "$HAPROXY_CONFIG" && haproxy_ready; then
    printf 'haproxy         running  pid %s, frontend http://%s -> %s (%s), runtime API %s, metrics http://%s/metrics, config %s\n' \
      "$(cat "$HAPROXY_PIDFILE")" "$HAPROXY_FRONTEND" "$HAPROXY_BACKEND" "$(haproxy_servers)" \
      "$HAPROXY_RUNTIME_API" "$HAPROXY_STATS_ADDR" "$HAPROXY_CONFIG"
    return 0
  fi
  printf 'haproxy         stopped\n'
  return 1
}
