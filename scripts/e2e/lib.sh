# shellcheck shell=bash
# Shared settings and helpers of the end-to-end scripts (sourced, not run). Every setting is an environment
# variable with a default that fits the kind cluster made by kind-up.sh; point them at any cluster to run by hand.

e2e_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Where and what to install.
E2E_NAMESPACE=${E2E_NAMESPACE:-company-service1-e2e}
E2E_RELEASE=${E2E_RELEASE:-company-service1}
E2E_CHART=${E2E_CHART:-$e2e_repo/charts/company-service1}
#if (istio)
# "true": the chart's Istio objects (VirtualService, DestinationRule, mTLS) and sidecars; needs Istio in the cluster.
E2E_ISTIO=${E2E_ISTIO:-false}
# "true": Istio injects native sidecars (init containers that keep running); "false": classic sidecar containers.
E2E_NATIVE_SIDECARS=${E2E_NATIVE_SIDECARS:-true}
#endif
# Object names the chart derives from the release (fullname = release name when it contains "service").
E2E_FULLNAME=${E2E_FULLNAME:-$E2E_RELEASE}
# Two builds of the same image that differ only in the version they report on /version.
E2E_IMAGE_REPOSITORY=${E2E_IMAGE_REPOSITORY:-company-service1}
E2E_TAG_OLD=${E2E_TAG_OLD:-e2e-1}
E2E_VERSION_OLD=${E2E_VERSION_OLD:-1.0.0-e2e.1}
E2E_TAG_NEW=${E2E_TAG_NEW:-e2e-2}
E2E_VERSION_NEW=${E2E_VERSION_NEW:-1.0.0-e2e.2}
# The new build under a third tag (kind-up.sh tags it): a release after a `kubectl rollout undo` that runs another
# image than the undo restored, which is what collides with the fields the undo took over.
E2E_TAG_NEXT=${E2E_TAG_NEXT:-e2e-2-next}
# In-cluster client that sends every request of the tests (curl + sh).
E2E_CLIENT_IMAGE=${E2E_CLIENT_IMAGE:-curlimages/curl:8.11.1}
E2E_TIMEOUT=${E2E_TIMEOUT:-300s}
# Where the status page's screenshots go (the CI job uploads them), and the browser that takes them: headless Chrome
# or Chromium, the first found unless set.
E2E_ARTIFACTS=${E2E_ARTIFACTS:-$e2e_repo/artifacts/e2e}
E2E_BROWSER=${E2E_BROWSER:-}
E2E_PAGE_PORT=${E2E_PAGE_PORT:-18080}

KUBECTL=${KUBECTL:-kubectl}
HELM=${HELM:-helm}

e2e_log() { printf '\n==> %s\n' "$*" >&2; }
e2e_fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

e2e_kubectl() { "$KUBECTL" --namespace "$E2E_NAMESPACE" "$@"; }

# Base URL of the main Service, as a client inside the namespace sees it.
e2e_service_url() { printf 'http://%s.%s.svc:8080' "$E2E_FULLNAME" "$E2E_NAMESPACE"; }

# The chart settings every e2e step shares. No database: the service runs its in-memory store, which is all a
# slot switch needs. The ServiceMonitor and PrometheusRule stay on "auto": kind has no prometheus-operator, so the
# chart leaves them out by itself. The e2e client plays the ingress gateway: it is the caller the NetworkPolicy
# admits.
#if (istio)
# The Istio AuthorizationPolicy admits it too.
#endif
e2e_chart_settings=(
  --set "image.repository=$E2E_IMAGE_REPOSITORY"
#if (istio)
  --set "istio.enabled=$E2E_ISTIO"
  --set istio.gateway=
  --set "istio.gatewayServiceAccount=$E2E_NAMESPACE/e2e-client"
#endif
  --set "networkPolicy.ingress.gatewayNamespace=$E2E_NAMESPACE"
  # --set-json merges into the default labels; null drops the gateway's own label, which the client lacks.
  --set-json 'networkPolicy.ingress.gatewayPodLabels={"app.kubernetes.io/name":"e2e-client","istio":null}'
)

