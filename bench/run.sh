#!/usr/bin/env bash
# Benchmarks: throughput, latency, startup, memory and drain of the service, side by side with a bare minimal
# API (bench/Bare: Kestrel + routing, the same /version answer) built from the same SDK and publish settings,
# JIT and Native AOT, in one run on this machine. Prints one markdown table and writes it, with the targets,
# to bench/results/benchmarks.md.
#
# Usage: bench/run.sh [--smoke] [--version-only]
#   --smoke          one short round of everything (keeps the harness from rotting in CI; the numbers mean nothing)
#   --version-only   only the paired /version rounds against the bare API: the guard for a change to the request path
# Not part of scripts/test.sh: a benchmark on a shared machine is a measurement, not a pass/fail check.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
duration=10 warmup=3 rounds=3 pairs=15 pair_duration=5 starts=10 connections=32 threads=2 mode_note="" version_only=false
for argument in "$@"; do
  case $argument in
    --smoke) duration=2 warmup=1 rounds=1 pairs=1 pair_duration=2 starts=2 mode_note=", SMOKE MODE: not a measurement" ;;
    --version-only) version_only=true ;;
    *) echo "usage: bench/run.sh [--smoke] [--version-only]" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d)
chmod 755 "$work" # the database server runs as the postgres user and must reach its folder
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  "$root/scripts/local-postgres.sh" stop "$work/pg" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for tool in wrk curl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench: installing $tool from Debian's packages" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
  fi
done
"$root/scripts/setup/postgres.sh"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

publish() { # project output jit|aot
  local extra=()
  if [[ $3 == aot ]]; then extra=(-r linux-x64 -p:PublishAot=true); fi
  dotnet publish "$1" -c Release -o "$2" --nologo -v quiet "${extra[@]}" -p:SourceRevisionId="$(git rev-parse HEAD)" >&2
}

rss_mib() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# wrk's latency figures come with units (us, ms, s); the table uses milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; printf "%.2f", n }'; }

# wrk's arguments for a URL: with $bearer set, every request carries it as its bearer token.
wrk_args() { # duration
  printf '%s\n' -t"$threads" -c"$connections" -d"$1"
  if [[ -n ${bearer:-} ]]; then printf '%s\n' -H "Authorization: Bearer $bearer"; fi
}

# One wrk round; prints "rps p50_ms p99_ms errors".
wrk_round() { # url [script]
  local args
  mapfile -t args < <(wrk_args "${duration}s")
  args+=(--latency)
  if [[ -n ${2:-} ]]; then args+=(-s "$2"); fi
  wrk "${args[@]}" "$1" | awk '
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = $2 }
    $1 == "99%" { p99 = $2 }
    /Socket errors/ { gsub(",", ""); errors += $4 + $6 + $8 + $10 }
    /Non-2xx/ { errors += $5 }
    END { printf "%.0f %s %s %d\n", rps, p50, p99, errors }'
}

# The middle line of its arguments, ordered numerically by their first field (lines are "rps ..." or a ratio).
median() { printf '%s\n' "$@" | sort -n | awk -v n="$#" 'NR == int((n + 1) / 2)'; }

# Warm-up, then the median (by requests/s) of the rounds; prints "rps p50_ms p99_ms errors".
measure() { # url [script]
  local args
  mapfile -t args < <(wrk_args "${warmup}s")
  wrk "${args[@]}" ${2:+-s "$2"} "$1" >/dev/null
  local results=()
  for _ in $(seq 1 "$rounds"); do results+=("$(wrk_round "$@")"); done
  read -r rps p50 p99 errors <<<"$(median "${results[@]}")"
  echo "$rps $(to_ms "$p50") $(to_ms "$p99") $errors"
}

