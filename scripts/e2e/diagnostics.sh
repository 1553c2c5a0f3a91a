#!/usr/bin/env bash
# Prints what is needed to understand a failed e2e run: the release, its objects, events and pod logs.
# Never fails itself.
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

section() { printf '\n===== %s\n' "$*"; }

section "helm status / history"
"$HELM" status "$E2E_RELEASE" --namespace "$E2E_NAMESPACE"
"$HELM" history "$E2E_RELEASE" --namespace "$E2E_NAMESPACE"
section "objects"
e2e_kubectl get all,configmaps,networkpolicies -o wide
"$KUBECTL" get virtualservices,destinationrules --namespace "$E2E_NAMESPACE" -o yaml 2>/dev/null
section "events"
e2e_kubectl get events --sort-by=.lastTimestamp
section "pods"
e2e_kubectl describe pods
for pod in $(e2e_kubectl get pods -o name); do
  section "logs $pod"
  e2e_kubectl logs "$pod" --all-containers --tail=200
done
# The steps that install into namespaces of their own (defaults, database, Prometheus, Argo Rollouts) and the mesh.
section "pods of every namespace"
"$KUBECTL" get pods --all-namespaces -o wide
section "events of every namespace, newest last"
"$KUBECTL" get events --all-namespaces --sort-by=.lastTimestamp | tail -n 200
for namespace in company-service1-defaults company-service1-argo database monitoring istio-system argo-rollouts; do
  for pod in $("$KUBECTL" --namespace "$namespace" get pods -o name 2>/dev/null); do
    section "logs $namespace/$pod"
    "$KUBECTL" --namespace "$namespace" logs "$pod" --all-containers --tail=100
  done
done
exit 0
