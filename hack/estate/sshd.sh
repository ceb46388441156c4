# shellcheck shell=bash
# The estate's SSH hosts: one sshd per loopback address (127.0.0.2 and 127.0.0.3, port 2222), each
# with its own config, pid file and log under $ESTATE_DIR/sshd/<address>/, and the host key from
# ../shared/examples/estate-host-keys/ (copied with mode 0600, so the pinned hostKey of the
# examples' prod-web-1 matches). A third host, 127.0.0.4:2222, with a host key the estate generates
# once, is the one tests stop and start again (a host going down), so that no other test loses its
# host meanwhile. Generates the deploy key once ($ESTATE_DIR/sshd/deploy/id_ed25519),
# authorizes it for root on both hosts (through the estate's own authorized_keys files, never
# ~/.ssh), and writes the Secret the examples name, `deploy-ssh-key` in namespace shop, to
# $ESTATE_DIR/secrets/deploy-ssh-key.yaml. Tests may add keys of their own to
# $ESTATE_DIR/sshd/authorized_keys.test. Both hosts reach the one local Docker Engine.
# Sourced by hack/estate.sh.

SSHD_ADDRS=(127.0.0.2 127.0.0.3 127.0.0.4)
SSHD_PORT=2222
SSHD_DIR=$ESTATE_DIR/sshd
SSHD_DEPLOY_KEY=$SSHD_DIR/deploy/id_ed25519
SSHD_HOST_KEYS=${STELLA_ESTATE_HOST_KEYS:-$(cd "$HACK/../.." && pwd)/shared/examples/estate-host-keys}

sshd_pidfile() { echo "$RUN_DIR/sshd-$1.pid"; }
sshd_config() { echo "$SSHD_DIR/$1/sshd_config"; }

# The deploy key pair, made once and kept (a re-run must not lock out what already holds it).
sshd_deploy_key() {
  mkdir -p "$(dirname "$SSHD_DEPLOY_KEY")"
  chmod 0700 "$(dirname "$SSHD_DEPLOY_KEY")"
  [ -s "$SSHD_DEPLOY_KEY" ] || ssh-keygen -q -t ed25519 -N '' -C stella-estate-deploy -f "$SSHD_DEPLOY_KEY" >&2
  cp "$SSHD_DEPLOY_KEY.pub" "$SSHD_DIR/authorized_keys"
  touch "$SSHD_DIR/authorized_keys.test"
  chmod 0600 "$SSHD_DIR/authorized_keys" "$SSHD_DIR/authorized_keys.test"
}

sshd_secret() {
  mkdir -p "$SECRETS_DIR"
  (
    umask 077
    {
      echo "# Written by stella hack/estate.sh: the deploy key the estate's SSH hosts authorize for root."
      printf '%s\n' "apiVersion: release.stella.io/v1alpha1" "kind: Secret" \
        "metadata: {name: deploy-ssh-key, namespace: shop}" "type: Opaque" "stringData:" "  id_ed25519: |"
      sed 's/^/    /' "$SSHD_DEPLOY_KEY"
    } >"$SECRETS_DIR/deploy-ssh-key.yaml"
  )
}

# sshd_write_config ADDR: the host key (0600, sshd refuses others) and a config listening only there.
sshd_write_config() {
  local addr=$1 dir=$SSHD_DIR/$1 key=$SSHD_HOST_KEYS/ssh_host_ed25519_key.$1
  mkdir -p "$dir"
  chmod 0700 "$dir"
  if [ -r "$key" ]; then
    install -m 0600 "$key" "$dir/ssh_host_ed25519_key"
    install -m 0644 "$key.pub" "$dir/ssh_host_ed25519_key.pub"
  elif [ ! -s "$dir/ssh_host_ed25519_key" ]; then
    ssh-keygen -q -t ed25519 -N '' -C "stella-estate-$addr" -f "$dir/ssh_host_ed25519_key" >&2
  fi
  cat >"$dir/sshd_config" <<CONF
# Written by stella hack/estate.sh: the estate's SSH host $addr (loopback only).
ListenAddress $addr:$SSHD_PORT
HostKey $dir/ssh_host_ed25519_key
PidFile none
AuthorizedKeysFile $SSHD_DIR/authorized_keys $SSHD_DIR/authorized_keys.test
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
ClientAliveInterval 15
MaxStartups 100:30:200
MaxSessions 64
Subsystem sftp internal-sftp
CONF
}

sshd_up() {
  local addr pidfile _ ready
  [ -x /usr/sbin/sshd ] || die "/usr/sbin/sshd is missing (Debian openssh-server)"
  mkdir -p /run/sshd "$SSHD_DIR"
  chmod 0755 /run/sshd
  sshd_deploy_key
  sshd_secret
  for addr in "${SSHD_ADDRS[@]}"; do
    pidfile=$(sshd_pidfile "$addr")
    sshd_write_config "$addr"
    if pid_alive "$pidfile" "$(sshd_config "$addr")"; then
      log "sshd $addr:$SSHD_PORT is running (pid $(cat "$pidfile"))"
      continue
    fi
    /usr/sbin/sshd -t -f "$(sshd_config "$addr")" || die "sshd refuses $(sshd_config "$addr")"
    log "starting sshd on $addr:$SSHD_PORT (log $LOG_DIR/sshd-$addr.log)"
    start_detached "$pidfile" "$LOG_DIR/sshd-$addr.log" /usr/sbin/sshd -D -e -f "$(sshd_config "$addr")"
    ready=""
    for _ in $(seq 1 50); do
      if ssh-keyscan -T 2 -p "$SSHD_PORT" -t ed25519 "$addr" 2>/dev/null | grep -q ssh-ed25519; then ready=1; break; fi
      pid_alive "$pidfile" "$(sshd_config "$addr")" || break
      sleep 0.1
    done
    [ -n "$ready" ] || { tail_log "$LOG_DIR/sshd-$addr.log"; die "sshd on $addr:$SSHD_PORT did not answer"; }
  done
}

sshd_down() {
  local addr
  for addr in "${SSHD_ADDRS[@]}"; do
    stop_pid "$(sshd_pidfile "$addr")" "$(sshd_config "$addr")" "sshd $addr:$SSHD_PORT" 10
  done
}

sshd_status() {
  local addr rc=0 key
  for addr in "${SSHD_ADDRS[@]}"; do
    if pid_alive "$(sshd_pidfile "$addr")" "$(sshd_config "$addr")"; then
      key=$(ssh-keyscan -T 2 -p "$SSHD_PORT" -t ed25519 "$addr" 2>/dev/null | awk '{print $3}')
      if [ -n "$key" ] && grep -q "$key" "$SSHD_DIR/$addr/ssh_host_ed25519_key.pub"; then
        printf 'sshd            running on %s:%s (pid %s, pinned host key), secret in %s\n' "$addr" "$SSHD_PORT" \
          "$(cat "$(sshd_pidfile "$addr")")" "$SECRETS_DIR/deploy-ssh-key.yaml"
      else
        printf 'sshd            %s:%s runs but does not present the pinned host key\n' "$addr" "$SSHD_PORT"
        rc=1
      fi
    else
      printf 'sshd            not running on %s:%s\n' "$addr" "$SSHD_PORT"
      rc=1
    fi
  done
  return $rc
}
