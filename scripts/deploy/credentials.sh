#!/usr/bin/env bash
# Writes the credentials a deploy job needs without printing them:
#   KUBECONFIG_CONTENT  -> $RUNNER_TEMP/kubeconfig (mode 600), or $KUBECONFIG_PATH when set
#   REGISTRY_PASSWORD   -> `helm registry login` to REGISTRY (default ghcr.io) as REGISTRY_USER (default
#                          $GITHUB_ACTOR), so a private OCI chart can be pulled
# By hand you normally need neither: use your own kubeconfig and `helm registry login`.
set -euo pipefail

: "${KUBECONFIG_CONTENT:?set KUBECONFIG_CONTENT (the kubeconfig, e.g. from a secret)}"
path=${KUBECONFIG_PATH:-${RUNNER_TEMP:?set RUNNER_TEMP or KUBECONFIG_PATH}/kubeconfig}

umask 077
printf '%s\n' "$KUBECONFIG_CONTENT" >"$path"
echo "credentials: kubeconfig written to $path" >&2

if [[ -n ${REGISTRY_PASSWORD:-} ]]; then
  registry=${REGISTRY:-ghcr.io}
  printf '%s' "$REGISTRY_PASSWORD" |
    "${HELM:-helm}" registry login "$registry" --username "${REGISTRY_USER:-${GITHUB_ACTOR:?set REGISTRY_USER}}" --password-stdin >&2
fi
