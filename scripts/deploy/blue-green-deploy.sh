#!/usr/bin/env bash
# Blue-green release of a new version through the Helm chart, with automatic switch-back:
#
#   1. find the active slot; deploy the new image to the idle slot (the active slot keeps all traffic)
#   2. wait for the idle slot's rollout
#   3. smoke-test it through the preview Service: /readyz is 200 and /version reports the new version
#   4. switch: helm upgrade --set activeSlot=<idle>
#   5. watch the error rate in Prometheus for a window (watch-slo.sh)
#   6. SLO violated -> switch back to the previous slot and fail
#
# A failure in 1-3 leaves traffic where it was. The first install of a release deploys to blue and stops after
# the smoke test (there is nothing to switch from).
#
#   RELEASE=service NAMESPACE=shop CHART=oci://ghcr.io/acme/charts/company-service1 CHART_VERSION=1.4.0 IMAGE_TAG=1.4.0 \
#   PROMETHEUS_SERVICE=monitoring/prometheus-operated:9090 scripts/deploy/blue-green-deploy.sh
#
# Settings (environment; DEPLOY_ENVIRONMENT_FILE names a KEY=value file, e.g. deploy/environments/staging.env,
# whose values apply where the environment leaves a variable unset or empty):
#   RELEASE, NAMESPACE      Helm release and namespace (required)
#   CHART                   chart reference: a path, or oci://... (default: the chart in this repository)
#   CHART_VERSION           chart version for an OCI/repository chart (optional)
#   IMAGE_TAG               image tag to release (required; "v1.4.0" and "1.4.0" name the same release)
#   IMAGE_DIGEST            sha256:... digest of that tag's image, as the release signed it (optional): the slot then
#                           runs repository@digest, whatever the tag points at later; the version label keeps the tag
#   EXPECTED_VERSION        what /version must report (default: IMAGE_TAG without a leading "v")
#   VALUES_FILE             chart values of the environment (required, e.g. deploy/environments/staging.values.yaml):
#                           applied at the install and with every release's idle-slot deploy, never by a switch;
#                           activeSlot and slots.* are this script's and may not be set there
#   ROLLOUT_TIMEOUT         timeout of each rollout (default 10m)
#   plus the watch-slo.sh settings (PROMETHEUS_URL or PROMETHEUS_SERVICE, SLO_WINDOW_SECONDS, SLO_MAX_ERROR_RATIO,
#   SLO_MIN_REQUESTS...)
#   SKIP_SLO_WATCH=true     switch without watching (no Prometheus); not recommended for production
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [[ -n ${DEPLOY_ENVIRONMENT_FILE:-} ]]; then
  # Plain KEY=value lines, read as data (never executed).
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ ^([A-Z_][A-Z0-9_]*)=(.*)$ ]] || continue
    key=${BASH_REMATCH[1]}
    [[ -n ${!key:-} ]] || export "$key=${BASH_REMATCH[2]}"
  done <"$DEPLOY_ENVIRONMENT_FILE"
fi

: "${RELEASE:?set RELEASE}" "${NAMESPACE:?set NAMESPACE}" "${IMAGE_TAG:?set IMAGE_TAG}"
# Without it the first install would run the chart defaults (in-memory store, example host) in the environment.
: "${VALUES_FILE:?set VALUES_FILE to the chart values of the environment (e.g. deploy/environments/production.values.yaml)}"
[[ -f $VALUES_FILE ]] || deploy_fail "VALUES_FILE $VALUES_FILE does not exist"
! grep -Eq '^(activeSlot|slots):' "$VALUES_FILE" ||
  deploy_fail "$VALUES_FILE sets activeSlot or slots: those are the deploy script's (the live slot and each slot's image)"
