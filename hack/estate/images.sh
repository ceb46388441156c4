# shellcheck shell=bash
# Test images of the local estate, built from Debian busybox-static with `docker import` and pushed
# to 127.0.0.1:5000 (what ../shared/examples/ names):
#   shop/web:1.4.0, shop/web:1.5.0   busybox httpd serving /www: /www/healthz, an index naming the
#                                    version, /www/version
#   shop/web:1.6.0-broken            same, but without /www/healthz (its health check fails)
#   shop/web:1.5.0-errors            like 1.5.0 (healthy: /www/healthz, /www/version), but its index
#                                    (/) is a CGI script answering 500 to ERROR_PERCENT percent of
#                                    requests (ENV ERROR_PERCENT=20; set it on the container or the
#                                    release component to change the share, 0-100)
#   shop/worker:1.4.0                a loop that exits on SIGTERM
#   shop/multi:1.0                   an OCI image index of :1.0-linux-amd64 and :1.0-linux-arm64;
#                                    also :1.0-list (a Docker manifest list of the same two) and
#                                    :1.0-oci (an OCI image manifest, not an index). The arm64
#                                    image is the amd64 layer under an arm64 config: it exists for
#                                    index resolution and platform selection, not to run on arm64.
# A tag already in the registry is left alone, so digests stay stable across `up` runs; when this
# file (the recipe) changed since the last build, or STELLA_ESTATE_REBUILD=1, everything is built
# and pushed again. Digests differ between machines (docker import stamps the creation time), so
# tests read them from the registry, never from a constant. Sourced by hack/estate.sh.

REGISTRY=127.0.0.1:5000
BUILD_DIR=$ESTATE_DIR/build
RECIPE_FILE=$ESTATE_DIR/images.recipe
RECIPE=$(sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1)

MT_DOCKER_MANIFEST=application/vnd.docker.distribution.manifest.v2+json
MT_DOCKER_LIST=application/vnd.docker.distribution.manifest.list.v2+json
MT_OCI_MANIFEST=application/vnd.oci.image.manifest.v1+json
MT_OCI_INDEX=application/vnd.oci.image.index.v1+json
ACCEPT_ALL="$MT_OCI_INDEX, $MT_OCI_MANIFEST, $MT_DOCKER_LIST, $MT_DOCKER_MANIFEST"

# shellcheck disable=SC2016 # $PORT and $! expand in the container, not here
WEB_CMD='CMD ["sh","-c","exec httpd -f -p 127.0.0.1:$PORT -h /www"]'
# The errors image's index: busybox httpd runs /www/cgi-bin/index.cgi for / when there is no
# index.html; each request draws a number in 0-99 from /dev/urandom.
# shellcheck disable=SC2016 # expands in the container, not here
ERRORS_CGI='#!/bin/sh
share=${ERROR_PERCENT:-20}
roll=$(($(od -An -N2 -tu2 /dev/urandom) % 100))
if [ "$roll" -lt "$share" ]; then
  printf "Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\nshop web %s: injected error (%s%%)\n" "$VERSION" "$share"
else
  printf "Content-Type: text/html\r\n\r\n<!doctype html>\n<title>shop web %s</title>\n<h1>shop web %s</h1>\n" "$VERSION" "$VERSION"
fi'
WORKER_CMD='CMD ["sh","-c","trap \"exit 0\" TERM INT; while true; do sleep 1 & wait $!; done"]'

# manifest_head REPO REF: the registry's headers for a manifest (empty when it does not exist).
manifest_head() {
  curl -fsS -I -m 10 -H "Accept: $ACCEPT_ALL" "http://$REGISTRY/v2/$1/manifests/$2" 2>/dev/null | tr -d '\r'
}
header() { awk -v h="$1:" 'tolower($1) == tolower(h) { print $2 }'; }
tag_digest() { manifest_head "$1" "$2" | header Docker-Content-Digest; }
has_tag() { [ "${STELLA_ESTATE_REBUILD:-}" != 1 ] && [ -n "$(tag_digest "$1" "$2")" ]; }

# base_rootfs: static busybox with all its applets in /bin, built once per `up` (many symlinks).
base_rootfs() {
  local base=$BUILD_DIR/base applet
  [ -f "$base/.complete" ] && return 0
  rm -rf "$base"
  mkdir -p "$base/bin" "$base/usr/bin" "$base/etc" "$base/root" "$base/proc" "$base/sys" "$base/dev"
  install -d -m 1777 "$base/tmp"
  cp /bin/busybox "$base/bin/busybox"
  (cd "$base/bin" && for applet in $(./busybox --list); do [ "$applet" = busybox ] || ln -s busybox "$applet"; done)
  ln -s ../../bin/busybox "$base/usr/bin/env"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$base/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$base/etc/group"
  touch "$base/.complete"
}

