#!/usr/bin/env bash
# Makes sure the tools the hosting tests use are installed: systemd-analyze checks the systemd unit, and
# the shell linter checks deploy/systemd/install.sh. Nothing is started: systemd only serves as a unit checker.
set -euo pipefail

missing=()
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "setup: installing ${missing[*]} from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