# helm upgrade --install with the shared settings plus the step's own --set flags.
e2e_helm_upgrade() {
  "$HELM" upgrade --install "$E2E_RELEASE" "$E2E_CHART" \
    --namespace "$E2E_NAMESPACE" \
    --reuse-values \
    "${e2e_chart_settings[@]}" \
    --wait --timeout "$E2E_TIMEOUT" \
    "$@" >&2
}

# What a step would install, without a cluster: helm template with the same settings.
e2e_helm_template() {
  "$HELM" template "$E2E_RELEASE" "$E2E_CHART" --namespace "$E2E_NAMESPACE" "${e2e_chart_settings[@]}" "$@"
}

# The in-cluster client: a Deployment (not a bare pod), so that it stays up. It passes Pod Security "restricted".
#if (istio)
# With Istio it also gets a sidecar, like the service's pods.
#endif
#   e2e_client_up [namespace [name]]   # defaults: the e2e namespace, e2e-client
#if (istio)
#   a third argument, true or false, decides its sidecar (default: $E2E_ISTIO)
#endif
# shellcheck disable=SC2120 # every argument is optional
e2e_client_up() {
  local namespace=${1:-$E2E_NAMESPACE} name=${2:-e2e-client}
#if (istio)
  local sidecar=${3:-$E2E_ISTIO}
#endif
  "$KUBECTL" --namespace "$namespace" apply -f - >&2 <<YAML
apiVersion: v1
kind: ServiceAccount
metadata:
  name: $name
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: $name
  labels:
    app.kubernetes.io/name: $name
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: $name
  template:
    metadata:
      labels:
        app.kubernetes.io/name: $name
#if (istio)
        sidecar.istio.io/inject: "$sidecar"
      annotations:
        # Istio keeps only a minimal set of Envoy stats by default; the outlier-ejection check reads these.
        proxy.istio.io/config: '{"proxyStatsMatcher":{"inclusionRegexps":[".*outlier_detection.*"]}}'
#endif
    spec:
      serviceAccountName: $name
      securityContext:
        runAsNonRoot: true
        runAsUser: 100
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: client
          image: $E2E_CLIENT_IMAGE
          command: ["sleep", "infinity"]
          volumeMounts:
            - name: tmp
              mountPath: /tmp
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
          resources:
            requests:
              cpu: 50m
              memory: 32Mi
      volumes:
        - name: tmp
          emptyDir: {}
YAML
  "$KUBECTL" --namespace "$namespace" rollout status "deployment/$name" --timeout "$E2E_TIMEOUT" >&2
}

# Pod Security admission enforces "restricted" in a namespace (and warns about it).
e2e_restrict_namespace() {
  "$KUBECTL" label namespace "$1" --overwrite \
    pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/enforce-version=latest \
    pod-security.kubernetes.io/warn=restricted >&2
}

# Runs a command in the client container.
e2e_client_exec() { e2e_kubectl exec deployment/e2e-client -c client -- "$@"; }

