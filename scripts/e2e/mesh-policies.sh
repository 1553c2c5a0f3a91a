#!/usr/bin/env bash
# The chart's Istio and NetworkPolicy objects, live (run after blue-green.sh, on a cluster made by
# `E2E_ISTIO=true scripts/e2e/kind-up.sh`):
#
#   1. the pods run in a Pod Security "restricted" namespace with the CNI (no istio-init), with the sidecar kind the
#      cluster injects (native or classic, E2E_NATIVE_SIDECARS) and the drain settings of the chart;
#   2. the fault drill at 100% on one pod: the caller's sidecar ejects it after 5 consecutive 5xx (outlier
#      detection) and traffic moves to the healthy pod;
#   3. a pod from another namespace: the NetworkPolicy drops it (connection timeout) without the sidecar; let in
#      by the NetworkPolicy, its sidecar is refused by the AuthorizationPolicy (403 "RBAC: access denied");
#   4. the sidecar's local rate limit answers 429 (with its x-local-rate-limit header, unlike the app's own 429,
#      a problem+json body without it).
#
# Settings: see lib.sh. Needs the release blue-green.sh leaves behind (both slots up).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $E2E_ISTIO == true ]] || e2e_fail "mesh-policies.sh needs E2E_ISTIO=true (a cluster with Istio)"

