# shellcheck shell=bash
# Helpers shared by the deploy scripts (sourced, not run).

KUBECTL=${KUBECTL:-kubectl}
HELM=${HELM:-helm}

deploy_log() { printf '==> %s\n' "$*" >&2; }
deploy_fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

# port_forward NAMESPACE TARGET PORT: starts `kubectl port-forward` to TARGET (svc/x, deployment/x) on a free
# local port, sets forward_port and forward_pid, and returns once the tunnel is up. Stop it with kill "$forward_pid".
port_forward() {
  local namespace=$1 target=$2 port=$3 log
  log=$(mktemp)
  "$KUBECTL" --namespace "$namespace" port-forward --address 127.0.0.1 "$target" ":$port" >"$log" 2>&1 &
  # Outputs for the caller.
  # shellcheck disable=SC2034
  forward_pid=$!
  forward_port=
  local deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    if [[ $(cat "$log") =~ Forwarding\ from\ 127\.0\.0\.1:([0-9]+) ]]; then
      # shellcheck disable=SC2034
      forward_port=${BASH_REMATCH[1]}
      rm -f "$log"
      return 0
    fi
    kill -0 "$forward_pid" 2>/dev/null || break
    sleep 0.5
  done
  cat "$log" >&2
  rm -f "$log"
  kill "$forward_pid" 2>/dev/null || true
  deploy_fail "kubectl port-forward to $namespace/$target did not come up"
}
