#!/usr/bin/env bash
# Container startup benchmark: Native AOT vs JIT images of the service, on the same (local) base images.
# For each image: uncompressed size and application layer, the time from `docker run` to the first 200 on
# /readyz (and from the container's process start to it), median of N cold starts (a new container each), and
# the main process's RSS once idle. Runs the containers with the chart's hardening flags on host networking,
# without a database (the in-memory store), so the numbers are the service's own.
#
#   bench/container-startup.sh            (RUNS=10 by default; writes bench/results/container-startup.md)
#
# Targets: AOT ready < 150 ms, JIT ready < 600 ms, AOT idle RSS < 40 MB.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${RUNS:-10}"
idle_seconds="${IDLE_SECONDS:-5}"
result="$root/bench/results/container-startup.md"
repository=company-service1-bench
# A fixed version and revision: the stamp does not change startup, and a rerun with unchanged sources reuses the build.
export IMAGE_REPOSITORY="$repository" IMAGE_TAG=bench VERSION=0.0.0-bench REVISION=bench

"$root/scripts/setup/docker.sh"
"$root/scripts/images/build.sh" all --local-bases >/dev/null

now_ns() { date +%s%N; }
ms() { echo $((($1) / 1000)); } # microseconds to milliseconds
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

run_once() { # image -> "docker_run_to_ready_us process_start_to_ready_us cpu_to_ready_ms rss_kib"
  local image="$1" port mgmt id start ready started pid cpu rss
  port="$(free_port)"
  mgmt="$(free_port)"
  start="$(now_ns)"
  id="$(docker run -d --network host --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges \
    --user 1654 -e "ASPNETCORE_HTTP_PORTS=$port" -e "Management__Port=$mgmt" -e Authentication__Disabled=true "$image")"
  for ((i = 0; i < 3000; i++)); do # bounded: about 15 s
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/readyz" || true)" == 200 ]]; then
      break
    fi
    sleep 0.005
  done
  ready="$(now_ns)"
  if ((i == 3000)); then
    docker logs "$id" >&2 || true
    docker rm -f "$id" >/dev/null
    echo "bench: $image did not become ready" >&2
    return 1
  fi
  pid="$(docker inspect -f '{{.State.Pid}}' "$id")"
  # CPU time (user + system) the process used until it was ready: unlike wall time, it barely moves when other
  # work competes for the cores.
  cpu="$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$pid/stat")"
  started="$(date -d "$(docker inspect -f '{{.State.StartedAt}}' "$id")" +%s%N)"
  sleep "$idle_seconds" # idle: no requests, startup work finished
  rss="$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")"
  docker rm -f "$id" >/dev/null
  echo "$(((ready - start) / 1000)) $(((ready - started) / 1000)) $cpu $rss"
}

echo "bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine inflates wall times)" >&2
rows=()
for variant in aot jit; do
  image="$repository:bench"
  [[ "$variant" == aot ]] && image="$repository:bench-aot"
  size="$(docker image inspect -f '{{.Size}}' "$image")"
  app_layer="$(docker history --format '{{.Size}}\t{{.CreatedBy}}' "$image" | awk -F'\t' '/COPY/ { print $1; exit }')"
  run_once "$image" >/dev/null # first start after a build warms the page cache; not counted
  samples=()
  for ((n = 0; n < runs; n++)); do
    samples+=("$(run_once "$image")")
    echo "bench: $variant run $((n + 1))/$runs: ${samples[-1]}" >&2
  done
  total="$(printf '%s\n' "${samples[@]}" | awk '{ print $1 }' | median)"
  process="$(printf '%s\n' "${samples[@]}" | awk '{ print $2 }' | median)"
  fastest="$(printf '%s\n' "${samples[@]}" | awk '{ print $1 }' | sort -n | head -n 1)"
  slowest="$(printf '%s\n' "${samples[@]}" | awk '{ print $1 }' | sort -n | tail -n 1)"
  engine="$(printf '%s\n' "${samples[@]}" | awk '{ print $1 - $2 }' | median)"
  cpu="$(printf '%s\n' "${samples[@]}" | awk '{ print $3 }' | median)"
  rss="$(printf '%s\n' "${samples[@]}" | awk '{ print $4 }' | median)"
  rows+=("| $variant | $(awk -v b="$size" 'BEGIN { printf "%.1f MB", b / 1e6 }') | $app_layer | $(ms "$total") ms ($(ms "$fastest")–$(ms "$slowest")) | $(ms "$engine") ms | $(ms "$process") ms | $cpu ms | $(awk -v k="$rss" 'BEGIN { printf "%.1f MB", k / 1024 }') |")
done

mkdir -p "$(dirname "$result")"
{
  echo "# Container startup: Native AOT vs JIT"
  echo
  echo "Median of $runs cold starts (a new container each) per image, $(nproc) CPU cores, Docker $(docker version -f '{{.Server.Version}}'),"
  echo "local base images from scripts/images/build-local-bases.sh, hardened flags as in the chart, no database."
  echo "\"docker run → ready\" includes creating and starting the container; \"process → ready\" counts from the"
  echo "container's start time (State.StartedAt); \"CPU time\" is user + system time of the service process until ready."
  echo "Idle RSS: VmRSS of the service process ${idle_seconds} s after it became ready. Load average when done: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| image | size (uncompressed) | app layer | docker run → ready: median (min–max) | of which Docker (create + start) | process → ready | CPU time to ready | idle RSS |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Targets: AOT ready < 150 ms, JIT ready < 600 ms, AOT idle RSS < 40 MB. Measured $(date -u +%Y-%m-%d)."
} >"$result"
cat "$result"