# GET a URL from inside the cluster and print the body; extra curl arguments (e.g. -H 'x-slot: green') go first.
e2e_get() {
  local url=${!#}
  local args=("${@:1:$#-1}")
  e2e_client_exec curl --silent --show-error --fail --max-time 5 "${args[@]}" "$url"
}

# The HTTP status code of a GET from inside the cluster (000: no answer); extra curl arguments go first.
e2e_status() {
  local url=${!#}
  local args=("${@:1:$#-1}")
  e2e_client_exec curl --silent --output /dev/null --write-out '%{http_code}' --max-time 5 "${args[@]}" "$url" || true
}

# A bearer token for the API of a release, valid for an hour, minted with scripts/mint-token.sh for the signing key
# the chart generated (the Secret <fullname>-jwt): e2e_token SCOPES [NAMESPACE [FULLNAME]].
e2e_token() {
  local scopes=$1 namespace=${2:-$E2E_NAMESPACE} fullname=${3:-$E2E_FULLNAME}
  KUBECTL=$KUBECTL "$e2e_repo/scripts/mint-token.sh" --secret "$fullname-jwt" --namespace "$namespace" \
    --issuer "$fullname" --audience "$fullname" --subject e2e --scope "$scopes" --lifetime 3600
}

# Prints the value of a string field of a flat JSON object: json_field '{"slot":"blue"}' slot -> blue.
e2e_json_field() {
  local json=$1 field=$2
  local re="\"$field\"[[:space:]]*:[[:space:]]*\"([^\"]*)\""
  # A missing field prints nothing (and is not an error), so callers report what they got instead of exiting.
  if [[ $json =~ $re ]]; then printf '%s' "${BASH_REMATCH[1]}"; fi
}

# Asserts that /version (at a URL, with optional curl arguments first) reports the expected version and slot.
# Asks several times: every answer must match, so one stale endpoint among several pods is caught too.
e2e_expect_version() {
  local version=$1 slot=$2
  shift 2
  local body got_version got_slot
  for _ in 1 2 3 4 5 6; do
    body=$(e2e_get "$@") || e2e_fail "GET ${!#} failed"
    got_version=$(e2e_json_field "$body" version)
    got_slot=$(e2e_json_field "$body" slot)
    if [[ $got_version != "$version" || $got_slot != "$slot" ]]; then
      e2e_fail "expected version $version on slot $slot, got: $body"
    fi
  done
  printf '    ok: %s answers %s (slot %s)\n' "${!#}" "$version" "$slot" >&2
}

# Waits until /version of the main Service reports the expected version and slot (a switch is a rolling
# configuration push: kube-proxy or the sidecars pick it up within seconds, not instantly), then asserts it.
e2e_wait_version() {
  local version=$1 slot=$2 deadline=$((SECONDS + 120)) body
  while ((SECONDS < deadline)); do
    body=$(e2e_get "$(e2e_service_url)/version" 2>/dev/null || true)
    if [[ $(e2e_json_field "$body" version) == "$version" && $(e2e_json_field "$body" slot) == "$slot" ]]; then
      e2e_expect_version "$version" "$slot" "$(e2e_service_url)/version"
      return 0
    fi
    sleep 2
  done
  e2e_fail "the service did not switch to version $version on slot $slot within 120 s (last answer: ${body:-none})"
}

e2e_rollout_status() {
  e2e_kubectl rollout status "deployment/$E2E_FULLNAME-$1" --timeout "$E2E_TIMEOUT" >&2
}

# Switches default traffic to a slot as the runbook does (helm upgrade --set activeSlot=...) and prints its seconds:
# the upgrade alone, and until every answer of the main Service comes from that slot. A switch is a traffic change
# only: it fails when the upgrade ran a pre-upgrade hook (the migration Job), changed a slot Deployment (pods
# restart) or took longer than E2E_SWITCH_MAX_SECONDS (default 60).
e2e_switch() {
  local slot=$1 version=$2 before start upgraded answered hooks
  local servers="app.kubernetes.io/instance=$E2E_RELEASE,app.kubernetes.io/component=server"
  local generations='{range .items[*]}{.metadata.name}={.metadata.generation} {end}'
  before=$(e2e_kubectl get deployments --selector "$servers" -o jsonpath="$generations")
  start=$EPOCHREALTIME
  e2e_helm_upgrade --set "activeSlot=$slot"
  upgraded=$EPOCHREALTIME
  e2e_wait_version "$version" "$slot"
  answered=$EPOCHREALTIME
  hooks=$("$HELM" get hooks "$E2E_RELEASE" --namespace "$E2E_NAMESPACE")
  [[ $hooks != *pre-upgrade* ]] || e2e_fail "the switch to $slot ran a pre-upgrade hook:"$'\n'"$hooks"
  [[ $(e2e_kubectl get deployments --selector "$servers" -o jsonpath="$generations") == "$before" ]] ||
    e2e_fail "the switch to $slot changed a slot Deployment (before: $before)"
  awk -v s="$start" -v u="$upgraded" -v a="$answered" -v slot="$slot" -v max="${E2E_SWITCH_MAX_SECONDS:-60}" 'BEGIN {
    printf "    switch to %s: helm upgrade %.1f s, every answer from %s after %.1f s\n", slot, u - s, slot, a - s
    exit !(a - s <= max)
  }' >&2 || e2e_fail "the switch to $slot took longer than ${E2E_SWITCH_MAX_SECONDS:-60} s"
}

# Prints how long a rollback took since START (an $EPOCHREALTIME) and fails above E2E_ROLLBACK_MAX_SECONDS (default
# 180: every release can be rolled back within 3 minutes).
#   e2e_rollback_took NAME START
e2e_rollback_took() {
  awk -v name="$1" -v s="$2" -v now="$EPOCHREALTIME" -v max="${E2E_ROLLBACK_MAX_SECONDS:-180}" 'BEGIN {
    printf "    rollback by %s: %.1f s\n", name, now - s
    exit !(now - s <= max)
  }' >&2 || e2e_fail "the rollback by $1 took longer than ${E2E_ROLLBACK_MAX_SECONDS:-180} s"
}

