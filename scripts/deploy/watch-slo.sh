#!/usr/bin/env bash
# Watches the service's error rate in Prometheus for a window after a switch, and fails as soon as the SLO is
# violated. Exit codes: 0 the SLO held for the whole window; 1 violated (or Prometheus could not be asked three
# times in a row: an unverified release counts as a bad one); 2 usage error.
#
#   PROMETHEUS_URL=http://127.0.0.1:9090 NAMESPACE=shop SLOT=green scripts/deploy/watch-slo.sh
#
# Settings (environment):
#   PROMETHEUS_URL          base URL of Prometheus, or
#   PROMETHEUS_SERVICE      namespace/company-service1:port to reach through kubectl port-forward instead
#                           (e.g. monitoring/prometheus-operated:9090)
#   PROMETHEUS_TOKEN        optional bearer token (never printed)
#   NAMESPACE               namespace of the release (selects the series; required unless SLO_QUERY is set)
#   SLOT                    slot now receiving traffic; adds slot="..." to the selector when set
#   SLO_QUERY               PromQL returning the error ratio (0..1); default: 5xx share of requests over 1 m
#   SLO_MAX_ERROR_RATIO     highest acceptable error ratio (default 0.01, i.e. 99% success)
#   SLO_WINDOW_SECONDS      how long to watch (default 300)
#   SLO_INTERVAL_SECONDS    time between samples (default 15)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

max_ratio=${SLO_MAX_ERROR_RATIO:-0.01}
window=${SLO_WINDOW_SECONDS:-300}
interval=${SLO_INTERVAL_SECONDS:-15}
[[ $window =~ ^[0-9]+$ && $interval =~ ^[1-9][0-9]*$ ]] ||
  { echo "watch-slo: SLO_WINDOW_SECONDS and SLO_INTERVAL_SECONDS must be whole seconds" >&2; exit 2; }
[[ $max_ratio =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]] ||
  { echo "watch-slo: SLO_MAX_ERROR_RATIO must be a ratio between 0 and 1 (e.g. 0.01)" >&2; exit 2; }

if [[ -z ${SLO_QUERY:-} ]]; then
  [[ -n ${NAMESPACE:-} ]] || { echo "watch-slo: set NAMESPACE (or SLO_QUERY)" >&2; exit 2; }
  selector="namespace=\"$NAMESPACE\""
  [[ -n ${SLOT:-} ]] && selector+=",slot=\"$SLOT\""
  # prometheus-net's request histogram. 5xx share of all requests over the last minute; "or vector(0)" and the
  # floored denominator make "no errors" and "no traffic" read as 0 instead of an empty result or NaN.
  errors="sum(rate(http_request_duration_seconds_count{$selector,code=~\"5..\"}[1m])) or vector(0)"
  total="clamp_min(sum(rate(http_request_duration_seconds_count{$selector}[1m])), 1e-9)"
  SLO_QUERY="($errors) / $total"
fi

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
deploy_log "SLO held for ${window}s"
