#!/usr/bin/env bash
#if (istio)
# Switches the traffic of the plain-manifest install between the blue and green slots: the Istio VirtualService
# sends all default traffic to the given slot and the `x-slot` header routes (mesh only) to the other one; the
# Service's selector (used by traffic that bypasses the mesh routing, e.g. an Ingress) and the preview Service follow.
#else
# Switches the traffic of the plain-manifest install between the blue and green slots: the Service's selector
# moves to the given slot and the preview Service's to the other one.
#endif
# The Service's selector is the record of the active slot.
# Idempotent (switching to the active slot changes nothing); refuses a slot whose Deployment is not fully rolled out.
#
#   k8s/switch-slot.sh green          # switch to green
#   k8s/switch-slot.sh blue           # roll back
#   NAMESPACE=shop NAME=orders k8s/switch-slot.sh green
#
# Environment: NAMESPACE (default: company-service1), NAME (Service and Deployment prefix, default:
# company-service1), KUBECTL (default: kubectl), ROLLOUT_TIMEOUT (default: 120s; how long to wait for the target
# slot to be ready).
set -euo pipefail

namespace="${NAMESPACE:-company-service1}"
name="${NAME:-company-service1}"
kubectl="${KUBECTL:-kubectl}"
timeout="${ROLLOUT_TIMEOUT:-120s}"

usage() {
  echo "usage: $0 <blue|green>" >&2
  exit 2
}

[[ $# -eq 1 ]] || usage
target="$1"
case "$target" in
  blue) idle=green ;;
  green) idle=blue ;;
  *)
    echo "error: unknown slot '$target': expected blue or green" >&2
    usage
    ;;
esac

if ! command -v "$kubectl" >/dev/null 2>&1; then
  echo "error: $kubectl not found; install kubectl or set KUBECTL" >&2
  exit 1
fi

if ! current=$("$kubectl" -n "$namespace" get service "$name" -o "jsonpath={.spec.selector.slot}"); then
  echo "error: cannot read Service $namespace/$name (is k8s/ applied?)" >&2
  exit 1
fi

if [[ "$current" == "$target" ]]; then
  echo "$target is already the active slot of $namespace/$name; nothing to do"
  exit 0
fi

echo "waiting for deployment/$name-$target to be fully rolled out (timeout $timeout)"
if ! "$kubectl" -n "$namespace" rollout status "deployment/$name-$target" --timeout "$timeout"; then
  echo "error: deployment/$name-$target is not ready; not switching (traffic stays on ${current:-unknown})" >&2
  exit 1
fi

#if (istio)
annotation="blue-green.example.com/active-slot"
# The "test" operations make the patch fail, changing nothing, if the routes are not where this script expects.
patch=$(cat <<JSON
[
  {"op": "test", "path": "/spec/http/0/name", "value": "idle-slot-reads"},
  {"op": "test", "path": "/spec/http/1/name", "value": "idle-slot-by-header"},
  {"op": "test", "path": "/spec/http/2/name", "value": "active-slot-reads"},
  {"op": "test", "path": "/spec/http/3/name", "value": "active-slot"},
  {"op": "replace", "path": "/spec/http/0/match/0/headers/x-slot/exact", "value": "$idle"},
  {"op": "replace", "path": "/spec/http/1/match/0/headers/x-slot/exact", "value": "$idle"},
  {"op": "replace", "path": "/spec/http/0/route/0/destination/subset", "value": "$idle"},
  {"op": "replace", "path": "/spec/http/1/route/0/destination/subset", "value": "$idle"},
  {"op": "replace", "path": "/spec/http/2/route/0/destination/subset", "value": "$target"},
  {"op": "replace", "path": "/spec/http/3/route/0/destination/subset", "value": "$target"},
  {"op": "replace", "path": "/metadata/annotations/${annotation//\//~1}", "value": "$target"}
]
JSON
)

"$kubectl" -n "$namespace" patch virtualservice "$name" --type json --patch "$patch"
#endif
"$kubectl" -n "$namespace" patch service "$name" --type json \
  --patch "[{\"op\": \"replace\", \"path\": \"/spec/selector/slot\", \"value\": \"$target\"}]"
"$kubectl" -n "$namespace" patch service "$name-preview" --type json \
  --patch "[{\"op\": \"replace\", \"path\": \"/spec/selector/slot\", \"value\": \"$idle\"}]"
echo "switched $namespace/$name from ${current:-unknown} to $target; roll back with: $0 $idle"