# Saves the status page of the main Service (so of the active slot) as $E2E_ARTIFACTS/status-page-NAME.png and fails
# unless the page shows SLOT. The browser reaches it through a kubectl port-forward of its own: a port-forward stays
# on the pod it picked first, so one from before a switch would still show the old slot after it.
#   e2e_page_screenshot NAME SLOT
e2e_page_screenshot() {
  local name=$1 slot=$2 browser=$E2E_BROWSER forward dom url="http://127.0.0.1:$E2E_PAGE_PORT/" candidate
  if [[ -z $browser ]]; then
    for candidate in google-chrome chromium chromium-browser; do
      if command -v "$candidate" >/dev/null 2>&1; then
        browser=$candidate
        break
      fi
    done
  fi
  [[ -n $browser ]] || e2e_fail "no headless browser for the status page's screenshot: set E2E_BROWSER"
  mkdir -p "$E2E_ARTIFACTS"
  # kubectl itself in the background (not through e2e_kubectl, a function: $! would name a subshell, and killing it
  # would leave the port-forward running).
  "$KUBECTL" --namespace "$E2E_NAMESPACE" port-forward "service/$E2E_FULLNAME" "$E2E_PAGE_PORT:8080" >/dev/null 2>&1 &
  forward=$!
  for _ in $(seq 1 30); do
    curl --silent --fail --max-time 2 --output /dev/null "${url}readyz" && break
    sleep 1
  done
  # The virtual-time budget lets the page's script fetch and render the state before the browser captures it.
  local flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking "--window-size=1200,800"
    --virtual-time-budget=5000)
  dom=$("$browser" "${flags[@]}" --dump-dom "$url" 2>/dev/null) || dom=""
  "$browser" "${flags[@]}" --screenshot="$E2E_ARTIFACTS/status-page-$name.png" "$url" >/dev/null 2>&1 || true
  kill "$forward" 2>/dev/null || true
  wait "$forward" 2>/dev/null || true
  [[ $dom == *"data-slot=\"$slot\""* ]] || e2e_fail "the status page ($name) does not show the $slot slot"
  [[ -s $E2E_ARTIFACTS/status-page-$name.png ]] || e2e_fail "no screenshot of the status page ($name)"
  printf '    status page shows %s: %s\n' "$slot" "$E2E_ARTIFACTS/status-page-$name.png" >&2
}
