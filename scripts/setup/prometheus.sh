#!/usr/bin/env bash
# Makes sure Prometheus and promtool (Debian's package) are installed. The tests start their own Prometheus on
# 127.0.0.1 with a throwaway configuration and storage; the packaged service is never used.
set -euo pipefail

if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  exit 0
fi

echo "setup: installing Prometheus from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends prometheus >/dev/null
# The package starts its own server on :9090; the tests never use it.
service prometheus stop >/dev/null 2>&1 || true
