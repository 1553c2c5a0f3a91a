#!/usr/bin/env bash
# `helm install` with the chart's defaults, in a namespace of its own, on whatever cluster kind-up.sh made: only the
# image is set (the e2e builds it; nothing else is pulled). Asserts that the release becomes ready, that `helm test`
# passes, that the API is closed without a token (the chart generates a signing key) and open with one minted by
# scripts/mint-token.sh, and that the CRD-backed objects are there exactly when the cluster serves their API:
#   plain cluster   no Istio objects, no ServiceMonitor/PrometheusRule, and the install notes say so;
#if (istio)
#   with Istio      the VirtualService is there and every serving pod has its sidecar.
#endif
# Uninstalls at the end.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

namespace=${E2E_DEFAULTS_NAMESPACE:-company-service1-defaults}
release=company-service1

e2e_log "install with the defaults in namespace $namespace (image $E2E_IMAGE_REPOSITORY:$E2E_TAG_OLD)"
"$KUBECTL" create namespace "$namespace" --dry-run=client -o yaml | "$KUBECTL" apply -f - >&2
notes=$("$HELM" install "$release" "$E2E_CHART" --namespace "$namespace" \
  --set "image.repository=$E2E_IMAGE_REPOSITORY" --set "image.tag=$E2E_TAG_OLD" \
  --wait --timeout "$E2E_TIMEOUT")
printf '%s\n' "$notes" >&2
"$HELM" test "$release" --namespace "$namespace" --logs --timeout "$E2E_TIMEOUT" >&2

#if (sample)
# Closed by default: the API refuses a request without a token and takes one minted for the key the chart generated.
# Straight to a pod (kubectl port-forward), past the NetworkPolicy and any sidecar: this is the app's own check.
work=$(mktemp -d)
"$KUBECTL" --namespace "$namespace" port-forward "deployment/$release-blue" 18081:8080 >"$work/port-forward.log" 2>&1 &
port_forward_pid=$!
trap 'kill "$port_forward_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
deadline=$((SECONDS + 30))
until curl --silent --output /dev/null http://127.0.0.1:18081/livez; do
  ((SECONDS < deadline)) || e2e_fail "port-forward did not start: $(cat "$work/port-forward.log")"
  sleep 1
done
code=$(curl --silent --output /dev/null --write-out '%{http_code}' --max-time 5 http://127.0.0.1:18081/api/v1/todos || true)
[[ $code == 401 ]] || e2e_fail "the API answered $code without a token (expected 401)"
token=$(e2e_token todos:read "$namespace" "$release")
code=$(curl --silent --output /dev/null --write-out '%{http_code}' --max-time 5 -H "Authorization: Bearer $token" \
  http://127.0.0.1:18081/api/v1/todos || true)
[[ $code == 200 ]] || e2e_fail "the API answered $code with a token for the generated key (expected 200)"
kill "$port_forward_pid"
printf '    ok: the API answers 401 without a token and 200 with one minted for Secret %s-jwt\n' "$release" >&2
#endif

has_api() { "$KUBECTL" api-resources --api-group "$1" -o name 2>/dev/null | grep -q .; }
count() { "$KUBECTL" --namespace "$namespace" get "$1" -o name 2>/dev/null | wc -l; }

if has_api monitoring.coreos.com; then
  (($(count servicemonitors.monitoring.coreos.com) == 1)) || e2e_fail "prometheus-operator is served but no ServiceMonitor was installed"
else
  [[ $notes == *"ServiceMonitor   metrics.serviceMonitor.enabled"* ]] || e2e_fail "the notes do not say that the ServiceMonitor was left out"
  printf '    ok: no prometheus-operator; the notes list the ServiceMonitor and PrometheusRule as left out\n' >&2
fi

#if (istio)
if has_api networking.istio.io; then
  (($(count virtualservices.networking.istio.io) == 1)) || e2e_fail "Istio is served but no VirtualService was installed"
  containers=$("$KUBECTL" --namespace "$namespace" get pods -l app.kubernetes.io/component=server \
    -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.spec.containers[*].name}{" "}{.spec.initContainers[*].name}{"\n"}{end}')
  printf '%s\n' "$containers" >&2
  while read -r pod names; do
    [[ -z $pod || " $names " == *" istio-proxy "* ]] || e2e_fail "pod $pod has no Istio sidecar: $names"
  done <<<"$containers"
  printf '    ok: Istio detected; VirtualService installed and every serving pod has its sidecar\n' >&2
else
  [[ $notes == *"istio.enabled"* ]] || e2e_fail "the notes do not say that the Istio objects were left out"
  printf '    ok: no Istio; the notes list the Istio objects as left out\n' >&2
fi
#endif

"$HELM" uninstall "$release" --namespace "$namespace" --wait --timeout "$E2E_TIMEOUT" >&2
"$KUBECTL" delete namespace "$namespace" --wait=false >&2
e2e_log "install with the defaults passed"
