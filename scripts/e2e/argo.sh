#!/usr/bin/env bash
# Argo Rollouts mode: installs the Argo Rollouts controller (pinned release), then the chart with
# rollout.engine=argo, and waits the way the chart's notes and docs/kubernetes.md tell users to. Helm 4's default
# `--wait` (kstatus) cannot read a Rollout's status (a string observedGeneration, no Ready condition;
# helm/helm#32615, argoproj/argo-rollouts#4672) and would hang until its timeout, so Helm waits for its hooks only
# and `kubectl wait` reads the Rollout's own phase. Asserts the release answers, then uninstalls.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ARGO_ROLLOUTS_VERSION=${ARGO_ROLLOUTS_VERSION:-v1.8.3}
namespace=${E2E_ARGO_NAMESPACE:-company-service1-argo}
release=company-service1

e2e_log "installing Argo Rollouts $ARGO_ROLLOUTS_VERSION"
"$KUBECTL" create namespace argo-rollouts --dry-run=client -o yaml | "$KUBECTL" apply -f - >&2
"$KUBECTL" apply --namespace argo-rollouts --server-side \
  -f "https://github.com/argoproj/argo-rollouts/releases/download/$ARGO_ROLLOUTS_VERSION/install.yaml" >&2
"$KUBECTL" wait --for=condition=Established crd/rollouts.argoproj.io crd/analysistemplates.argoproj.io --timeout 60s >&2
"$KUBECTL" --namespace argo-rollouts rollout status deployment/argo-rollouts --timeout "$E2E_TIMEOUT" >&2

e2e_log "helm install with rollout.engine=argo, then wait for the Rollout's phase"
"$KUBECTL" create namespace "$namespace" --dry-run=client -o yaml | "$KUBECTL" apply -f - >&2
started=$SECONDS
# No Prometheus on kind: the pre-promotion analysis runs only on updates and is off here.
"$HELM" install "$release" "$E2E_CHART" --namespace "$namespace" \
  --set rollout.engine=argo --set rollout.argo.analysis.enabled=false \
  --set "image.repository=$E2E_IMAGE_REPOSITORY" --set "image.tag=$E2E_TAG_OLD" \
  --wait=hookOnly --timeout "$E2E_TIMEOUT" >&2
"$KUBECTL" --namespace "$namespace" wait "rollout/$release" \
  --for=jsonpath='{.status.phase}'=Healthy --timeout "$E2E_TIMEOUT" >&2
printf '    ok: the Rollout is Healthy %d s after helm install started\n' $((SECONDS - started)) >&2

available=$("$KUBECTL" --namespace "$namespace" get "rollout/$release" -o jsonpath='{.status.availableReplicas}')
((available >= 1)) || e2e_fail "the Rollout reports Healthy with ${available:-no} available replicas"
"$HELM" test "$release" --namespace "$namespace" --logs --timeout "$E2E_TIMEOUT" >&2

"$HELM" uninstall "$release" --namespace "$namespace" --wait --timeout "$E2E_TIMEOUT" >&2
"$KUBECTL" delete namespace "$namespace" --wait=false >&2
e2e_log "Argo Rollouts install and wait passed"
