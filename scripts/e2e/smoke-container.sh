#!/usr/bin/env bash
# Runs an image and waits until its own HEALTHCHECK (the binary's `healthcheck` mode: no curl in the image)
# reports healthy, then stops it.
#if (windows)
# Works for the Linux images and, on a Windows host, the Windows image.
#endif
#
#   scripts/e2e/smoke-container.sh company-service1:ci --read-only --tmpfs /tmp --cap-drop ALL
#if (windows)
#   scripts/e2e/smoke-container.sh company-service1:ci-windows
#endif
set -euo pipefail

image=${1:?usage: smoke-container.sh IMAGE [docker run options...]}
shift
name="smoke-$$"
timeout_seconds=${SMOKE_TIMEOUT_SECONDS:-120}

# Outside Development the service refuses to start without authentication settings; the health check needs none.
docker run --detach --name "$name" --env Authentication__Disabled=true "$@" "$image" >/dev/null
trap 'status=$?; ((status == 0)) || docker logs "$name" >&2 || true; docker rm --force "$name" >/dev/null 2>&1 || true' EXIT

deadline=$((SECONDS + timeout_seconds))
while :; do
  health=$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$name")
  running=$(docker inspect --format '{{.State.Running}}' "$name")
  case "$health" in
    healthy) break ;;
    none) echo "smoke: $image has no HEALTHCHECK" >&2; exit 1 ;;
    unhealthy) echo "smoke: $image reports unhealthy" >&2; exit 1 ;;
  esac
  [[ $running == true ]] || { echo "smoke: $image exited before it was healthy" >&2; exit 1; }
  ((SECONDS < deadline)) || { echo "smoke: $image not healthy within ${timeout_seconds}s" >&2; exit 1; }
  sleep 2
done
echo "smoke: $image is healthy" >&2
# The drain (5 s delay + up to 25 s for in-flight requests) fits in 40 s.
docker stop --time 40 "$name" >/dev/null
