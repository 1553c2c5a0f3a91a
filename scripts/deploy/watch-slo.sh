#!/usr/bin/env bash
# Watches the service's error rate in Prometheus for a window after a switch, and fails as soon as the SLO is
# violated, or at the end when the new slot served fewer requests than the minimum. Exit codes: 0 the SLO held for
# the whole window; 1 violated (or too little traffic to tell, or Prometheus could not be asked three times in a
# row: an unverified release counts as a bad one); 2 usage error.
#
#   PROMETHEUS_URL=http://127.0.0.1:9090 NAMESPACE=shop FULLNAME=company-service1 SLOT=green scripts/deploy/watch-slo.sh
#
# What it reads: with Istio, what the callers saw. istio_requests_total as reported by the calling side
# (reporter="source": the ingress gateway and the callers' sidecars) for the release's Services, so the 503/504s
# Envoy generates itself (crashed, OOM-killed, ejected or unready pods, timeouts) count; those never reach the app.
# Without a mesh, the app's own request histogram.
#
# Settings (environment):
#   PROMETHEUS_URL          base URL of Prometheus, or
#   PROMETHEUS_SERVICE      namespace/name:port of a Prometheus Service to reach through kubectl port-forward instead
#                           (e.g. monitoring/prometheus-operated:9090)
#   PROMETHEUS_TOKEN        optional bearer token (never printed)
#   NAMESPACE               namespace of the release (selects the series; required unless SLO_QUERY is set)
#   FULLNAME                base name of the release's objects (default: RELEASE); the mesh metrics select by it
#   SLOT                    slot now receiving traffic; its requests are counted, and the app metrics select by it
#   SLO_SOURCE              mesh, app or auto (default: mesh when Prometheus has the release's Istio request
#                           metrics, else app)
#   SLO_QUERY               PromQL returning the error ratio (0..1); default: 5xx share of requests over 1 m
#   SLO_MAX_ERROR_RATIO     highest acceptable error ratio (default 0.01, i.e. 99% success)
#   SLO_MIN_REQUESTS        fewest requests the slot must serve in the window (default 1; 0 turns the check off):
#                           a slot that serves nothing has no errors, but is no success either
#   SLO_REQUESTS_QUERY      PromQL returning the requests the slot served in the window (default: from SLO_SOURCE)
#   SLO_WINDOW_SECONDS      how long to watch (default 300)
#   SLO_INTERVAL_SECONDS    time between samples (default 15)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

max_ratio=${SLO_MAX_ERROR_RATIO:-0.01}
min_requests=${SLO_MIN_REQUESTS:-1}
window=${SLO_WINDOW_SECONDS:-300}
interval=${SLO_INTERVAL_SECONDS:-15}
source_kind=${SLO_SOURCE:-auto}
fullname=${FULLNAME:-${RELEASE:-}}
[[ $window =~ ^[0-9]+$ && $interval =~ ^[1-9][0-9]*$ ]] ||
  { echo "watch-slo: SLO_WINDOW_SECONDS and SLO_INTERVAL_SECONDS must be whole seconds" >&2; exit 2; }
[[ $max_ratio =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]] ||
  { echo "watch-slo: SLO_MAX_ERROR_RATIO must be a ratio between 0 and 1 (e.g. 0.01)" >&2; exit 2; }
[[ $min_requests =~ ^[0-9]+$ ]] || { echo "watch-slo: SLO_MIN_REQUESTS must be a whole number" >&2; exit 2; }
[[ $source_kind =~ ^(auto|mesh|app)$ ]] || { echo "watch-slo: SLO_SOURCE must be auto, mesh or app" >&2; exit 2; }
[[ -n ${SLO_QUERY:-} || -n ${NAMESPACE:-} ]] || { echo "watch-slo: set NAMESPACE (or SLO_QUERY)" >&2; exit 2; }

if [[ -z ${PROMETHEUS_URL:-} ]]; then
  [[ -n ${PROMETHEUS_SERVICE:-} ]] || { echo "watch-slo: set PROMETHEUS_URL or PROMETHEUS_SERVICE" >&2; exit 2; }
  prom_ns=${PROMETHEUS_SERVICE%%/*}
  prom_svc=${PROMETHEUS_SERVICE#*/}
  port_forward "$prom_ns" "svc/${prom_svc%%:*}" "${prom_svc##*:}"
  trap 'kill "$forward_pid" 2>/dev/null || true' EXIT
  PROMETHEUS_URL="http://127.0.0.1:$forward_port"
fi

