#!/usr/bin/env bash
# Installs the Kubernetes, Istio, Argo Rollouts, Gateway API and prometheus-operator type definitions plus the
# TypeScript compiler that the chart tests use for strict manifest validation (tests/Charts.Tests/schema).
# `npm ci` from the committed lock file; a quick no-op when node_modules already matches it.
set -euo pipefail

dir="$(cd "$(dirname "$0")/../.." && pwd)/tests/Charts.Tests/schema"
stamp="$dir/node_modules/.package-lock.sha256"
want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)

if [[ -x "$dir/node_modules/.bin/tsc" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi

echo "setup: installing manifest schemas (npm ci in tests/Charts.Tests/schema)" >&2
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
echo "$want" >"$stamp"