# make_rootfs DIR KIND VERSION: the base plus what KIND serves at VERSION.
make_rootfs() {
  local root=$1 kind=$2 version=$3
  base_rootfs
  rm -rf "$root"
  cp -a "$BUILD_DIR/base" "$root"
  rm -f "$root/.complete"
  echo "$kind $version" >"$root/etc/stella-image"
  if [ "$kind" != worker ]; then
    mkdir -p "$root/www"
    printf '<!doctype html>\n<title>shop web %s</title>\n<h1>shop web %s</h1>\n' "$version" "$version" >"$root/www/index.html"
    echo "$version" >"$root/www/version"
    [ "$kind" = web ] || [ "$kind" = errors ] && echo ok >"$root/www/healthz"
  fi
  if [ "$kind" = errors ]; then
    rm "$root/www/index.html"
    mkdir -p "$root/www/cgi-bin"
    printf '%s\n' "${ERRORS_CGI//\$VERSION/$version}" >"$root/www/cgi-bin/index.cgi"
    chmod 0755 "$root/www/cgi-bin/index.cgi"
  fi
  return 0
}

# build_and_push REF KIND VERSION: imports a fresh rootfs as REF and pushes it.
build_and_push() {
  local ref=$1 kind=$2 version=$3 root cmd env=()
  root=$BUILD_DIR/$(echo "$ref" | tr '/:' '__')
  make_rootfs "$root" "$kind" "$version"
  cmd=$WEB_CMD
  [ "$kind" = worker ] && cmd=$WORKER_CMD
  [ "$kind" = errors ] && env=(--change 'ENV ERROR_PERCENT=20')
  log "building $ref ($kind $version)"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -c . |
    docker import --change 'ENV PORT=8080' "${env[@]}" --change "$cmd" \
      --change "LABEL org.opencontainers.image.version=$version" --change "LABEL io.stella.estate=$kind" \
      --message "stella estate test image $kind $version" - "$ref" >/dev/null
  log "pushing $ref"
  docker push "$ref" >"$LOG_DIR/push.log" 2>&1 || { tail_log "$LOG_DIR/push.log"; die "docker push $ref failed"; }
}

# ensure_image REPO TAG KIND VERSION
ensure_image() {
  local repo=$1 tag=$2
  if has_tag "$repo" "$tag"; then
    log "$REGISTRY/$repo:$tag is in the registry"
    return 0
  fi
  build_and_push "$REGISTRY/$repo:$tag" "$3" "$4"
}

# descriptor REPO TAG PLATFORM-JSON: an index entry for a manifest already in the registry.
descriptor() {
  local headers
  headers=$(manifest_head "$1" "$2")
  printf '{"mediaType":"%s","digest":"%s","size":%s,"platform":%s}' \
    "$(echo "$headers" | header Content-Type)" "$(echo "$headers" | header Docker-Content-Digest)" \
    "$(echo "$headers" | header Content-Length)" "$3"
}

# put_manifest REPO TAG MEDIA-TYPE JSON
put_manifest() {
  curl -fsS -m 30 -X PUT -H "Content-Type: $3" --data-binary "$4" \
    "http://$REGISTRY/v2/$1/manifests/$2" -o /dev/null || die "PUT manifest $1:$2 failed"
  log "pushed $REGISTRY/$1:$2 ($3)"
}

# put_blob REPO CONTENT: uploads CONTENT as one blob (monolithic upload); prints its digest.
put_blob() {
  local digest location
  digest=sha256:$(printf '%s' "$2" | sha256sum | cut -d' ' -f1)
  location=$(curl -fsS -m 10 -X POST -D - -o /dev/null "http://$REGISTRY/v2/$1/blobs/uploads/" | tr -d '\r' | header Location)
  [ -n "$location" ] || die "blob upload to $1 was refused"
  case $location in http*) ;; *) location=http://$REGISTRY$location ;; esac
  case $location in *\?*) location="$location&digest=$digest" ;; *) location="$location?digest=$digest" ;; esac
  curl -fsS -m 30 -X PUT -H 'Content-Type: application/octet-stream' --data-binary "$2" "$location" -o /dev/null ||
    die "blob upload to $1 failed"
  echo "$digest"
}

