#!/usr/bin/env bash
# Makes sure a Docker engine answers on the default socket: installs Debian's docker.io (and debootstrap, which
# scripts/images/build-local-bases.sh uses) when missing, starts dockerd when it is not running, and waits for it.
# The engine runs with host networking only (no bridge, no iptables rules): builds and containers use
# `--network host` and talk to 127.0.0.1. Its log goes outside the repository:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/dotnet-service-template/dockerd.log
set -euo pipefail

cache="${XDG_CACHE_HOME:-$HOME/.cache}/dotnet-service-template"
log="$cache/dockerd.log"
wait_seconds="${DOCKER_START_TIMEOUT_SECONDS:-60}"

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]} from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if docker info >/dev/null 2>&1; then
  exit 0
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  mkdir -p "$cache"
  echo "setup: starting dockerd (log: $log)" >&2
  # setsid: the engine outlives this script and the test run that started it, like a system service would.
  setsid dockerd --bridge=none --iptables=false --ip-masq=false >>"$log" 2>&1 </dev/null &
fi

for ((i = 0; i < wait_seconds * 2; i++)); do
  if docker info >/dev/null 2>&1; then
    exit 0
  fi
  sleep 0.5
done

echo "setup: dockerd did not answer within ${wait_seconds}s; last log lines:" >&2
tail -n 20 "$log" >&2 || true
exit 1
