#!/usr/bin/env bash
# Downloads istioctl (pinned version, checksum verified) into a cache folder and prints that folder.
# 1.26 supports Kubernetes 1.29-1.33, which covers the kind node image CI uses.
#
#   PATH="$(scripts/e2e/install-istio.sh):$PATH"
set -euo pipefail

ISTIO_VERSION=${ISTIO_VERSION:-1.26.3}
cache="${XDG_CACHE_HOME:-$HOME/.cache}/dotnet-service-template/istio-$ISTIO_VERSION"

if [[ -x "$cache/istioctl" ]]; then
  echo "$cache"
  exit 0
fi

case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "install-istio: unsupported machine $(uname -m)" >&2; exit 1 ;;
esac

archive="istioctl-$ISTIO_VERSION-linux-$arch.tar.gz"
base="https://github.com/istio/istio/releases/download/$ISTIO_VERSION"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "install-istio: fetching $archive" >&2
curl --fail --silent --show-error --location --retry 3 --output "$work/$archive" "$base/$archive"
curl --fail --silent --show-error --location --retry 3 --output "$work/$archive.sha256" "$base/$archive.sha256"
(cd "$work" && sha256sum --check --status "$archive.sha256")

mkdir -p "$cache"
tar -xzf "$work/$archive" -C "$cache" istioctl
"$cache/istioctl" version --remote=false >&2
echo "$cache"
