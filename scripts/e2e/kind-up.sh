#!/usr/bin/env bash
# Creates a local kind cluster for the end-to-end scripts (a quick no-op when it exists), builds the two
# versions of the image they deploy and loads them into the cluster.
#
#   scripts/e2e/kind-up.sh                 # plain Kubernetes Services
#if (istio)
#   E2E_ISTIO=true scripts/e2e/kind-up.sh  # plus Istio (istioctl, minimal profile, CNI node agent)
#   E2E_ISTIO=true E2E_NATIVE_SIDECARS=false scripts/e2e/kind-up.sh  # the same with classic sidecars
#endif
#
# The namespace enforces Pod Security "restricted": every pod the e2e starts must pass it.
#
# Needs docker, kind and kubectl (scripts/setup/helm.sh provides kubectl and helm).
#if (istio)
# With E2E_ISTIO=true also istioctl (scripts/e2e/install-istio.sh fetches it).
#endif
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KIND_CLUSTER=${KIND_CLUSTER:-company-service1-e2e}
# kind's node image; empty means the default of the installed kind release.
KIND_NODE_IMAGE=${KIND_NODE_IMAGE:-}

if kind get clusters 2>/dev/null | grep -qx "$KIND_CLUSTER"; then
  e2e_log "kind cluster $KIND_CLUSTER exists"
else
  e2e_log "creating kind cluster $KIND_CLUSTER"
  args=(--name "$KIND_CLUSTER" --wait 120s)
  [[ -n $KIND_NODE_IMAGE ]] && args+=(--image "$KIND_NODE_IMAGE")
  kind create cluster "${args[@]}"
fi
"$KUBECTL" config use-context "kind-$KIND_CLUSTER" >&2

# Two images that differ only in the version they report, so every step can tell which one answers.
# Built by the same script users run (scripts/images/build.sh), from the official base images.
for pair in "$E2E_TAG_OLD=$E2E_VERSION_OLD" "$E2E_TAG_NEW=$E2E_VERSION_NEW"; do
  tag=${pair%%=*}
  version=${pair#*=}
  e2e_log "building $E2E_IMAGE_REPOSITORY:$tag (version $version)"
  IMAGE_REPOSITORY=$E2E_IMAGE_REPOSITORY IMAGE_TAG=$tag VERSION=$version "$e2e_repo/scripts/images/build.sh" jit >&2
  kind load docker-image --name "$KIND_CLUSTER" "$E2E_IMAGE_REPOSITORY:$tag"
done
docker tag "$E2E_IMAGE_REPOSITORY:$E2E_TAG_NEW" "$E2E_IMAGE_REPOSITORY:$E2E_TAG_NEXT"
kind load docker-image --name "$KIND_CLUSTER" "$E2E_IMAGE_REPOSITORY:$E2E_TAG_NEXT"

# Registry images are pulled by each node's own containerd, not kind-loaded: with Docker's containerd image store,
# `docker save` of a multi-arch image exports the whole index, and kind's `ctr images import --all-platforms` then
# fails on the platforms that were never pulled ("content digest ... not found", kubernetes-sigs/kind#3795). The
# node pulls just its own platform, whichever image store Docker uses. (The images built above are single-platform.)
for node in $(kind get nodes --name "$KIND_CLUSTER"); do
  e2e_log "pulling the client image $E2E_CLIENT_IMAGE on $node"
  docker exec "$node" crictl pull "$E2E_CLIENT_IMAGE" >&2
done

"$KUBECTL" create namespace "$E2E_NAMESPACE" --dry-run=client -o yaml | "$KUBECTL" apply -f - >&2
e2e_restrict_namespace "$E2E_NAMESPACE"

#if (istio)
if [[ $E2E_ISTIO == true ]]; then
  e2e_log "installing Istio (minimal profile, CNI node agent, native sidecars: $E2E_NATIVE_SIDECARS)"
  # The CNI node agent sets up the traffic redirection, so no pod needs istio-init (NET_ADMIN, NET_RAW), which
  # Pod Security "restricted" rejects. kind keeps its CNI plugins and configuration in the standard places.
  # Native sidecars (Kubernetes >= 1.28) let Jobs complete with a sidecar in them; the classic leg turns them off
  # (the helm test pod asks for a native sidecar by annotation either way).
  istioctl install --skip-confirmation --set profile=minimal \
    --set components.cni.enabled=true \
    --set values.pilot.cni.enabled=true \
    --set values.cni.cniBinDir=/opt/cni/bin \
    --set values.cni.cniConfDir=/etc/cni/net.d \
    --set "values.pilot.env.ENABLE_NATIVE_SIDECARS=$E2E_NATIVE_SIDECARS"
  # istio-system or kube-system, depending on the Istio release's default for components.cni.namespace.
  cni_namespace=$("$KUBECTL" get daemonset --all-namespaces --field-selector metadata.name=istio-cni-node \
    -o jsonpath='{.items[*].metadata.namespace}')
  [[ -n $cni_namespace ]] || e2e_fail "istioctl installed no istio-cni-node DaemonSet"
  "$KUBECTL" --namespace "$cni_namespace" rollout status daemonset/istio-cni-node --timeout "$E2E_TIMEOUT" >&2
  "$KUBECTL" label namespace "$E2E_NAMESPACE" istio-injection=enabled --overwrite >&2
fi
#endif
e2e_log "cluster ready: context kind-$KIND_CLUSTER, namespace $E2E_NAMESPACE"
