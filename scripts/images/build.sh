#!/usr/bin/env bash
# Builds the service's Linux container image(s) from the repository's Dockerfile.
#
#   scripts/images/build.sh [jit|aot|all] [--local-bases]      (default: all)
#
# Tags: $IMAGE_REPOSITORY:$IMAGE_TAG for jit, $IMAGE_REPOSITORY:$IMAGE_TAG-aot for aot.
# Environment (all optional):
#   IMAGE_REPOSITORY    image name without tag (default: company-service1)
#   IMAGE_TAG           tag (default: VERSION)
#   VERSION             stamped into the binary and the OCI labels (default: git describe, else 0.0.0-dev)
#   REVISION            commit stamped likewise (default: git rev-parse HEAD)
#   SOURCE_URL          org.opencontainers.image.source (default: the origin remote as https, if any)
#   LOCAL_BASES=1       same as --local-bases: build (once) and use the local base images of
#                       scripts/images/build-local-bases.sh instead of pulling the official ones
#   SDK_IMAGE, ASPNET_IMAGE, RUNTIME_DEPS_IMAGE   explicit base images (e.g. a registry mirror); win over both
#   DOCKER_BUILD_NETWORK  network for RUN steps (default: host, which restore needs on hosts without a bridge)
# Prints the built image names, one per line, on stdout.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
target=all
local_bases="${LOCAL_BASES:-0}"
for arg in "$@"; do
  case "$arg" in
    jit | aot | all) target="$arg" ;;
    --local-bases) local_bases=1 ;;
    -h | --help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "build: unknown argument '$arg' (expected jit, aot, all or --local-bases)" >&2; exit 2 ;;
  esac
done

git_in() { git -C "$root" "$@" 2>/dev/null; }
version="${VERSION:-$(git_in describe --tags --abbrev=0 | sed 's/^v//' || true)}"
version="${version:-0.0.0-dev}"
revision="${REVISION:-$(git_in rev-parse HEAD || echo unknown)}"
source_url="${SOURCE_URL:-$(git_in remote get-url origin | sed -E 's#^git@([^:]+):#https://\1/#; s#\.git$##' || true)}"
repository="${IMAGE_REPOSITORY:-company-service1}"
tag="${IMAGE_TAG:-$version}"

bases=()
if [[ "$local_bases" == 1 ]]; then
  while IFS='=' read -r name value; do
    case "$name" in
      SDK_IMAGE | ASPNET_IMAGE | RUNTIME_DEPS_IMAGE) [[ -n "${!name:-}" ]] || bases+=(--build-arg "$name=$value") ;;
    esac
  done < <("$root/scripts/images/build-local-bases.sh")
fi
for name in SDK_IMAGE ASPNET_IMAGE RUNTIME_DEPS_IMAGE; do
  if [[ -n "${!name:-}" ]]; then
    bases+=(--build-arg "$name=${!name}")
  fi
done

build() {
  local stage="$1" image="$2"
  echo "build: $image (target $stage, version $version, revision $revision)" >&2
  docker build --network "${DOCKER_BUILD_NETWORK:-host}" --target "$stage" \
    "${bases[@]}" \
    --build-arg "VERSION=$version" --build-arg "REVISION=$revision" --build-arg "SOURCE_URL=$source_url" \
    -t "$image" -f "$root/Dockerfile" "$root" >&2
  local size app_layer
  size="$(docker image inspect -f '{{.Size}}' "$image")"
  app_layer="$(docker history --format '{{.Size}}\t{{.CreatedBy}}' "$image" | awk -F'\t' '/COPY/ { print $1; exit }')"
  echo "build: $image is $(awk -v b="$size" 'BEGIN { printf "%.1f MB", b / 1e6 }') uncompressed; application layer $app_layer" >&2
  echo "$image"
}

case "$target" in
  jit) build jit "$repository:$tag" ;;
  aot) build aot "$repository:$tag-aot" ;;
  all)
    build jit "$repository:$tag"
    build aot "$repository:$tag-aot"
    ;;
esac
