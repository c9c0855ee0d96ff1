#!/usr/bin/env bash
# Builds the service's container base image without a Docker daemon or a registry (neither is
# reachable here): Debian bookworm (minbase) with OpenJDK 17's headless runtime, from Debian's
# own packages, saved as a `docker save` tarball that Jib takes as `tar://` base image and
# `docker load` takes as it is. Needs root (debootstrap). Source it: `. .ci/base-image.sh`;
# it sets PRIVSEG_BASE_IMAGE, and builds the tarball only if it is not there yet.
set -euo pipefail

BASE_DIR="${PRIVSEG_BASE_DIR:-/tmp/privseg-base-image}"
export PRIVSEG_BASE_IMAGE="$BASE_DIR/privseg-base-bookworm-jre17.tar"
if [ ! -s "$PRIVSEG_BASE_IMAGE" ]; then
  if ! command -v debootstrap >/dev/null; then
    echo "installing debootstrap (Debian package)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fi
  if ! command -v python3 >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-minimal >/dev/null
  fi
  work=$(mktemp -d /tmp/privseg-base.XXXXXX)
  echo "building the base image (Debian bookworm, openjdk-17-jre-headless) in $work"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$work/rootfs" \
    http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log"; exit 1; }
  # What a runtime image does not need: package caches, documentation, locales but English.
  rm -rf "$work/rootfs/var/cache/apt/"* "$work/rootfs/var/lib/apt/lists/"* \
    "$work/rootfs/usr/share/doc/"* "$work/rootfs/usr/share/man/"*
  mkdir -p "$work/image"
  tar --numeric-owner -C "$work/rootfs" -cf "$work/image/layer.tar" .
  python3 - "$work/image" <<'PY'
import hashlib, json, sys
image = sys.argv[1]
digest = hashlib.sha256()
with open(f"{image}/layer.tar", "rb") as layer:
    for block in iter(lambda: layer.read(1 << 20), b""):
        digest.update(block)
config = {
    "architecture": "amd64",
    "os": "linux",
    "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                       "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64", "LANG=C.UTF-8"]},
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + digest.hexdigest()]},
    "history": [{"created_by": "debootstrap --variant=minbase "
                               "--include=openjdk-17-jre-headless bookworm"}],
}
with open(f"{image}/config.json", "w") as f:
    json.dump(config, f)
with open(f"{image}/manifest.json", "w") as f:
    json.dump([{"Config": "config.json", "RepoTags": ["privseg-base:bookworm-jre17"],
                "Layers": ["layer.tar"]}], f)
PY
  mkdir -p "$BASE_DIR"
  tar -C "$work/image" -cf "$PRIVSEG_BASE_IMAGE.part" manifest.json config.json layer.tar
  mv "$PRIVSEG_BASE_IMAGE.part" "$PRIVSEG_BASE_IMAGE"
  rm -rf "$work"
fi
echo "base image: $PRIVSEG_BASE_IMAGE ($(du -h "$PRIVSEG_BASE_IMAGE" | cut -f1))"