stranger_ns="$E2E_NAMESPACE-stranger"
outsider_ns="$E2E_NAMESPACE-outsider"
port_forward_pid=
work=$(mktemp -d)
cleanup() {
  [[ -n $port_forward_pid ]] && kill "$port_forward_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# Starts `kubectl port-forward` to a pod's HTTP port on 127.0.0.1:18080: straight to the app, past its sidecar
# (drill endpoints are never routed through the mesh).
port_forward() {
  # kubectl itself in the background (not a function), so that $! is the process stop_port_forward kills.
  "$KUBECTL" --namespace "$E2E_NAMESPACE" port-forward "pod/$1" 18080:8080 >"$work/port-forward.log" 2>&1 &
  port_forward_pid=$!
  local deadline=$((SECONDS + 30))
  until curl --silent --output /dev/null http://127.0.0.1:18080/livez; do
    ((SECONDS < deadline)) || e2e_fail "port-forward to $1 did not start: $(cat "$work/port-forward.log")"
    sleep 1
  done
}

stop_port_forward() {
  kill "$port_forward_pid" 2>/dev/null || true
  wait "$port_forward_pid" 2>/dev/null || true
  port_forward_pid=
}

# One line per request: HTTP code and the x-local-rate-limit header; curl's URL globbing numbers the requests.
burst() {
  local count=$1 parallel=$2 url=$3
  e2e_client_exec curl --silent --output /dev/null --max-time 10 --parallel --parallel-max "$parallel" \
    --write-out '%{http_code} %header{x-local-rate-limit}\n' "$url?n=[1-$count]"
}

active=$(e2e_kubectl get service "$E2E_FULLNAME" -o jsonpath='{.spec.selector.slot}')
[[ $active == blue || $active == green ]] || e2e_fail "cannot read the active slot from Service $E2E_FULLNAME"
e2e_client_up
version=$(e2e_json_field "$(e2e_get "$(e2e_service_url)/version")" version)

e2e_log "drills on (config.drillsEnabled=true), so one pod can be made to fail"
e2e_helm_upgrade --set config.drillsEnabled=true
e2e_rollout_status blue
e2e_rollout_status green
e2e_wait_version "$version" "$active"

e2e_log "1. restricted namespace, CNI and sidecar kind"
enforce=$("$KUBECTL" get namespace "$E2E_NAMESPACE" -o jsonpath='{.metadata.labels.pod-security\.kubernetes\.io/enforce}')
[[ $enforce == restricted ]] || e2e_fail "namespace $E2E_NAMESPACE enforces '${enforce:-nothing}', not restricted"
# The active slot's pods, without those of the rollout above that are still draining.
pods=$(e2e_kubectl get pods -l "app.kubernetes.io/instance=$E2E_RELEASE,slot=$active" \
  -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{.metadata.name}} {{end}}{{end}}')
read -r -a pod_list <<<"$pods"
((${#pod_list[@]} >= 2)) || e2e_fail "expected at least 2 pods on the active slot $active, found: ${pods:-none}"
for pod in "${pod_list[@]}"; do
  init=$(e2e_kubectl get pod "$pod" -o jsonpath='{.spec.initContainers[*].name}')
  containers=$(e2e_kubectl get pod "$pod" -o jsonpath='{.spec.containers[*].name}')
  [[ " $init " != *" istio-init "* ]] || e2e_fail "$pod has istio-init: the CNI node agent is not in use"
  if [[ $E2E_NATIVE_SIDECARS == true ]]; then
    [[ " $init " == *" istio-proxy "* ]] || e2e_fail "$pod has no native sidecar (init containers: $init)"
  else
    [[ " $containers " == *" istio-proxy "* ]] || e2e_fail "$pod has no classic sidecar (containers: $containers)"
  fi
  env=$(e2e_kubectl get pod "$pod" -o jsonpath='{range .spec.initContainers[?(@.name=="istio-proxy")]}{.env}{end}{range .spec.containers[?(@.name=="istio-proxy")]}{.env}{end}')
  [[ $env == *EXIT_ON_ZERO_ACTIVE_CONNECTIONS* ]] || e2e_fail "$pod: the sidecar did not get the chart's drain settings"
done
printf '    ok: %s pods, no istio-init, %s sidecars with the drain settings\n' "${#pod_list[@]}" \
  "$([[ $E2E_NATIVE_SIDECARS == true ]] && echo native || echo classic)" >&2

e2e_log "2. fault drill at 100% on ${pod_list[0]}: outlier detection ejects it"
port_forward "${pod_list[0]}"
curl --silent --show-error --fail --request POST 'http://127.0.0.1:18080/faults?rate=1' >&2
stop_port_forward
# Sequential requests under /api (the drill's fault prefix) through the client's sidecar, which holds the
# outlier detection state. Before the ejection about half fail (the faulted pod answers 500); once its 5th
# consecutive 500 has been seen, no request reaches it for baseEjectionTime (30 s).
# With a token, so that what fails is the fault drill and never authentication.
e2e_client_exec curl --silent --output /dev/null --max-time 5 --write-out '%{http_code}\n' \
  -H "Authorization: Bearer $(e2e_token '')" "$(e2e_service_url)/api/drill-probe?n=[1-40]" >"$work/outlier" || true
failed=$(grep -c '^5' "$work/outlier" || true)
late_failed=$(tail -n 15 "$work/outlier" | grep -c '^5' || true)
stats=$(e2e_kubectl exec deployment/e2e-client -c istio-proxy -- pilot-agent request GET stats)
ejections=$({ grep -E "^cluster\.outbound\|8080\|$active\|[^:]*\.outlier_detection\.ejections_enforced_consecutive_5xx:" <<<"$stats" || true; } | awk '{s += $2} END {print s + 0}')
printf '    %s of 40 requests failed, %s of the last 15; ejections (consecutive 5xx): %s\n' "$failed" "$late_failed" "$ejections" >&2
((failed >= 5)) || e2e_fail "the fault drill did not fail requests ($failed of 40)"
((ejections >= 1)) || e2e_fail "the caller's sidecar ejected no pod after $failed failures"
((late_failed == 0)) || e2e_fail "traffic still reached the faulted pod after its ejection ($late_failed of the last 15 failed)"
port_forward "${pod_list[0]}"
curl --silent --show-error --fail --request POST 'http://127.0.0.1:18080/faults?rate=0' >&2
stop_port_forward

e2e_log "3. callers from other namespaces"
"$KUBECTL" create namespace "$stranger_ns" --dry-run=client -o yaml | "$KUBECTL" apply -f - >&2
"$KUBECTL" create namespace "$outsider_ns" --dry-run=client -o yaml | "$KUBECTL" apply -f - >&2
e2e_restrict_namespace "$stranger_ns"
e2e_restrict_namespace "$outsider_ns"
"$KUBECTL" label namespace "$outsider_ns" istio-injection=enabled --overwrite >&2
# The outsider's namespace is one the NetworkPolicy admits (networkPolicy.ingress.extraFrom), but its identity
# is not one the AuthorizationPolicy admits; the stranger's is neither.
e2e_helm_upgrade --set-json "networkPolicy.ingress.extraFrom=[{\"namespaceSelector\":{\"matchLabels\":{\"kubernetes.io/metadata.name\":\"$outsider_ns\"}}}]"
e2e_client_up "$stranger_ns" stranger false
e2e_client_up "$outsider_ns" outsider true

code=0
"$KUBECTL" --namespace "$stranger_ns" exec deployment/stranger -c client -- \
  curl --silent --output /dev/null --max-time 5 "$(e2e_service_url)/version" || code=$?
# 28: curl's timeout, the NetworkPolicy dropping the packets (7 where it rejects them); past the NetworkPolicy,
# STRICT mTLS would reset the plain-text connection instead (52, 56).
((code == 28 || code == 7)) || e2e_fail "a pod from $stranger_ns was not dropped by the NetworkPolicy (curl exit code $code)"
printf '    ok: %s: no connection (curl exit code %s)\n' "$stranger_ns" "$code" >&2

answer=$("$KUBECTL" --namespace "$outsider_ns" exec deployment/outsider -c client -- \
  curl --silent --max-time 5 --write-out ' %{http_code}' "$(e2e_service_url)/version" || true)
[[ $answer == *"RBAC: access denied 403" ]] || e2e_fail "a meshed pod from $outsider_ns was not refused by the AuthorizationPolicy: $answer"
printf '    ok: %s: 403 from the AuthorizationPolicy\n' "$outsider_ns" >&2
"$KUBECTL" delete namespace "$stranger_ns" "$outsider_ns" --wait=false >&2

e2e_log "4. local rate limit in the sidecar: 20 requests per second per pod"
e2e_helm_upgrade --set config.rateLimitPermitsPerSecond=20 --set-json 'networkPolicy.ingress.extraFrom=[]'
e2e_rollout_status blue
e2e_rollout_status green
e2e_wait_version "$version" "$active"
burst 300 30 "$(e2e_service_url)/version" >"$work/burst" || true
ok=$(grep -c '^200 ' "$work/burst" || true)
envoy_429=$(grep -c '^429 true' "$work/burst" || true)
app_429=$(grep -cE '^429 ?$' "$work/burst" || true)
printf '    300 requests: %s ok, %s refused by the sidecar, %s by the app\n' "$ok" "$envoy_429" "$app_429" >&2
((envoy_429 >= 1)) || e2e_fail "the sidecar's local rate limit refused nothing"
((ok >= 1)) || e2e_fail "the rate limit refused everything"

# The release keeps the drill and the low limit: no later step uses it (each installs a release of its own), and
# rolling both slots once more would only cost minutes of the job's budget.
e2e_log "mesh policy e2e passed"
