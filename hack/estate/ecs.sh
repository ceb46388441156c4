# shellcheck shell=bash
# The ECS CONTRACT FAKE of the local estate (hack/ecs-fake, run with tsx): the ECS API (AWS JSON 1.1,
# SigV4 checked against one access key) on 127.0.0.1:4600 for region eu-west-1 with the clusters
# default, shop-prod and stella, every task a real container on the estate's engine (label
# stella.fake=ecs). No ECS endpoint can be reached here. Writes the Secret the examples' prod-ecs
# target names, `aws-credentials` in namespace shop, to $ESTATE_DIR/secrets/aws-credentials.yaml
# (`kubectl apply -f` it; point the target's spec.ecs.endpoint at http://127.0.0.1:4600). The key
# is made once and kept. Sourced by hack/estate.sh after nomad.sh (SECRETS_DIR).

ECS_FAKE_ADDR=127.0.0.1:4600
ECS_FAKE_DIR=$ESTATE_DIR/ecs-fake
ECS_FAKE_PIDFILE=$RUN_DIR/ecs-fake.pid
ECS_FAKE_LOG=$LOG_DIR/ecs-fake.log
ECS_FAKE_MAIN=$(cd "$HACK/.." && pwd)/hack/ecs-fake/main.ts
# What its process is matched by: the fake from any checkout (the estate is one per machine; another
# worktree's running fake is this estate's, and `up` leaves it alone, saying where it runs from).
ECS_FAKE_PROC=hack/ecs-fake/main.ts

ecs_fake_keys() {
  mkdir -p "$ECS_FAKE_DIR"
  if [ ! -s "$ECS_FAKE_DIR/credentials" ]; then
    (umask 077 && printf '%s %s\n' "AKIA$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" \
      "$(head -c 30 /dev/urandom | base64 | tr '+/' '-_')" >"$ECS_FAKE_DIR/credentials")
  fi
  cat "$ECS_FAKE_DIR/credentials"
}

ecs_fake_secret() {
  local id secret
  read -r id secret <<<"$(ecs_fake_keys)"
  mkdir -p "$SECRETS_DIR"
  (umask 077 && printf '%s\n' \
    "# Written by stella hack/estate.sh: the access key of the estate's ECS contract fake (http://$ECS_FAKE_ADDR)." \
    "apiVersion: release.stella.io/v1alpha1" "kind: Secret" "metadata: {name: aws-credentials, namespace: shop}" \
    "type: Opaque" "stringData: {AWS_ACCESS_KEY_ID: \"$id\", AWS_SECRET_ACCESS_KEY: \"$secret\"}" \
    >"$SECRETS_DIR/aws-credentials.yaml")
}

ecs_fake_up() {
  local id secret _
  read -r id secret <<<"$(ecs_fake_keys)"
  ecs_fake_secret
  if pid_alive "$ECS_FAKE_PIDFILE" "$ECS_FAKE_PROC"; then
    log "ecs contract fake is running (pid $(cat "$ECS_FAKE_PIDFILE"), $(fake_source "$ECS_FAKE_PIDFILE"))"
    return 0
  fi
  [ "$(http_code "http://$ECS_FAKE_ADDR/")" = 000 ] || die "$ECS_FAKE_ADDR is served by another process"
  [ -x "$HACK/../node_modules/.bin/tsx" ] || die "node_modules/.bin/tsx is missing: run npm install first"
  log "starting the ecs contract fake on $ECS_FAKE_ADDR (log $ECS_FAKE_LOG)"
  ECS_FAKE_ADDR=$ECS_FAKE_ADDR ECS_FAKE_ACCESS_KEY_ID=$id ECS_FAKE_SECRET_ACCESS_KEY=$secret \
    start_detached "$ECS_FAKE_PIDFILE" "$ECS_FAKE_LOG" "$HACK/../node_modules/.bin/tsx" "$ECS_FAKE_MAIN"
  for _ in $(seq 1 100); do
    # unsigned, so the fake answers 400 (InvalidSignatureException): it is listening
    if [ "$(http_code "http://$ECS_FAKE_ADDR/")" != 000 ]; then
      log "ecs contract fake is ready (http://$ECS_FAKE_ADDR)"
      return 0
    fi
    pid_alive "$ECS_FAKE_PIDFILE" "$ECS_FAKE_PROC" || { tail_log "$ECS_FAKE_LOG"; die "the ecs contract fake exited"; }
    sleep 0.1
  done
  die "the ecs contract fake did not answer on $ECS_FAKE_ADDR"
}

ecs_fake_down() {
  local ids
  stop_pid "$ECS_FAKE_PIDFILE" "$ECS_FAKE_PROC" "ecs contract fake" 10
  if docker info >/dev/null 2>&1; then
    ids=$(docker ps -aq --filter label=stella.fake=ecs)
    # shellcheck disable=SC2086 # one id per word
    [ -z "$ids" ] || docker rm -f $ids >/dev/null
  fi
}

ecs_fake_status() {
  if pid_alive "$ECS_FAKE_PIDFILE" "$ECS_FAKE_PROC"; then
    printf 'ecs-fake        running on %s (contract fake, pid %s), secret in %s\n' "$ECS_FAKE_ADDR" \
      "$(cat "$ECS_FAKE_PIDFILE")" "$SECRETS_DIR/aws-credentials.yaml"
  else
    printf 'ecs-fake        not running\n'
    return 1
  fi
}
