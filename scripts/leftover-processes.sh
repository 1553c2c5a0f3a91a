#!/usr/bin/env bash
# Fails when a copy of the service binary that the tests started is still running: every test that starts the
# service must stop it, even when the test fails. Matches by executable path, so the infrastructure that setup
# starts on purpose (dockerd, PostgreSQL, Prometheus) and containers (their binary is not under these folders)
# never count. Counted: the service binary under this repository (artifacts/publish, test output folders) or under
# the temp folder (the tests' private publishes and copies).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
# The service's binary is named after its project (the only one in src/), so this survives renaming the template.
project=$(find "$root/src" -mindepth 2 -maxdepth 2 -name '*.csproj' -print -quit)
name=$(basename "$project" .csproj)
tmp="${TMPDIR:-/tmp}"
tmp="${tmp%/}"

leftovers=()
for exe in /proc/[0-9]*/exe; do
  pid="${exe#/proc/}"
  pid="${pid%/exe}"
  # Processes of other users, or ones that exited meanwhile, cannot be read: skip them.
  path=$(readlink "$exe" 2>/dev/null) || continue
  path="${path% (deleted)}"
  [[ "$(basename "$path")" == "$name" ]] || continue
  if [[ "$path" == "$root/"* || "$path" == "$tmp/"* ]]; then
    leftovers+=("$pid $path")
  fi
done

if ((${#leftovers[@]} > 0)); then
  list=$(printf '%s, ' "${leftovers[@]}")
  echo "leftover processes: the tests left ${#leftovers[@]} service process(es) running: ${list%, }" >&2
  exit 1
fi
