# shellcheck shell=bash
# Prometheus of the local estate (Debian prometheus 2.42), no systemd: listens on 127.0.0.1:9090 and
# scrapes itself every second (job "prometheus"), so `up{job="prometheus"}` and
# `prometheus_build_info` have samples a second after it starts, and the estate's HAProxy exporter
# (job "haproxy", $HAPROXY_STATS_ADDR/metrics, hack/estate/haproxy.sh) every second, so canary
# analyses can query `haproxy_server_http_responses_total{proxy="shop_web",server="canary"}`, and
# mtail (job "mtail", hack/estate/mtail.sh) every second, for the nginx routers' counts
# `stella_router_responses_total{router="stella_shop_prod_web",side="canary",code=~"5.."}`.
# Metric gates and canary analyses query it. Config under $ESTATE_DIR/prometheus (rewritten on every
# 'up'; a running Prometheus whose config changed is reloaded with SIGHUP, keeping its data), TSDB
# under $ESTATE_DIR/prometheus/data (kept one day). Sourced by hack/estate.sh, after haproxy.sh
# and mtail.sh.

PROMETHEUS_ADDR=127.0.0.1:9090
PROMETHEUS_BIN=/usr/bin/prometheus
PROMETHEUS_DIR=$ESTATE_DIR/prometheus
PROMETHEUS_CONFIG=$PROMETHEUS_DIR/prometheus.yml
PROMETHEUS_PIDFILE=$RUN_DIR/prometheus.pid
PROMETHEUS_LOG=$LOG_DIR/prometheus.log

prometheus_config() {
  cat <<EOF
# Written by stella hack/estate.sh; rewritten on every 'up'.
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ["$PROMETHEUS_ADDR"]
  - job_name: haproxy
    static_configs:
      - targets: ["$HAPROXY_STATS_ADDR"]
  - job_name: mtail
    static_configs:
      - targets: ["$MTAIL_ADDR"]
EOF
}

prometheus_ready() { [ "$(http_code "http://$PROMETHEUS_ADDR/-/ready")" = 200 ]; }

# prometheus_has_samples: its own scrape has landed (a query for `up` returns a sample).
prometheus_has_samples() {
  curl -fsS -m 5 "http://$PROMETHEUS_ADDR/api/v1/query" --data-urlencode 'query=up{job="prometheus"}' 2>/dev/null |
    jq -e '.data.result | length > 0' >/dev/null 2>&1
}

prometheus_up() {
  local code _
  mkdir -p "$PROMETHEUS_DIR/data"
  prometheus_config >"$PROMETHEUS_CONFIG.tmp"
  if pid_alive "$PROMETHEUS_PIDFILE" "$PROMETHEUS_CONFIG"; then
    if cmp -s "$PROMETHEUS_CONFIG" "$PROMETHEUS_CONFIG.tmp"; then
      rm -f "$PROMETHEUS_CONFIG.tmp"
      log "prometheus is running (pid $(cat "$PROMETHEUS_PIDFILE"))"
      return 0
    fi
    prometheus_reload
    return 0
  fi
  mv "$PROMETHEUS_CONFIG.tmp" "$PROMETHEUS_CONFIG"
  code=$(http_code "http://$PROMETHEUS_ADDR/-/ready")
  [ "$code" = 000 ] || die "$PROMETHEUS_ADDR is already served by another process (HTTP $code); stop it first"
  log "starting prometheus (config $PROMETHEUS_CONFIG, log $PROMETHEUS_LOG)"
  start_detached "$PROMETHEUS_PIDFILE" "$PROMETHEUS_LOG" "$PROMETHEUS_BIN" \
    --config.file="$PROMETHEUS_CONFIG" --web.listen-address="$PROMETHEUS_ADDR" \
    --storage.tsdb.path="$PROMETHEUS_DIR/data" --storage.tsdb.retention.time=1d
  for _ in $(seq 1 300); do
    if prometheus_ready && prometheus_has_samples; then log "prometheus is ready (http://$PROMETHEUS_ADDR)"; return 0; fi
    pid_alive "$PROMETHEUS_PIDFILE" "$PROMETHEUS_CONFIG" || { tail_log "$PROMETHEUS_LOG"; die "prometheus exited; see $PROMETHEUS_LOG"; }
    sleep 0.1
  done
  tail_log "$PROMETHEUS_LOG"
  die "prometheus did not become ready with a sample of its own within 30s; see $PROMETHEUS_LOG"
}

# reload_timestamp: when Prometheus last loaded its config successfully (from its own /metrics).
reload_timestamp() {
  curl -fsS -m 5 "http://$PROMETHEUS_ADDR/metrics" 2>/dev/null |
    awk '$1 == "prometheus_config_last_reload_success_timestamp_seconds" { print $2 }'
}

# prometheus_reload: installs the new config ($PROMETHEUS_CONFIG.tmp) into the running Prometheus
# with SIGHUP (no restart: its data and its other scrapes go on) and waits until it loaded it.
prometheus_reload() {
  local before _
  before=$(reload_timestamp)
  mv "$PROMETHEUS_CONFIG.tmp" "$PROMETHEUS_CONFIG"
  log "prometheus config changed; reloading (SIGHUP)"
  kill -HUP "$(cat "$PROMETHEUS_PIDFILE")"
  for _ in $(seq 1 100); do
    if [ "$(reload_timestamp)" != "$before" ]; then log "prometheus loaded $PROMETHEUS_CONFIG"; return 0; fi
    sleep 0.1
  done
  tail_log "$PROMETHEUS_LOG"
  die "prometheus did not load the changed $PROMETHEUS_CONFIG within 10s; see $PROMETHEUS_LOG"
}

prometheus_down() {
  stop_pid "$PROMETHEUS_PIDFILE" "$PROMETHEUS_CONFIG" prometheus 30
}

prometheus_status() {
  if pid_alive "$PROMETHEUS_PIDFILE" "$PROMETHEUS_CONFIG" && prometheus_ready; then
    printf 'prometheus      running  pid %s, http://%s, config %s, log %s\n' \
      "$(cat "$PROMETHEUS_PIDFILE")" "$PROMETHEUS_ADDR" "$PROMETHEUS_CONFIG" "$PROMETHEUS_LOG"
    return 0
  fi
  printf 'prometheus      stopped\n'
  return 1
}
