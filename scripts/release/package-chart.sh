#!/usr/bin/env bash
# Packages charts/company-service1 for a release: chart version and appVersion both stamped with the release version, and
# the default image repository pointed at the published image, so `helm install oci://.../company-service1 --version X`
# runs image X without further values. Prints the path of the .tgz.
#
#   scripts/release/package-chart.sh 1.4.0 ghcr.io/acme/company-service1 dist/
set -euo pipefail

version=${1:?usage: package-chart.sh VERSION IMAGE_REPOSITORY [OUT_DIR]}
image_repository=${2:?usage: package-chart.sh VERSION IMAGE_REPOSITORY [OUT_DIR]}
out=${3:-dist}
version=${version#v}
HELM=${HELM:-helm}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$root/charts/company-service1" "$work/company-service1"

# values.yaml keeps its comments: replace the one `repository:` line of the top-level `image:` block in place.
awk -v repo="$image_repository" '
  /^[^[:space:]#]/ { in_image = ($0 ~ /^image:/) }
  in_image && /^  repository:/ && !done { print "  repository: " repo; done = 1; next }
  { print }
  END { if (!done) exit 1 }
' "$root/charts/company-service1/values.yaml" >"$work/company-service1/values.yaml" ||
  { echo "package-chart: no image.repository in values.yaml" >&2; exit 1; }

"$HELM" lint --strict "$work/company-service1" >&2
mkdir -p "$out"
"$HELM" package "$work/company-service1" --version "$version" --app-version "$version" --destination "$out" >&2

package="$out/company-service1-$version.tgz"
"$HELM" show values "$package" | grep -qx "  repository: $image_repository" ||
  { echo "package-chart: image.repository was not stamped" >&2; exit 1; }
[[ $("$HELM" show chart "$package" | sed -n 's/^appVersion: *//p' | tr -d '"') == "$version" ]] ||
  { echo "package-chart: appVersion was not stamped" >&2; exit 1; }
echo "$package"