# Prints the first sample value of an instant query, or nothing when the result is empty.
query() {
  local auth=()
  [[ -n ${PROMETHEUS_TOKEN:-} ]] && auth=(--header @<(printf 'Authorization: Bearer %s\n' "$PROMETHEUS_TOKEN"))
  local body
  body=$(curl --silent --show-error --fail --max-time 10 "${auth[@]}" \
    --data-urlencode "query=$1" "${PROMETHEUS_URL%/}/api/v1/query") || return 1
  [[ $body == *'"status":"success"'* ]] || return 1
  if [[ $body =~ \"value\":\[[^,]*,\"([^\"]*)\"\] ]]; then
    printf '%s' "${BASH_REMATCH[1]}"
  fi
}

if [[ -n ${NAMESPACE:-} ]]; then
  # Calls to the main Service and, with Istio's slot routing, to the "-slots" Service behind it; not the preview.
  # A request Envoy failed before it reached a pod has destination_workload "unknown", so the service selects.
  mesh_calls="reporter=\"source\",destination_service_namespace=\"$NAMESPACE\",destination_service_name=~\"$fullname(-slots)?\""
  if [[ $source_kind == auto ]]; then
    # Over the last 5 minutes, so that one failed scrape (which marks a target's series stale) cannot make a
    # meshed release read the app's histogram instead.
    source_kind=app
    if [[ -n $fullname ]] && found=$(query "count(last_over_time(istio_requests_total{$mesh_calls}[5m]))") && [[ -n $found ]]; then
      source_kind=mesh
    fi
  fi
  if [[ $source_kind == mesh ]]; then
    [[ -n $fullname ]] || { echo "watch-slo: set FULLNAME (or RELEASE) for the mesh metrics" >&2; exit 2; }
    errors="sum(rate(istio_requests_total{$mesh_calls,response_code=~\"5..\"}[1m])) or vector(0)"
    total="clamp_min(sum(rate(istio_requests_total{$mesh_calls}[1m])), 1e-9)"
    served="istio_requests_total{reporter=\"source\",destination_workload_namespace=\"$NAMESPACE\",destination_workload=\"$fullname-${SLOT:-}\"}"
    [[ -n ${SLOT:-} ]] || served="istio_requests_total{$mesh_calls}"
  else
    selector="namespace=\"$NAMESPACE\""
    [[ -n ${SLOT:-} ]] && selector+=",slot=\"$SLOT\""
    # prometheus-net's request histogram.
    errors="sum(rate(http_request_duration_seconds_count{$selector,code=~\"5..\"}[1m])) or vector(0)"
    total="clamp_min(sum(rate(http_request_duration_seconds_count{$selector}[1m])), 1e-9)"
    served="http_request_duration_seconds_count{$selector}"
  fi
  # "or vector(0)" and the floored denominator make "no errors" and "no traffic" read as a ratio of 0 instead of an
  # empty result or NaN; the request count at the end tells "no traffic" apart. At least a minute, so a short window
  # still spans two scrapes.
  SLO_QUERY=${SLO_QUERY:-"($errors) / $total"}
  SLO_REQUESTS_QUERY=${SLO_REQUESTS_QUERY:-"sum(increase(${served}[$((window > 60 ? window : 60))s])) or vector(0)"}
  deploy_log "reading the ${source_kind} metrics"
fi

deploy_log "watching the error ratio for ${window}s (limit $max_ratio): $SLO_QUERY"
end=$((SECONDS + window))
unanswered=0
while :; do
  if ratio=$(query "$SLO_QUERY"); then
    unanswered=0
    if [[ -z $ratio ]]; then
      # No series at all: nobody has called the service yet (or the selector matches nothing).
      printf '    no data yet\n' >&2
      ratio=0
    else
      printf '    error ratio %s\n' "$ratio" >&2
    fi
    # NaN never compares as acceptable: a broken query is a failed check.
    if ! awk -v r="$ratio" -v max="$max_ratio" 'BEGIN { exit !(r + 0 == r && r <= max) }'; then
      deploy_log "SLO violated: error ratio $ratio is above $max_ratio"
      exit 1
    fi
  else
    unanswered=$((unanswered + 1))
    printf '    Prometheus did not answer (%d in a row)\n' "$unanswered" >&2
    ((unanswered < 3)) || { deploy_log "SLO unverifiable: Prometheus did not answer 3 times in a row"; exit 1; }
  fi
  ((SECONDS + interval <= end)) || break
  sleep "$interval"
done

if ((min_requests > 0)); then
  if [[ -z ${SLO_REQUESTS_QUERY:-} ]]; then
    deploy_log "request count not checked: set SLO_REQUESTS_QUERY (or NAMESPACE) to check SLO_MIN_REQUESTS"
  else
    requests=$(query "$SLO_REQUESTS_QUERY") || { deploy_log "SLO unverifiable: Prometheus did not answer the request count"; exit 1; }
    printf '    requests served %s\n' "${requests:-none}" >&2
    if ! awk -v n="${requests:-0}" -v min="$min_requests" 'BEGIN { exit !(n + 0 == n && n >= min) }'; then
      deploy_log "SLO unproven: the slot served ${requests:-0} requests in the window, fewer than $min_requests"
      exit 1
    fi
  fi
fi
deploy_log "SLO held for ${window}s"
