#!/usr/bin/env bash
# End-to-end blue-green release through the Helm chart, asserting after every step which version answers:
#
#   1. install with blue active (old version), green off; `helm test`
#   2. deploy the new version to the idle green slot; smoke it through the preview Service while blue still
#      serves everyone
#if (istio)
#      (with Istio also through the main host with the `x-slot: green` header)
#endif
#if (sample)
#      and check that the preview needs a token like the live slot (401 without, 200 with one)
#endif
#   3. switch: activeSlot=green -> the new version answers; `helm test`; the status page is saved before and after
#      (artifacts/e2e/status-page-before-switch.png shows blue, ...-after-switch.png green)
#   4. roll back by switching: activeSlot=blue -> the old version answers; switch forward again
#      (every switch prints its seconds and fails if it ran a hook or restarted pods: e2e_switch in lib.sh)
#   5. roll back with `kubectl rollout undo`: a further release on green is undone -> the previous image answers;
#      the next release runs another image than the undo restored, over the fields the undo took (--force-conflicts)
#   6. a configuration-only release for the idle slot (slots.blue.config while green is live): blue rolls onto its
#      own new ConfigMap, while green's Deployment keeps its generation and ReplicaSets and keeps answering
#   7. roll back with `helm rollback` after a configuration change of the live slot (helm/helm#8228 with kept
#      ConfigMaps): the release is deployed again, green reads its previous ConfigMap, the newer one is gone
# Each of the three rollbacks prints its seconds and fails above 180 (E2E_ROLLBACK_MAX_SECONDS; switches: 60).
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
#if (sample)
# The preview is no way around authentication: the idle slot refuses the API without a token, like the live one.
token=$(e2e_token todos:read)
expect_token_needed() {
  local code
  code=$(e2e_status "$@")
  [[ $code == 401 ]] || e2e_fail "the idle slot answered $code without a token ($*)"
  code=$(e2e_status -H "Authorization: Bearer $token" "$@")
  [[ $code == 200 ]] || e2e_fail "the idle slot answered $code with a valid token ($*)"
  printf '    ok: the idle slot answers 401 without a token and 200 with one (%s)\n' "$*" >&2
}
expect_token_needed "$preview/api/v1/todos"
#if (istio)
[[ $E2E_ISTIO != true ]] || expect_token_needed -H 'x-slot: green' "$main/api/v1/todos"
#endif
#endif

e2e_log "3. switch traffic to green"
e2e_page_screenshot before-switch blue
e2e_switch green "$E2E_VERSION_NEW"
e2e_page_screenshot after-switch green
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
start=$EPOCHREALTIME
e2e_kubectl rollout undo "deployment/$E2E_FULLNAME-green" >&2
e2e_rollout_status green
e2e_wait_version "$E2E_VERSION_NEW" green
e2e_rollback_took "kubectl rollout undo" "$start"
# The field managers of green's Deployment that own a container image, other than helm (f:image, not f:imagePullPolicy).
other_image_managers() {
  e2e_kubectl get deployment "$E2E_FULLNAME-green" --show-managed-fields \
    -o jsonpath='{range .metadata.managedFields[*]}{.manager}{" "}{.fieldsV1}{"\n"}{end}' |
    awk '$1 != "helm" && /f:image[":]/ { printf "%s ", $1 }'
}
# The undo (kubectl-rollout) took the image from helm, so Helm 4's server-side apply of any other image is a conflict.
[[ -n $(other_image_managers) ]] || e2e_fail "after the undo, helm alone still owns green's image"
printf '    after the undo, the image of green is owned by: %s\n' "$(other_image_managers)" >&2
e2e_log "5b. the next release after the undo: $E2E_TAG_NEXT, another image than the undo restored"
e2e_helm_upgrade --force-conflicts --set "slots.green.image.tag=$E2E_TAG_NEXT"
e2e_rollout_status green
e2e_wait_version "$E2E_VERSION_NEW" green
[[ $(e2e_kubectl get deployment "$E2E_FULLNAME-green" -o jsonpath='{.spec.template.spec.containers[0].image}') == *":$E2E_TAG_NEXT" ]] ||
  e2e_fail "green does not run $E2E_TAG_NEXT after the release"
[[ -z $(other_image_managers) ]] || e2e_fail "green's image is still owned by $(other_image_managers)after the release"

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

e2e_log "7. a configuration change of the live green slot, undone with helm rollback"
release_json=$("$HELM" status "$E2E_RELEASE" --namespace "$E2E_NAMESPACE" --output json)
[[ $release_json =~ \"version\":([0-9]+) ]] || e2e_fail "cannot read the release's revision"
good_revision=${BASH_REMATCH[1]}
good_config=$(config_of green)
e2e_helm_upgrade --set slots.green.config.logLevel=Warning
e2e_rollout_status green
bad_config=$(config_of green)
[[ $bad_config != "$good_config" ]] || e2e_fail "the configuration change did not give green a new ConfigMap"
# The ConfigMap the previous ReplicaSet reads is still part of the release (rendered again from the cluster).
manifest=$("$HELM" get manifest "$E2E_RELEASE" --namespace "$E2E_NAMESPACE")
[[ $manifest == *"name: $good_config"$'\n'* ]] ||
  e2e_fail "the release no longer holds $good_config, which green's previous ReplicaSet reads"
start=$EPOCHREALTIME
"$HELM" rollback "$E2E_RELEASE" "$good_revision" --namespace "$E2E_NAMESPACE" --force-conflicts --wait --timeout "$E2E_TIMEOUT" >&2
e2e_rollout_status green
e2e_wait_version "$E2E_VERSION_NEW" green
e2e_rollback_took "helm rollback" "$start"
status=$("$HELM" status "$E2E_RELEASE" --namespace "$E2E_NAMESPACE" | sed -n 's/^STATUS: //p')
[[ $status == deployed ]] || e2e_fail "after the rollback the release is $status, not deployed"
[[ $(config_of green) == "$good_config" ]] || e2e_fail "after the rollback green reads $(config_of green), not $good_config"
# Not kept outside the release: the rolled-back revision did not list it, so Helm deleted it.
! e2e_kubectl get configmap "$bad_config" >/dev/null 2>&1 || e2e_fail "$bad_config outlived the rollback"

e2e_log "blue-green e2e passed"
