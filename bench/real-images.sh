#!/usr/bin/env bash
# Real Debian bookworm images for benches and tests, built ONCE from Debian packages with
# mmdebstrap + umoci and cached outside the repo (idempotent; concurrent callers wait on a
# lock). Each image is one gzip layer (a minbase root plus its packages), as a Debian-based
# image from a registry would be.
#
#   bench/real-images.sh build      # build what is missing (minutes the first time, ~0 s after)
#   bench/real-images.sh dir        # print the cache directory
#
# The cache ($BERTH_REAL_IMAGES, default /var/cache/berth-real-images):
#   oci/                  one OCI layout, tags python, nginx, redis
#   registry/             a docker-registry storage root with real/python:bookworm,
#                         real/nginx:bookworm, real/redis:bookworm (serve it read-only with
#                         `docker-registry serve`: test/helpers/real-images.ts does)
# The apt mirror is the host's own (the first URIs/deb line of its apt sources), or
# $BERTH_DEBIAN_MIRROR.
set -euo pipefail

CACHE=${BERTH_REAL_IMAGES:-/var/cache/berth-real-images}
# name | packages | umoci config flags
IMAGES=(
  "python|python3|--config.cmd=python3"
  "nginx|nginx-light|--config.cmd=nginx --config.cmd=-g --config.cmd=daemon off; --config.exposedports=80/tcp --config.stopsignal=SIGQUIT"
  "redis|redis-server|--config.cmd=redis-server --config.cmd=--protected-mode --config.cmd=no --config.exposedports=6379/tcp"
)

mirror() {
  if [ -n "${BERTH_DEBIAN_MIRROR:-}" ]; then echo "$BERTH_DEBIAN_MIRROR"; return; fi
  local m
  m=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }')
  [ -n "$m" ] || m=$(awk '/^deb / && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$m" ] || { echo "real-images: no Debian mirror in the apt sources; set BERTH_DEBIAN_MIRROR" >&2; exit 1; }
  echo "$m"
}

# a marker per finished image (a pipe into `grep -q` under pipefail could fail on SIGPIPE and
# rebuild an image that is there); a layout from before the markers is asked once
has_tag() {
  [ -f "$CACHE/oci/.built-$1" ] && return 0
  [ -f "$CACHE/oci/index.json" ] || return 1
  local tags
  tags=$(umoci ls --layout "$CACHE/oci" 2>/dev/null) || return 1
  grep -qx "$1" <<<"$tags" && touch "$CACHE/oci/.built-$1"
}

build_image() {
  local name=$1 pkgs=$2 flags=$3 tmp
  has_tag "$name" && return 0
  echo "real-images: building $name ($pkgs) ..." >&2
  tmp=$(mktemp -d "$CACHE/.build-$name.XXXXXX")
  mmdebstrap --quiet --variant=minbase --include="$pkgs" --skip=output/dev \
    --aptopt='Acquire::Retries "3"' bookworm "$tmp/rootfs.tar" "$(mirror)"
  [ -f "$CACHE/oci/index.json" ] || umoci init --layout "$CACHE/oci"
  umoci new --image "$CACHE/oci:$name.tmp"
  umoci raw add-layer --image "$CACHE/oci:$name.tmp" "$tmp/rootfs.tar"
  local args=() f
  IFS=' ' read -r -a words <<<"$flags"
  # re-join "--config.cmd=daemon off;" (a value with a space) from the word list
  for f in "${words[@]}"; do
    if [[ $f == --* ]]; then args+=("$f"); else args[${#args[@]}-1]+=" $f"; fi
  done
  rm -rf "$tmp"
  umoci config --image "$CACHE/oci:$name.tmp" --tag "$name" \
    --config.env=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${args[@]}"
  umoci rm --image "$CACHE/oci:$name.tmp"
  umoci gc --layout "$CACHE/oci"
  touch "$CACHE/oci/.built-$name"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

build_registry() {
  [ -f "$CACHE/registry/.complete" ] && return 0
  echo "real-images: filling the registry storage ..." >&2
  rm -rf "$CACHE/registry" "$CACHE/.registry.tmp"
  mkdir -p "$CACHE/.registry.tmp"
  local port pid i
  port=$(free_port)
  cat >"$CACHE/.registry.tmp/config.yml" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $CACHE/.registry.tmp/data
http:
  addr: 127.0.0.1:$port
EOF
  docker-registry serve "$CACHE/.registry.tmp/config.yml" 2>/dev/null &
  pid=$!
  for i in $(seq 100); do
    curl -fs "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break
    sleep 0.1
  done
  for entry in "${IMAGES[@]}"; do
    local name=${entry%%|*}
    skopeo copy --quiet --dest-tls-verify=false "oci:$CACHE/oci:$name" "docker://127.0.0.1:$port/real/$name:bookworm"
  done
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  mv "$CACHE/.registry.tmp/data" "$CACHE/registry"
  rm -rf "$CACHE/.registry.tmp"
  touch "$CACHE/registry/.complete"
}

case "${1:-build}" in
  dir) echo "$CACHE" ;;
  build)
    mkdir -p "$CACHE"
    exec 9>"$CACHE/.lock"
    flock 9
    rm -rf "$CACHE"/.build-* # what an interrupted build left
    for entry in "${IMAGES[@]}"; do
      IFS='|' read -r name pkgs flags <<<"$entry"
      build_image "$name" "$pkgs" "$flags"
    done
    build_registry
    ;;
  *) echo "usage: $0 [build|dir]" >&2; exit 2 ;;
esac
