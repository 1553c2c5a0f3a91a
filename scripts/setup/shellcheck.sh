#!/usr/bin/env bash
# Makes sure shellcheck is installed: the tests check every shell script the repository ships with it.
set -euo pipefail

if command -v shellcheck >/dev/null 2>&1; then
  exit 0
fi

echo "setup: installing shellcheck from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq shellcheck >/dev/null
