#!/usr/bin/env bash
# Makes sure Prometheus' promtool is installed (Debian's prometheus package). Tests evaluate PromQL with
# `promtool test rules`; the packaged Prometheus service is never used.
set -euo pipefail

if command -v promtool >/dev/null 2>&1; then
  exit 0
fi

echo "setup: installing prometheus (promtool) from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends prometheus >/dev/null
# Debian's package starts its own server; nothing here needs it.
service prometheus stop >/dev/null 2>&1 || true
