#!/usr/bin/env bash
# What observability costs: publishes a bare minimal API (bench/Bare: Kestrel + routing, the same /version JSON)
# and the service, JIT and Native AOT, drives each with wrk on GET /version and prints requests/s, p50/p99
# latency, resident memory and the service/bare ratio as a markdown table (also written to
# bench/results/observability-cost.md).
#
# The service runs as shipped: tracing on with the default sampling (every trace recorded; no OTLP endpoint, so
# nothing is exported), Prometheus metrics, one ECS log line per request on stdout, read through a pipe as a
# container runtime does. Only the rate limiter is off (RateLimit__PermitsPerSecond=0) so it does not cap the run.
#
# Usage: bench/observability-cost.sh [seconds per run, default 20] [connections, default 32]
# Not part of scripts/test.sh: a benchmark on a shared 2-core machine is a measurement, not a pass/fail check.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
duration=${1:-20}
connections=${2:-32}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! command -v wrk >/dev/null 2>&1; then
  echo "bench: installing wrk from Debian's packages" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

publish() { # project output mode
  local extra=()
  if [[ $3 == aot ]]; then
    extra=(-r linux-x64 -p:PublishAot=true)
  fi
  if ! dotnet publish "$1" -c Release -o "$2" --nologo "${extra[@]}" -p:SourceRevisionId="$(git rev-parse HEAD)" >"$work/publish.log" 2>&1; then
    cat "$work/publish.log" >&2
    return 1
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Runs one binary under wrk; prints "req/s p50 p99 rss_mib".
measure() { # executable
  local port management pid stats rss
  port=$(free_port)
  management=$(free_port)
  # From its own folder, as in the container image (WORKDIR /app): that is where appsettings.json is read from.
  (cd "$(dirname "$1")" && exec env ASPNETCORE_HTTP_PORTS="$port" Management__Port="$management" RateLimit__PermitsPerSecond=0 \
    Drain__DelaySeconds=0 "$1") > >(cat >/dev/null) 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    if curl -fs "http://127.0.0.1:$port/version" >/dev/null 2>&1; then break; fi
    sleep 0.1
  done
  wrk -t2 -c"$connections" -d5s "http://127.0.0.1:$port/version" >/dev/null
  stats=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "http://127.0.0.1:$port/version")
  rss=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  awk -v rss="$rss" '
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = $2 }
    $1 == "99%" { p99 = $2 }
    END { printf "%.0f %s %s %s\n", rps, p50, p99, rss }' <<<"$stats"
}

table="| build | app | requests/s | p50 | p99 | RSS (MiB) | service / bare |
| --- | --- | ---: | ---: | ---: | ---: | ---: |"
for mode in jit aot; do
  echo "bench: publishing ($mode)" >&2
  publish bench/Bare/Bare.csproj "$work/bare-$mode" "$mode"
  publish src/Service/Service.csproj "$work/service-$mode" "$mode"
  echo "bench: measuring bare ($mode)" >&2
  read -r bare_rps bare_p50 bare_p99 bare_rss < <(measure "$work/bare-$mode/Bare")
  echo "bench: measuring service ($mode)" >&2
  read -r svc_rps svc_p50 svc_p99 svc_rss < <(measure "$work/service-$mode/Service")
  ratio=$(awk -v s="$svc_rps" -v b="$bare_rps" 'BEGIN { printf "%.0f %%", 100 * s / b }')
  table+="
| ${mode^^} | bare | $bare_rps | $bare_p50 | $bare_p99 | $bare_rss | |
| ${mode^^} | service | $svc_rps | $svc_p50 | $svc_p99 | $svc_rss | $ratio |"
done

report="# Observability cost

GET /version, wrk with 2 threads and $connections connections for ${duration} s after a 5 s warm-up, on $(nproc) cores
shared with wrk itself; $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD). The service runs with tracing
(default sampling, no exporter), metrics and one log line per request to a pipe; the rate limiter is off.

$table"
mkdir -p "$root/bench/results"
printf '%s\n' "$report" >"$root/bench/results/observability-cost.md"
printf '%s\n' "$table"