# Bare and service on /version, one short round each in turn, so both see the same moments of a shared machine: a
# noisy neighbour slows a pair, not one side. Which side goes first alternates, so a machine that speeds up or slows
# down during a pair favours neither side overall. Prints "bare_rps bare_p50 bare_p99 bare_err svc_rps svc_p50 svc_p99 svc_err
# ratio_percent": medians of each side's rounds, and the median of the per-pair company-service1/bare ratios.
# With a third argument, the second side's requests carry it as their bearer token (the first side's never do).
measure_pairs() { # bare_url service_url [bearer]
  local token=${3:-}
  bearer='' wrk_round "$1" >/dev/null
  bearer=$token wrk_round "$2" >/dev/null
  local bare_rounds=() service_rounds=() ratios=() b s
  for pair in $(seq 1 "$pairs"); do
    if ((pair % 2)); then
      b=$(bearer='' duration=$pair_duration wrk_round "$1")
      s=$(bearer=$token duration=$pair_duration wrk_round "$2")
    else
      s=$(bearer=$token duration=$pair_duration wrk_round "$2")
      b=$(bearer='' duration=$pair_duration wrk_round "$1")
    fi
    bare_rounds+=("$b")
    service_rounds+=("$s")
    ratios+=("$(awk -v s="${s%% *}" -v b="${b%% *}" 'BEGIN { printf "%.1f", 100 * s / b }')")
  done
  read -r b_rps b_p50 b_p99 b_err <<<"$(median "${bare_rounds[@]}")"
  read -r s_rps s_p50 s_p99 s_err <<<"$(median "${service_rounds[@]}")"
  echo "$b_rps $(to_ms "$b_p50") $(to_ms "$b_p99") $b_err $s_rps $(to_ms "$s_p50") $(to_ms "$s_p99") $s_err $(median "${ratios[@]}")"
  echo "bench: company-service1/bare per pair: ${ratios[*]} (%)" >&2
  echo "${ratios[*]}" >"$work/pairs"
}

# One sample from the service's own /metrics (the sum over its label sets).
sample() { # management_port metric [label filter]
  curl -fs "http://127.0.0.1:$1/metrics" | awk -v m="$2" -v f="${3:-}" '
    $1 == m || index($1, m "{") == 1 { if (f == "" || index($1, f) > 0) { sum += $2 } }
    END { printf "%.0f", sum }'
}

start() { # executable port [ENV=value ...]; waits until $ready_path (default /readyz) answers 200
  local executable=$1 port=$2
  shift 2
  management_port=$(free_port)
  env ASPNETCORE_HTTP_PORTS="$port" Management__Port="$management_port" RateLimit__PermitsPerSecond=0 RateLimit__PermitsPerClientPerSecond=0 Authentication__Disabled=true "$@" \
    "$executable" > >(cat >/dev/null) 2>&1 &
  started_pid=$!
  pids+=("$started_pid")
  for _ in $(seq 1 300); do
    if curl -fs "http://127.0.0.1:$port${ready_path:-/readyz}" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "bench: $executable never became ready" >&2
  return 1
}

stop() { kill -TERM "$1"; wait "$1" 2>/dev/null || true; }

