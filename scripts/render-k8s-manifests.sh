#!/usr/bin/env bash
# Renders the plain manifests in k8s/ from the Helm chart with k8s/source/values.yaml, one file per template,
# for users without Helm. Writes to k8s/ (or to the folder given), leaving hand-written files alone.
#
#   scripts/render-k8s-manifests.sh            # refresh k8s/ and commit the result
#   scripts/render-k8s-manifests.sh /tmp/out  # render elsewhere (the tests compare that with k8s/)
#   scripts/render-k8s-manifests.sh /tmp/out --set activeSlot=green   # further helm arguments after the folder
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/k8s}"
bin=$("$root/scripts/setup/helm.sh")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin/helm" template company-service1 "$root/charts/company-service1" \
  --namespace company-service1 \
  --values "$root/k8s/source/values.yaml" \
  --skip-tests \
  --output-dir "$work" "${@:2}" >/dev/null

mkdir -p "$out"
for file in "$work"/company-service1/templates/*.yaml; do
  {
    echo "# Rendered from charts/company-service1 by scripts/render-k8s-manifests.sh: edit k8s/source/values.yaml (or the"
    echo "# chart) and re-run the script instead of editing this file."
    # Applied with kubectl, not managed by Helm.
    sed -e 's/app.kubernetes.io\/managed-by: Helm/app.kubernetes.io\/managed-by: kubectl/' "$file"
  } >"$out/$(basename "$file")"
done
