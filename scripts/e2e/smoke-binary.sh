#!/usr/bin/env bash
# Starts a published service binary (JIT or Native AOT) on loopback, checks /livez, /readyz and /version,
# then stops it with SIGTERM and expects a clean exit 0 after the drain.
#
#   scripts/e2e/smoke-binary.sh artifacts/aot/Company.Service1
set -euo pipefail

binary=${1:?usage: smoke-binary.sh PATH_TO_SERVICE_BINARY}
port=${SMOKE_PORT:-18080}
base="http://127.0.0.1:$port"

log=$(mktemp)
# Outside Development the service refuses to start without authentication settings; this smoke test checks the
# unauthenticated endpoints only, so it opts out explicitly.
ASPNETCORE_HTTP_PORTS=$port Management__Port=$((port + 1)) Drain__DelaySeconds=1 Authentication__Disabled=true \
  "$binary" >"$log" 2>&1 &
pid=$!
# On any failure: stop the service and show its log.
trap 'status=$?; kill "$pid" 2>/dev/null || true; ((status == 0)) || cat "$log" >&2; rm -f "$log"' EXIT

deadline=$((SECONDS + 30))
until curl --silent --fail --max-time 2 "$base/livez" >/dev/null; do
  kill -0 "$pid" 2>/dev/null || { echo "smoke: the service exited during startup" >&2; exit 1; }
  ((SECONDS < deadline)) || { echo "smoke: /livez did not answer within 30 s" >&2; exit 1; }
  sleep 0.2
done
curl --silent --show-error --fail "$base/readyz" >/dev/null
curl --silent --show-error --fail "$base/version"
echo

kill -TERM "$pid"
code=0
wait "$pid" || code=$?
[[ $code -eq 0 ]] || { echo "smoke: exit code $code after SIGTERM (expected 0)" >&2; exit 1; }
echo "smoke: $binary started, answered and drained cleanly" >&2
