#!/usr/bin/env bash
#if (istio)
# Switches the traffic of the plain-manifest install between the blue and green slots: the Istio VirtualService
# sends all default traffic to the given slot and the `x-slot` header route to the other one; the Service's
# selector (used by traffic that bypasses the mesh routing, e.g. an Ingress) and the preview Service follow.
#else
# Switches the traffic of the plain-manifest install between the blue and green slots: the Service's selector
# moves to the given slot and the preview Service's to the other one.
#endif
# The manifests next to this script are the record of the active slot: the switch rewrites them (source/values.yaml,
# service.yaml and the routing) exactly as the chart would render the other slot, then applies those files. Commit
# them, so that a later `kubectl apply -f k8s/` keeps the slot instead of undoing the switch.
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

manifests="$(cd "$(dirname "$0")" && pwd)"
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
  blue | green) ;;
  *)
    echo "error: unknown slot '$target': expected blue or green" >&2
    usage
    ;;
esac

if ! command -v "$kubectl" >/dev/null 2>&1; then
  echo "error: $kubectl not found; install kubectl or set KUBECTL" >&2
  exit 1
fi

# The files that change with the active slot. Every line of them that names a slot names the active or the idle
# one, so a switch swaps blue and green on exactly those lines.
routing=("$manifests/service.yaml")
#if (istio)
routing+=("$manifests/istio-virtualservice.yaml")
#endif
slot_line='^ +(slot|subset|exact|blue-green\.example\.com/active-slot): (blue|green)$'

recorded=$(sed -n -E 's/^activeSlot: (blue|green)$/\1/p' "$manifests/source/values.yaml")
[[ -n $recorded ]] || { echo "error: $manifests/source/values.yaml names no activeSlot" >&2; exit 1; }

if ! live=$("$kubectl" -n "$namespace" get service "$name" -o "jsonpath={.spec.selector.slot}"); then
  echo "error: cannot read Service $namespace/$name (is k8s/ applied?)" >&2
  exit 1
fi
if [[ $live != "$recorded" ]]; then
  echo "error: the cluster sends traffic to ${live:-no slot}, but $manifests records $recorded: apply k8s/ (or check out the commit of the last switch) first" >&2
  exit 1
fi

if [[ "$recorded" == "$target" ]]; then
  echo "$target is already the active slot of $namespace/$name; nothing to do"
  exit 0
fi

echo "waiting for deployment/$name-$target to be fully rolled out (timeout $timeout)"
if ! "$kubectl" -n "$namespace" rollout status "deployment/$name-$target" --timeout "$timeout"; then
  echo "error: deployment/$name-$target is not ready; not switching (traffic stays on $recorded)" >&2
  exit 1
fi

sed -i -E "\\%$slot_line%{s/blue\$/@/;s/green\$/blue/;s/@\$/green/}" "${routing[@]}"
sed -i -E "s/^activeSlot: (blue|green)\$/activeSlot: $target/" "$manifests/source/values.yaml"
apply=()
for file in "${routing[@]}"; do apply+=(-f "$file"); done
"$kubectl" -n "$namespace" apply "${apply[@]}"
echo "switched $namespace/$name from $recorded to $target; commit $manifests to keep it; roll back with: $0 $recorded"
