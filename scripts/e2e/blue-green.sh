#!/usr/bin/env bash
# End-to-end blue-green release through the Helm chart, asserting after every step which version answers:
#
#   1. install with blue active (old version), green off; `helm test`
#   2. deploy the new version to the idle green slot; smoke it through the preview Service while blue still
#      serves everyone
#if (istio)
#      (with Istio also through the main host with the `x-slot: green` header)
#endif
#   3. switch: activeSlot=green -> the new version answers; `helm test`
#   4. roll back by switching: activeSlot=blue -> the old version answers; switch forward again
#      (every switch prints its seconds and fails if it ran a hook or restarted pods: e2e_switch in lib.sh)
#   5. roll back with `kubectl rollout undo`: a further release on green is undone -> the previous image answers
#   6. a configuration-only release for the idle slot (slots.blue.config while green is live): blue rolls onto its
#      own new ConfigMap, while green's Deployment keeps its generation and ReplicaSets and keeps answering
#
# Runs against the current kubectl context (kind-up.sh makes one). Settings: see lib.sh.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

main=$(e2e_service_url)
preview="http://$E2E_FULLNAME-preview.$E2E_NAMESPACE.svc:8080"

e2e_log "starting the in-cluster client"
e2e_client_up

e2e_log "1. install: blue active on $E2E_TAG_OLD, green off"
e2e_helm_upgrade \
  --set activeSlot=blue \
  --set "image.tag=$E2E_TAG_OLD" \
  --set "slots.blue.image.tag=$E2E_TAG_OLD" \
  --set slots.green.enabled=false
e2e_rollout_status blue
"$HELM" test "$E2E_RELEASE" --namespace "$E2E_NAMESPACE" --logs --timeout "$E2E_TIMEOUT" >&2
e2e_wait_version "$E2E_VERSION_OLD" blue

e2e_log "2. deploy $E2E_TAG_NEW to the idle green slot"
e2e_helm_upgrade \
  --set slots.green.enabled=true \
  --set "slots.green.image.tag=$E2E_TAG_NEW"
e2e_rollout_status green
e2e_expect_version "$E2E_VERSION_OLD" blue "$main/version"
e2e_expect_version "$E2E_VERSION_NEW" green "$preview/version"
#if (istio)
if [[ $E2E_ISTIO == true ]]; then
  e2e_expect_version "$E2E_VERSION_NEW" green -H 'x-slot: green' "$main/version"
fi
#endif

e2e_log "3. switch traffic to green"
e2e_switch green "$E2E_VERSION_NEW"
e2e_expect_version "$E2E_VERSION_OLD" blue "$preview/version"
"$HELM" test "$E2E_RELEASE" --namespace "$E2E_NAMESPACE" --logs --timeout "$E2E_TIMEOUT" >&2

e2e_log "4. roll back by switching to blue, then forward to green again"
e2e_switch blue "$E2E_VERSION_OLD"
e2e_switch green "$E2E_VERSION_NEW"

e2e_log "5. a further release on green, undone with kubectl rollout undo"
# The "bad" release is the old image on the green slot: distinguishable, and known to start.
e2e_helm_upgrade --set "slots.green.image.tag=$E2E_TAG_OLD"
e2e_rollout_status green
e2e_wait_version "$E2E_VERSION_OLD" green
e2e_kubectl rollout undo "deployment/$E2E_FULLNAME-green" >&2
e2e_rollout_status green
e2e_wait_version "$E2E_VERSION_NEW" green
# Helm still records the undone tag: bring its record back in line, as the rollback runbook says.
e2e_helm_upgrade --set "slots.green.image.tag=$E2E_TAG_NEW"
e2e_wait_version "$E2E_VERSION_NEW" green

e2e_log "6. a configuration change for the idle blue slot only; green stays live and untouched"
config_of() { e2e_kubectl get deployment "$E2E_FULLNAME-$1" -o jsonpath='{.spec.template.spec.containers[0].envFrom[0].configMapRef.name}'; }
generation_of() { e2e_kubectl get deployment "$E2E_FULLNAME-$1" -o jsonpath='{.metadata.generation}'; }
replicasets_of() {
  e2e_kubectl get replicasets --selector "app.kubernetes.io/instance=$E2E_RELEASE,slot=$1" \
    -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' | sort
}
live_generation=$(generation_of green)
live_replicasets=$(replicasets_of green)
live_config=$(config_of green)
idle_config=$(config_of blue)
idle_replicasets=$(replicasets_of blue)
e2e_helm_upgrade --set slots.blue.config.logLevel=Warning
e2e_rollout_status blue
[[ $(config_of blue) != "$idle_config" && $(config_of blue) == "$E2E_FULLNAME-blue-config-"* ]] ||
  e2e_fail "the blue slot still reads $idle_config after its configuration changed"
[[ $(replicasets_of blue) != "$idle_replicasets" ]] || e2e_fail "the blue slot did not roll a new ReplicaSet"
[[ $(e2e_kubectl get configmap "$(config_of blue)" -o jsonpath='{.data.Logging__LogLevel__Default}') == Warning ]] ||
  e2e_fail "the blue slot's new ConfigMap does not carry the new log level"
[[ $(generation_of green) == "$live_generation" ]] || e2e_fail "the live green Deployment changed (generation $live_generation -> $(generation_of green))"
[[ $(replicasets_of green) == "$live_replicasets" ]] || e2e_fail "the live green slot got a new ReplicaSet"
[[ $(config_of green) == "$live_config" ]] || e2e_fail "the live green slot's ConfigMap changed"
e2e_wait_version "$E2E_VERSION_NEW" green
e2e_expect_version "$E2E_VERSION_OLD" blue "$preview/version"

e2e_log "blue-green e2e passed"