CHART=${CHART:-$here/../../charts/company-service1}
# Release images and charts are tagged 1.4.0 for the git tag v1.4.0; OCI references are lowercase.
IMAGE_TAG=${IMAGE_TAG#v}
[[ $CHART == oci://* ]] && CHART=${CHART,,}
EXPECTED_VERSION=${EXPECTED_VERSION:-$IMAGE_TAG}
IMAGE_DIGEST=${IMAGE_DIGEST:-}
[[ -z $IMAGE_DIGEST || $IMAGE_DIGEST =~ ^sha256:[a-f0-9]{64}$ ]] || deploy_fail "IMAGE_DIGEST must be sha256: and 64 hex digits, got '$IMAGE_DIGEST'"
ROLLOUT_TIMEOUT=${ROLLOUT_TIMEOUT:-10m}
# Object names the chart derives from the release (see the chart's service.fullname).
FULLNAME=${FULLNAME:-$RELEASE}
export NAMESPACE

chart_args=("$CHART")
[[ -n ${CHART_VERSION:-} ]] && chart_args+=(--version "${CHART_VERSION#v}")

# After `kubectl rollout undo`, kubectl-rollout owns the pod template fields the undo changed (image, version labels,
# ConfigMap name), and Helm 4's server-side apply refuses to set them to anything else ("Apply failed with 1 conflict:
# conflict with "kubectl-rollout""), a switch-back included. The release is the record of what runs, so every upgrade
# here takes those fields back. Releases that Helm 3 installed apply client-side: no conflicts, and helm rejects the flag.
force_conflicts=()

# helm upgrade keeping every value of the running release (so a switch changes exactly one value), while still
# taking new defaults of a newer chart version.
upgrade() {
  "$HELM" upgrade "$RELEASE" "${chart_args[@]}" --namespace "$NAMESPACE" \
    --reset-then-reuse-values "${force_conflicts[@]}" --wait --timeout "$ROLLOUT_TIMEOUT" "$@" >&2
}

# Smoke test of a slot through the preview Service (the idle slot) from this machine via kubectl port-forward.
smoke() {
  local slot=$1 body
  port_forward "$NAMESPACE" "svc/$FULLNAME-preview" 8080
  local base="http://127.0.0.1:$forward_port" ok=true
  curl --silent --show-error --fail --max-time 5 "$base/readyz" >/dev/null || ok=false
  body=$(curl --silent --show-error --fail --max-time 5 "$base/version") || ok=false
  kill "$forward_pid" 2>/dev/null || true
  $ok || deploy_fail "smoke test: the $slot slot does not answer /readyz and /version"
  [[ $body == *"\"version\":\"$EXPECTED_VERSION\""* && $body == *"\"slot\":\"$slot\""* ]] ||
    deploy_fail "smoke test: expected version $EXPECTED_VERSION on slot $slot, got $body"
  deploy_log "smoke test passed: $body"
}

active=
if "$HELM" status "$RELEASE" --namespace "$NAMESPACE" >/dev/null 2>&1; then
  active=$("$HELM" get values "$RELEASE" --namespace "$NAMESPACE" --all --output yaml | sed -n 's/^activeSlot: *//p')
  [[ $active == blue || $active == green ]] || deploy_fail "cannot read activeSlot of release $RELEASE (got '$active')"
  if "$HELM" get metadata "$RELEASE" --namespace "$NAMESPACE" --output json | grep -Eq '"applyMethod": *"ssa"'; then
    force_conflicts=(--force-conflicts)
  fi
fi

if [[ -z $active ]]; then
  deploy_log "first install of $RELEASE: $IMAGE_TAG on the blue slot"
  "$HELM" upgrade --install "$RELEASE" "${chart_args[@]}" --namespace "$NAMESPACE" --values "$VALUES_FILE" \
    --set activeSlot=blue --set "slots.blue.image.tag=$IMAGE_TAG" --set "slots.blue.image.digest=$IMAGE_DIGEST" \
    --set slots.green.enabled=false \
    --wait --timeout "$ROLLOUT_TIMEOUT" >&2
  # The preview Service selects the idle slot, which is empty on a first install: check the active slot's pods.
  "$KUBECTL" --namespace "$NAMESPACE" rollout status "deployment/$FULLNAME-blue" --timeout "$ROLLOUT_TIMEOUT" >&2
  deploy_log "installed; the next release goes to green and switches"
  exit 0
fi

idle=green
[[ $active == green ]] && idle=blue
deploy_log "active slot: $active; deploying $IMAGE_TAG to the idle slot $idle"
# The digest is always set, empty too: the reused values must not keep the digest of the slot's previous release,
# which would win over the new tag.
upgrade --values "$VALUES_FILE" --set "slots.$idle.enabled=true" --set "slots.$idle.image.tag=$IMAGE_TAG" \
  --set "slots.$idle.image.digest=$IMAGE_DIGEST"
"$KUBECTL" --namespace "$NAMESPACE" rollout status "deployment/$FULLNAME-$idle" --timeout "$ROLLOUT_TIMEOUT" >&2

smoke "$idle"

deploy_log "switching traffic: $active -> $idle"
upgrade --set "activeSlot=$idle"

if [[ ${SKIP_SLO_WATCH:-false} == true ]]; then
  deploy_log "SLO watch skipped; $idle is live, $active stays up for an instant switch-back"
  exit 0
fi

if SLOT=$idle FULLNAME=$FULLNAME "$here/watch-slo.sh"; then
  deploy_log "released $IMAGE_TAG on $idle; $active stays up (idle) for an instant switch-back"
else
  deploy_log "switching back: $idle -> $active"
  upgrade --set "activeSlot=$active"
  deploy_fail "$IMAGE_TAG violated the SLO and was switched back; $active serves again"
fi
