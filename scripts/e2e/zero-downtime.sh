#!/usr/bin/env bash
# Zero-downtime proof: while an in-cluster load generator sends a steady stream of requests to the main
# Service, restart the active slot's pods (`kubectl rollout restart`, waiting until every old pod has drained
# and exited) and then switch traffic to the other slot. Passes only when not a single request failed.
#
# Runs against the current kubectl context after kind-up.sh (any cluster works). Settings: see lib.sh, plus
#   E2E_LOAD_WORKERS  concurrent request loops in the load generator (default 4)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

E2E_LOAD_WORKERS=${E2E_LOAD_WORKERS:-4}
# Hard stop of the load generator, whatever happens to this script.
max_seconds=900
url="$(e2e_service_url)/version"

e2e_client_up

e2e_log "both slots up: blue active on $E2E_TAG_OLD, green idle on $E2E_TAG_NEW"
# The load generator is one client sending back to back, which the per-client rate limit (100 a second per pod) would
# partly refuse: this step proves the drain and the switch, not the limiter.
e2e_helm_upgrade \
  --set activeSlot=blue \
  --set config.rateLimitPermitsPerClientPerSecond=0 \
  --set "image.tag=$E2E_TAG_OLD" \
  --set "slots.blue.image.tag=$E2E_TAG_OLD" \
  --set slots.green.enabled=true \
  --set "slots.green.image.tag=$E2E_TAG_NEW"
e2e_rollout_status blue
e2e_rollout_status green
e2e_wait_version "$E2E_VERSION_OLD" blue

# The load generator runs inside the client pod: each worker requests /version back to back (new connection
# each time, 5 s timeout) until /tmp/stop appears, and prints one line per failure and a tally at the end.
# shellcheck disable=SC2016 # expanded by the pod's shell, not here
load='
rm -f /tmp/stop
end=$(( $(date +%s) + MAX ))
worker() {
  ok=0; failed=0
  while [ ! -f /tmp/stop ] && [ "$(date +%s)" -lt "$end" ]; do
    code=$(curl --silent --output /dev/null --write-out "%{http_code}" --max-time 5 "$URL" || true)
    if [ "$code" = 200 ]; then ok=$((ok + 1)); else failed=$((failed + 1)); echo "failed request: HTTP $code"; fi
  done
  echo "tally ok=$ok failed=$failed"
}
i=0
while [ "$i" -lt "$WORKERS" ]; do worker & i=$((i + 1)); done
wait
'
out=$(mktemp)
trap 'rm -f "$out"' EXIT

e2e_log "starting the load generator ($E2E_LOAD_WORKERS workers on $url)"
e2e_client_exec env "URL=$url" "WORKERS=$E2E_LOAD_WORKERS" "MAX=$max_seconds" sh -c "$load" >"$out" 2>&1 &
load_pid=$!
# Let it reach a steady state before disturbing anything.
deadline=$((SECONDS + 30))
until e2e_client_exec sh -c 'ps | grep -q "[c]url"' 2>/dev/null; do
  ((SECONDS < deadline)) || e2e_fail "the load generator did not start"
  sleep 1
done

e2e_log "rollout restart of the active slot (blue) under load"
old_pods=$(e2e_kubectl get pods -l "slot=blue,app.kubernetes.io/instance=$E2E_RELEASE" -o name)
[[ -n $old_pods ]] || e2e_fail "no pods of the blue slot found"
e2e_kubectl rollout restart "deployment/$E2E_FULLNAME-blue" >&2
e2e_rollout_status blue
# Old pods drain for up to Drain__DelaySeconds + Drain__TimeoutSeconds: wait until every one has exited.
# shellcheck disable=SC2086 # one argument per pod name
e2e_kubectl wait --for=delete $old_pods --timeout=120s >&2
e2e_wait_version "$E2E_VERSION_OLD" blue

e2e_log "slot switch to green under load"
e2e_helm_upgrade --set activeSlot=green
e2e_wait_version "$E2E_VERSION_NEW" green

e2e_log "stopping the load generator"
e2e_client_exec touch /tmp/stop
wait "$load_pid" || e2e_fail "the load generator exited with an error: $(cat "$out")"

ok=0
failed=0
workers=0
while read -r _ ok_field failed_field; do
  ok=$((ok + ${ok_field#ok=}))
  failed=$((failed + ${failed_field#failed=}))
  workers=$((workers + 1))
done < <(grep '^tally ' "$out")

grep '^failed request' "$out" | sort | uniq -c >&2 || true
printf '    requests: %d succeeded, %d failed (%d workers)\n' "$ok" "$failed" "$workers" >&2
((workers == E2E_LOAD_WORKERS)) || e2e_fail "only $workers of $E2E_LOAD_WORKERS load workers reported"
((ok > 100)) || e2e_fail "too few requests ($ok) to prove anything"
((failed == 0)) || e2e_fail "$failed requests failed during the restart and the switch"
e2e_log "zero-downtime e2e passed"
