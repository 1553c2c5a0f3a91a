#!/usr/bin/env bash
# Makes sure PostgreSQL's server binaries (initdb, pg_ctl, postgres) are installed.
# The tests start their own throwaway clusters from them; nothing is started here.
set -euo pipefail

if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  exit 0
fi

echo "setup: installing PostgreSQL from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq postgresql >/dev/null
# Debian's package starts its own cluster; the tests never use it.
service postgresql stop >/dev/null 2>&1 || true