# put_arm64_variant REPO FROM TO: TO is FROM's manifest with its config saying linux/arm64 (v8).
put_arm64_variant() {
  local repo=$1 manifest config config_digest
  manifest=$(curl -fsS -m 10 -H "Accept: $MT_DOCKER_MANIFEST" "http://$REGISTRY/v2/$repo/manifests/$2")
  config=$(curl -fsS -m 10 "http://$REGISTRY/v2/$repo/blobs/$(echo "$manifest" | jq -r .config.digest)" |
    jq -c '.architecture = "arm64" | .variant = "v8"')
  config_digest=$(put_blob "$repo" "$config")
  put_manifest "$repo" "$3" "$MT_DOCKER_MANIFEST" "$(echo "$manifest" |
    jq -c --arg d "$config_digest" --argjson n "$(printf '%s' "$config" | wc -c)" '.config.digest = $d | .config.size = $n')"
}

# The index and list are written by hand (docker 20.10 cannot push an OCI index); both reference
# the two per-platform images, which distribution requires to be in the same repository.
ensure_multi() {
  local repo=shop/multi t
  local all_there=1
  for t in 1.0 1.0-list 1.0-oci; do has_tag "$repo" "$t" || all_there=""; done
  if [ -n "$all_there" ]; then log "$REGISTRY/$repo:1.0 (index, list, oci) is in the registry"; return 0; fi
  ensure_image "$repo" 1.0-linux-amd64 web 1.0
  put_arm64_variant "$repo" 1.0-linux-amd64 1.0-linux-arm64
  local amd arm manifests
  amd=$(descriptor "$repo" 1.0-linux-amd64 '{"architecture":"amd64","os":"linux"}')
  arm=$(descriptor "$repo" 1.0-linux-arm64 '{"architecture":"arm64","os":"linux","variant":"v8"}')
  manifests="[$amd,$arm]"
  put_manifest "$repo" 1.0 "$MT_OCI_INDEX" \
    "{\"schemaVersion\":2,\"mediaType\":\"$MT_OCI_INDEX\",\"manifests\":$manifests}"
  put_manifest "$repo" 1.0-list "$MT_DOCKER_LIST" \
    "{\"schemaVersion\":2,\"mediaType\":\"$MT_DOCKER_LIST\",\"manifests\":$manifests}"
  # The amd64 image again, as an OCI image manifest over the same config and layer blobs.
  local docker_manifest oci
  docker_manifest=$(curl -fsS -m 10 -H "Accept: $MT_DOCKER_MANIFEST" "http://$REGISTRY/v2/$repo/manifests/1.0-linux-amd64")
  oci=$(echo "$docker_manifest" | jq -c --arg mt "$MT_OCI_MANIFEST" '{schemaVersion: 2, mediaType: $mt,
    config: (.config | .mediaType = "application/vnd.oci.image.config.v1+json"),
    layers: [.layers[] | .mediaType = "application/vnd.oci.image.layer.v1.tar+gzip"]}')
  put_manifest "$repo" 1.0-oci "$MT_OCI_MANIFEST" "$oci"
}

images_up() {
  mkdir -p "$BUILD_DIR" "$LOG_DIR"
  rm -rf "$BUILD_DIR/base" # busybox-static may have been upgraded since
  if [ "$(cat "$RECIPE_FILE" 2>/dev/null)" != "$RECIPE" ]; then
    log "image recipe is new or changed: building every image"
    STELLA_ESTATE_REBUILD=1
  fi
  ensure_image shop/web 1.4.0 web 1.4.0
  ensure_image shop/web 1.5.0 web 1.5.0
  ensure_image shop/web 1.6.0-broken broken 1.6.0
  ensure_image shop/web 1.5.0-errors errors 1.5.0
  ensure_image shop/worker 1.4.0 worker 1.4.0
  ensure_multi
  echo "$RECIPE" >"$RECIPE_FILE"
}

# images_status: one line per image with the digest its tag resolves to now.
images_status() {
  local ok=0 ref repo tag digest
  for ref in shop/web:1.4.0 shop/web:1.5.0 shop/web:1.6.0-broken shop/web:1.5.0-errors shop/worker:1.4.0 shop/multi:1.0; do
    repo=${ref%%:*} tag=${ref#*:}
    digest=$(tag_digest "$repo" "$tag")
    if [ -n "$digest" ]; then printf 'image           %s/%s@%s\n' "$REGISTRY" "$ref" "$digest"
    else printf 'image           %s/%s missing\n' "$REGISTRY" "$ref"; ok=1; fi
  done
  return $ok
}
