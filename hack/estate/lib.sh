# shellcheck shell=bash
# Shared helpers of hack/estate.sh: logging, Debian packages, detached daemons and pid files.
# Sourced, never run. Everything lives under ESTATE_DIR (default /var/lib/stella-estate).

# shellcheck disable=SC2034 # used by the files that source this one
ESTATE_DIR=${STELLA_ESTATE_DIR:-/var/lib/stella-estate}
RUN_DIR=$ESTATE_DIR/run
LOG_DIR=$ESTATE_DIR/log

log() { echo "estate.sh [${SECONDS}s]: $*" >&2; }
die() { log "error: $*"; exit 1; }

require_root() {
  [ "$(id -u)" = 0 ] || die "must run as root (it installs Debian packages and starts dockerd)"
}

is_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

POLICY_RC=/usr/sbin/policy-rc.d
remove_policy_rc() { rm -f "$POLICY_RC"; }

# Installs the packages that are missing (apt-get update once first). Package scripts must not start
# their own services (docker, containerd, docker-registry): without systemd, invoke-rc.d could start
# a registry on *:5000 with Debian's config. A temporary policy-rc.d (exit 101) forbids that.
ensure_packages() {
  local missing=() p
  for p in "$@"; do is_installed "$p" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  local apt=(apt-get -q -o DPkg::Lock::Timeout=300)
  "${apt[@]}" update >&2
  local created=""
  if [ ! -e "$POLICY_RC" ]; then
    printf '#!/bin/sh\n# written by stella hack/estate.sh during apt-get install\nexit 101\n' >"$POLICY_RC"
    chmod 0755 "$POLICY_RC"
    created=1
    trap remove_policy_rc EXIT
  fi
  local rc=0
  "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >&2 || rc=$?
  if [ -n "$created" ]; then remove_policy_rc; trap - EXIT; fi
  [ "$rc" = 0 ] || die "apt-get install ${missing[*]} failed"
}

# pid_running PID: the process exists and is not a zombie (pid 1 may be slow to reap, or never).
pid_running() {
  kill -0 "$1" 2>/dev/null || return 1
  [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# pid_alive PIDFILE PATTERN: true when the pid in PIDFILE runs a command line containing PATTERN
# (the pattern guards against a recycled pid).
pid_alive() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && pid_running "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2"
}

# fake_source PIDFILE: the main.ts the process of PIDFILE runs (which checkout a contract fake is from).
fake_source() {
  tr '\0' '\n' <"/proc/$(cat "$1")/cmdline" 2>/dev/null | grep -m1 'main\.ts$' || echo "unknown source"
}

# start_detached PIDFILE LOGFILE CMD...: runs CMD in its own session, stdin from /dev/null and
# output appended to LOGFILE, and records its pid (the shell execs CMD, so the pid is CMD's).
start_detached() {
  local pidfile=$1 logfile=$2
  shift 2
  mkdir -p "$(dirname "$pidfile")" "$(dirname "$logfile")"
  echo "--- $(date -u +%FT%TZ) estate.sh starts: $*" >>"$logfile"
  # shellcheck disable=SC2016 # $$ and $@ belong to the inner sh
  setsid sh -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" </dev/null >>"$logfile" 2>&1 &
  local _
  for _ in $(seq 1 50); do [ -s "$pidfile" ] && return 0; sleep 0.1; done
  die "could not start $1"
}

# stop_pid PIDFILE PATTERN NAME [SECONDS]: SIGTERM, wait, then SIGKILL; removes PIDFILE.
stop_pid() {
  local pidfile=$1 pattern=$2 name=$3 wait_s=${4:-30} pid _
  if ! pid_alive "$pidfile" "$pattern"; then
    log "$name is not running"
    rm -f "$pidfile"
    return 0
  fi
  pid=$(cat "$pidfile")
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((wait_s * 10))); do
    pid_running "$pid" || { rm -f "$pidfile"; log "stopped $name"; return 0; }
    sleep 0.1
  done
  log "$name did not stop within ${wait_s}s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

# http_code URL [CURL ARGS...]: the HTTP status of a GET (000 when nothing answers).
http_code() {
  local url=$1
  shift
  curl -s -o /dev/null -m 5 -w '%{http_code}' "$@" "$url" 2>/dev/null || true
}

# tail_log FILE: the last lines of a log, for an error message.
tail_log() { tail -n 20 "$1" 2>/dev/null | sed 's/^/    /' >&2 || true; }
