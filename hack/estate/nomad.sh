# shellcheck shell=bash
# The Nomad CONTRACT FAKE of the local estate (hack/nomad-fake, run with tsx): the Nomad HTTP API
# on 127.0.0.1:4646 with ACLs on (one token), every allocation a real container on the estate's
# engine (label stella.fake=nomad). No Nomad binary can be installed here. Writes the Secret the
# examples' prod-nomad target names, `nomad-token` in namespace shop, to
# $ESTATE_DIR/secrets/nomad-token.yaml (`kubectl apply -f` it). The token is made once and kept.
# Sourced by hack/estate.sh.

NOMAD_FAKE_ADDR=127.0.0.1:4646
NOMAD_FAKE_DIR=$ESTATE_DIR/nomad-fake
NOMAD_FAKE_PIDFILE=$RUN_DIR/nomad-fake.pid
NOMAD_FAKE_LOG=$LOG_DIR/nomad-fake.log
NOMAD_FAKE_MAIN=$(cd "$HACK/.." && pwd)/hack/nomad-fake/main.ts
# What its process is matched by: the fake from any checkout (the estate is one per machine; another
# worktree's running fake is this estate's, and `up` leaves it alone, saying where it runs from).
NOMAD_FAKE_PROC=hack/nomad-fake/main.ts
SECRETS_DIR=$ESTATE_DIR/secrets

nomad_fake_token() {
  mkdir -p "$NOMAD_FAKE_DIR"
  [ -s "$NOMAD_FAKE_DIR/token" ] || (umask 077 && head -c 18 /dev/urandom | base64 | tr '+/' '-_' >"$NOMAD_FAKE_DIR/token")
  cat "$NOMAD_FAKE_DIR/token"
}

nomad_fake_secret() {
  local token
  token=$(nomad_fake_token)
  mkdir -p "$SECRETS_DIR"
  (umask 077 && printf '%s\n' \
    "# Written by stella hack/estate.sh: the ACL token of the estate's Nomad contract fake." \
    "apiVersion: release.stella.io/v1alpha1" "kind: Secret" "metadata: {name: nomad-token, namespace: shop}" \
    "type: Opaque" "stringData: {token: \"$token\"}" >"$SECRETS_DIR/nomad-token.yaml")
}

nomad_fake_up() {
  local token _
  token=$(nomad_fake_token)
  nomad_fake_secret
  if pid_alive "$NOMAD_FAKE_PIDFILE" "$NOMAD_FAKE_PROC"; then
    log "nomad contract fake is running (pid $(cat "$NOMAD_FAKE_PIDFILE"), $(fake_source "$NOMAD_FAKE_PIDFILE"))"
    return 0
  fi
  [ "$(http_code "http://$NOMAD_FAKE_ADDR/v1/agent/self")" = 000 ] || die "$NOMAD_FAKE_ADDR is served by another process"
  [ -x "$HACK/../node_modules/.bin/tsx" ] || die "node_modules/.bin/tsx is missing: run npm install first"
  log "starting the nomad contract fake on $NOMAD_FAKE_ADDR (log $NOMAD_FAKE_LOG)"
  NOMAD_FAKE_ADDR=$NOMAD_FAKE_ADDR NOMAD_FAKE_TOKEN=$token start_detached "$NOMAD_FAKE_PIDFILE" "$NOMAD_FAKE_LOG" \
    "$HACK/../node_modules/.bin/tsx" "$NOMAD_FAKE_MAIN"
  for _ in $(seq 1 100); do
    if [ "$(http_code "http://$NOMAD_FAKE_ADDR/v1/agent/self" -H "X-Nomad-Token: $token")" = 200 ]; then
      log "nomad contract fake is ready (http://$NOMAD_FAKE_ADDR)"
      return 0
    fi
    pid_alive "$NOMAD_FAKE_PIDFILE" "$NOMAD_FAKE_PROC" || { tail_log "$NOMAD_FAKE_LOG"; die "the nomad contract fake exited"; }
    sleep 0.1
  done
  die "the nomad contract fake did not answer on $NOMAD_FAKE_ADDR"
}

nomad_fake_down() {
  local ids
  stop_pid "$NOMAD_FAKE_PIDFILE" "$NOMAD_FAKE_PROC" "nomad contract fake" 10
  if docker info >/dev/null 2>&1; then
    ids=$(docker ps -aq --filter label=stella.fake=nomad)
    # shellcheck disable=SC2086 # one id per word
    [ -z "$ids" ] || docker rm -f $ids >/dev/null
  fi
}

nomad_fake_status() {
  if pid_alive "$NOMAD_FAKE_PIDFILE" "$NOMAD_FAKE_PROC"; then
    printf 'nomad-fake      running on %s (contract fake, pid %s), secret in %s\n' "$NOMAD_FAKE_ADDR" \
      "$(cat "$NOMAD_FAKE_PIDFILE")" "$SECRETS_DIR/nomad-token.yaml"
  else
    printf 'nomad-fake      not running\n'
    return 1
  fi
}