# SIGTERM in the middle of a wrk run; wrk stops before the listener closes, as a load balancer stops sending
# once readiness fails. Prints the number of failed requests (socket errors + non-2xx).
drain_failures() { # executable
  local port
  port=$(free_port)
  start "$1" "$port" ConnectionStrings__Postgres="$database" Drain__DelaySeconds=4
  local pid=$started_pid
  (sleep 1 && kill -TERM "$pid") &
  local result
  result=$(wrk -t2 -c"$connections" -d3s "http://127.0.0.1:$port/version" | awk '
    /Socket errors/ { gsub(",", ""); errors += $4 + $6 + $8 + $10 }
    /Non-2xx/ { errors += $5 }
    END { print errors + 0 }')
  wait "$pid" 2>/dev/null || true
  echo "$result"
}

# A signing key and a token for the authenticated twin (HS256: the chart's default kind of key).
key=$(openssl rand 32 | base64 -w0 | tr '+/' '-_' | tr -d '=')
printf '{"keys":[{"kty":"oct","kid":"bench","alg":"HS256","k":"%s"}]}' "$key" >"$work/jwks.json"
token=$("$root/scripts/mint-token.sh" --jwks "$work/jwks.json" --issuer bench --audience bench --subject bench \
  --scope 'todos:read todos:write' --lifetime 86400)

echo "bench: starting PostgreSQL" >&2
database=$("$root/scripts/local-postgres.sh" start "$work/pg" "$(free_port)")

rows=()
pair_notes=()
for mode in jit aot; do
  echo "bench: publishing bare and service ($mode)" >&2
  publish bench/Bare/Bare.csproj "$work/bare-$mode" "$mode"
  publish src/Company.Service1/Company.Service1.csproj "$work/service-$mode" "$mode"
  bare="$work/bare-$mode/Bare"
  service="$work/service-$mode/Company.Service1"
  ConnectionStrings__Postgres="$database" "$service" migrate >/dev/null

  echo "bench: bare and service on /version, interleaved ($mode)" >&2
  bare_port=$(free_port)
  ready_path=/version start "$bare" "$bare_port"
  bare_pid=$started_pid
  port=$(free_port)
  start "$service" "$port" ConnectionStrings__Postgres="$database"
  pid=$started_pid
  sleep 1
  idle_rss=$(rss_mib "$pid")
  allocated_before=$(sample "$management_port" system_runtime_dotnet_gc_heap_total_allocated)
  served_before=$(sample "$management_port" http_request_duration_seconds_count 'route="/version"')
  read -r b_rps b_p50 b_p99 b_err v_rps v_p50 v_p99 v_err ratio_pct < <(measure_pairs "http://127.0.0.1:$bare_port/version" "http://127.0.0.1:$port/version")
  allocated=$(( $(sample "$management_port" system_runtime_dotnet_gc_heap_total_allocated) - allocated_before ))
  served=$(( $(sample "$management_port" http_request_duration_seconds_count 'route="/version"') - served_before ))
  per_request=$(awk -v a="$allocated" -v n="$served" 'BEGIN { printf "%.0f", (n > 0 ? a / n : 0) }')
  pair_notes+=("${mode^^} $(sed 's/ /%, /g' "$work/pairs")%")
  # The ratio depends on how much of the two cores the load generator takes: with one wrk thread the servers get more.
  echo "bench: the same pairs with one wrk thread ($mode)" >&2
  read -r b1_rps _ _ _ v1_rps _ _ _ ratio1_pct < <(threads=1 measure_pairs "http://127.0.0.1:$bare_port/version" "http://127.0.0.1:$port/version")
  pair_notes+=("${mode^^} with one wrk thread $(sed 's/ /%, /g' "$work/pairs")%")
  b_rss=$(rss_mib "$bare_pid")
  stop "$bare_pid"
  M=${mode^^}
  ratio=$(awk -v r="$ratio_pct" 'BEGIN { printf "%.0f%%", r }')
  ratio1=$(awk -v r="$ratio1_pct" 'BEGIN { printf "%.0f%%", r }')
  p99x=$(awk -v s="$v_p99" -v b="$b_p99" 'BEGIN { printf "%.1f×", s / b }')
  rows+=("| $M | GET /version — bare | $b_rps | $b_p50 | $b_p99 | $b_err | RSS after load $b_rss MiB |")
  rows+=("| $M | GET /version — service | $v_rps | $v_p50 | $v_p99 | $v_err | $ratio of bare req/s (median of $pairs paired rounds), p99 $p99x bare; $per_request bytes allocated per request |")
  rows+=("| $M | GET /version, one wrk thread — bare / service | $b1_rps / $v1_rps | | | | $ratio1 of bare req/s (median of $pairs paired rounds) |")
  if $version_only; then
    stop "$pid"
    printf '%s\n' "${rows[@]: -3}" >&2
    continue
  fi
  id=$(curl -fs -H 'Content-Type: application/json' -d '{"title":"read me"}' "http://127.0.0.1:$port/api/v1/todos" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
  read -r g_rps g_p50 g_p99 g_err < <(measure "http://127.0.0.1:$port/api/v1/todos/$id")
  read -r l_rps l_p50 l_p99 l_err < <(measure "http://127.0.0.1:$port/api/v1/todos?limit=20")
  read -r w_rps w_p50 w_p99 w_err < <(measure "http://127.0.0.1:$port/api/v1/todos" "$root/bench/wrk/create-todo.lua")
  load_rss=$(rss_mib "$pid")

  echo "bench: the same read with a bearer token, against a twin that validates it, interleaved ($mode)" >&2
  auth_port=$(free_port)
  start "$service" "$auth_port" ConnectionStrings__Postgres="$database" Authentication__Disabled=false \
    Authentication__Issuer=bench Authentication__Audience=bench Authentication__SigningKeys="$(cat "$work/jwks.json")"
  auth_pid=$started_pid
  read -r _ _ _ o_err a_rps a_p50 a_p99 a_err auth_pct < <(measure_pairs "http://127.0.0.1:$port/api/v1/todos/$id" \
    "http://127.0.0.1:$auth_port/api/v1/todos/$id" "$token")
  stop "$auth_pid"
  stop "$pid"

  echo "bench: cold starts ($mode)" >&2
  read -r s_median s_min s_max _ < <(ConnectionStrings__Postgres="$database" python3 "$root/bench/startup.py" "$service" "$starts" "$(free_port)")

  echo "bench: drain under load ($mode)" >&2
  d_failed=$(drain_failures "$service")

  rows+=("| $M | GET /api/v1/todos/{id} (PostgreSQL) | $g_rps | $g_p50 | $g_p99 | $g_err | |")
  auth_ratio=$(awk -v r="$auth_pct" 'BEGIN { printf "%.0f%%", r }')
  rows+=("| $M | GET /api/v1/todos/{id} with a bearer token (PostgreSQL) | $a_rps | $a_p50 | $a_p99 | $((o_err + a_err)) | $auth_ratio of the same read without authentication (median of $pairs paired rounds): the cost of validating an HS256 token |")
  rows+=("| $M | GET /api/v1/todos?limit=20 (PostgreSQL) | $l_rps | $l_p50 | $l_p99 | $l_err | |")
  rows+=("| $M | POST /api/v1/todos (PostgreSQL) | $w_rps | $w_p50 | $w_p99 | $w_err | |")
  rows+=("| $M | startup to first 200 on /readyz | | | | | median ${s_median} ms of $starts (min $s_min, max $s_max) |")
  rows+=("| $M | memory | | | | | RSS idle $idle_rss MiB, after load $load_rss MiB |")
  rows+=("| $M | SIGTERM under load | | | | $d_failed | failed requests during the drain |")
  printf '%s\n' "${rows[@]: -10}" >&2
done

table="| build | scenario | requests/s | p50 ms | p99 ms | errors | notes |
| --- | --- | ---: | ---: | ---: | ---: | --- |
$(printf '%s\n' "${rows[@]}")"

report="# Benchmarks

$(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD), $(nproc) cores shared with the load generator (wrk, 2 threads unless the row says one,
$connections connections, ${warmup} s warm-up, median of $rounds × ${duration} s rounds; /version: $pairs pairs of
${pair_duration} s rounds, bare and service taking turns, ratio = median of the per-pair ratios)$mode_note.
The service runs as shipped (tracing with the default sampling, metrics, one log line per request to a pipe) with the
rate limiter and authentication off, except the bearer-token row: a twin instance with authentication on, paired round by
round with the same read on the open instance. Allocations per request come from the service's own runtime metrics (the bare API has none).

$table

Service/bare requests/s on /version, pair by pair in the order measured: $(printf '%s; ' "${pair_notes[@]}" | sed 's/; $//').

Targets: /version ≥ 85% of bare requests/s and p99 ≤ 2× bare (JIT and AOT); startup to ready AOT ≤ 150 ms,
JIT ≤ 600 ms; RSS after load AOT ≤ 80 MiB, JIT ≤ 150 MiB; PostgreSQL read path ≥ 15,000 requests/s with
p99 < 20 ms; 0 failed requests during the drain."
if ! $version_only; then
  mkdir -p "$root/bench/results"
  printf '%s\n' "$report" >"$root/bench/results/benchmarks.md"
fi
printf '%s\n' "$table"
