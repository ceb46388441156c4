# shellcheck shell=bash
# mtail of the local estate (Debian mtail 3.0), a plain process (the Debian service stays off) on
# 127.0.0.1:3903: it runs the nginx router's program (controllers/routers/nginx/router-sides.mtail,
# copied to $ESTATE_DIR/mtail/progs) over the access logs nginx routers write under
# $ESTATE_DIR/nginx/access/*.log (the estate's own router writes shop-web.log; tests' nginx routers
# write theirs there too; new files are picked up by polling), so Prometheus (job "mtail") has
# `stella_router_responses_total{router,side,code}` for a canary's analysis through nginx.
# A changed program is applied by SIGHUP. Sourced by
# hack/estate.sh, after nginx.sh (NGINX_ACCESS_DIR) and before prometheus.sh (which scrapes it).

MTAIL_BIN=/usr/bin/mtail
MTAIL_ADDR=127.0.0.1:3903
MTAIL_DIR=$ESTATE_DIR/mtail
MTAIL_PROGS=$MTAIL_DIR/progs
MTAIL_PROGRAM=$HACK/../controllers/routers/nginx/router-sides.mtail
MTAIL_PIDFILE=$RUN_DIR/mtail.pid
MTAIL_LOG=$LOG_DIR/mtail.log

mtail_ready() { [ "$(http_code "http://$MTAIL_ADDR/metrics")" = 200 ]; }

mtail_up() {
  local _
  mkdir -p "$MTAIL_PROGS" "$NGINX_ACCESS_DIR"
  if pid_alive "$MTAIL_PIDFILE" "$MTAIL_PROGS"; then
    if cmp -s "$MTAIL_PROGRAM" "$MTAIL_PROGS/router-sides.mtail"; then
      log "mtail is running (pid $(cat "$MTAIL_PIDFILE"))"
      return 0
    fi
    cp "$MTAIL_PROGRAM" "$MTAIL_PROGS/router-sides.mtail"
    log "mtail program changed; reloading (SIGHUP)"
    kill -HUP "$(cat "$MTAIL_PIDFILE")"
    return 0
  fi
  cp "$MTAIL_PROGRAM" "$MTAIL_PROGS/router-sides.mtail"
  "$MTAIL_BIN" -compile_only -progs "$MTAIL_PROGS" -address 127.0.0.1 -port 0 >"$MTAIL_LOG.check" 2>&1 ||
    { tail_log "$MTAIL_LOG.check"; die "mtail refuses $MTAIL_PROGRAM"; }
  [ "$(http_code "http://$MTAIL_ADDR/metrics")" = 000 ] || die "$MTAIL_ADDR is already served by another process"
  log "starting mtail (programs $MTAIL_PROGS, logs $NGINX_ACCESS_DIR/*.log, log $MTAIL_LOG)"
  start_detached "$MTAIL_PIDFILE" "$MTAIL_LOG" "$MTAIL_BIN" -progs "$MTAIL_PROGS" \
    -logs "$NGINX_ACCESS_DIR/*.log" -address 127.0.0.1 -port "${MTAIL_ADDR##*:}" -poll_interval 250ms -logtostderr
  for _ in $(seq 1 100); do
    if mtail_ready; then log "mtail is ready (http://$MTAIL_ADDR/metrics)"; return 0; fi
    pid_alive "$MTAIL_PIDFILE" "$MTAIL_PROGS" || { tail_log "$MTAIL_LOG"; die "mtail exited; see $MTAIL_LOG"; }
    sleep 0.1
  done
  tail_log "$MTAIL_LOG"
  die "mtail did not answer on $MTAIL_ADDR within 10s; see $MTAIL_LOG"
}

mtail_down() {
  stop_pid "$MTAIL_PIDFILE" "$MTAIL_PROGS" mtail 10
}

mtail_status() {
  if pid_alive "$MTAIL_PIDFILE" "$MTAIL_PROGS" && mtail_ready; then
    printf 'mtail           running  pid %s, http://%s/metrics (program %s, logs %s/*.log)\n' \
      "$(cat "$MTAIL_PIDFILE")" "$MTAIL_ADDR" "$MTAIL_PROGS/router-sides.mtail" "$NGINX_ACCESS_DIR"
    return 0
  fi
  printf 'mtail           stopped\n'
  return 1
}
