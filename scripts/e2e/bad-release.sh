#!/usr/bin/env bash
# A bad release, caught by the SLO gate and switched back, while users call the service:
#
#   1. a minimal Prometheus in the namespace `monitoring`, with the labels the chart's NetworkPolicy admits; it
#      scrapes the release's metrics ports
#if (istio)
#      and, with Istio, every sidecar's Envoy metrics (15090) in the e2e namespace: the e2e client's sidecar is the
#      calling side whose istio_requests_total the gate reads
#endif
#   2. blue live on the old version, green off; the next release's green slot gets the fault drill at 50% from its
#      configuration (slots.green.config: Drills__FaultRate=0.5 under /api), so the bad release is a property of
#      the new slot, as a bad build or a bad setting would be
#   3. steady user traffic from the e2e client to the main Service (about 10 requests a second, each with a token
#      minted by scripts/mint-token.sh for the release's generated signing key)
#   4. scripts/deploy/blue-green-deploy.sh releases the new image to green (smoke test passes: the drill spares
#      /readyz and /version), switches, watches the SLO for a short window and must switch back and fail
#   5. asserts traffic is back on blue, then prints the failed user requests (count and share) and the seconds from
#      the release start and from the switch to the switch-back; fails when users saw failures before the switch or
#      more than 15 s after the switch-back, or when green was live longer than E2E_ROLLBACK_MAX_SECONDS (default
#      180: the seed's "rolled back within 3 minutes")
#
# Runs against the current kubectl context after kind-up.sh, on the release the earlier steps leave (any slot
# state); ends with blue live, green off and Prometheus removed. Settings: see lib.sh, plus
#   E2E_PROMETHEUS_IMAGE  the Prometheus image (default prom/prometheus:v3.1.0, as in docker-compose.yml)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

E2E_PROMETHEUS_IMAGE=${E2E_PROMETHEUS_IMAGE:-prom/prometheus:v3.1.0}
E2E_ROLLBACK_MAX_SECONDS=${E2E_ROLLBACK_MAX_SECONDS:-180}
# The chart's default networkPolicy.ingress.prometheusNamespaceSelector and prometheusPodLabels.
monitoring_namespace=monitoring
prometheus_label=prometheus
# Hard stop of the traffic loop, whatever happens to this script.
max_seconds=900
# Seconds the callers' proxies (or kube-proxy) may take to follow a switch-back before a failure counts as late.
propagation_seconds=15
# A path under /api (the drill's fault scope) that no route serves: a healthy slot answers 404.
path=/api/e2e-probe
ok_code=404
#if (sample)
# With the sample, its list endpoint: a healthy slot answers 200.
path=/api/v1/todos
ok_code=200
#endif
source_kind=app
#if (istio)
[[ $E2E_ISTIO == true ]] && source_kind=mesh
#endif

work=$(mktemp -d)
traffic_pid=
cleanup() {
  if [[ -n $traffic_pid ]]; then
    e2e_client_exec touch /tmp/release-traffic-stop 2>/dev/null || true
    wait "$traffic_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

urlencode() {
  local LC_ALL=C text=$1 encoded='' char i
  for ((i = 0; i < ${#text}; i++)); do
    char=${text:i:1}
    case $char in
      [a-zA-Z0-9.~_-]) encoded+=$char ;;
      *) printf -v char '%%%02X' "'$char" && encoded+=$char ;;
    esac
  done
  printf '%s' "$encoded"
}

# The first sample value of an instant query (nothing for an empty result), through the API server's Service proxy.
prometheus_query() {
  local body
  body=$("$KUBECTL" get --raw "/api/v1/namespaces/$monitoring_namespace/services/prometheus:web/proxy/api/v1/query?query=$(urlencode "$1")") ||
    return 1
  if [[ $body =~ \"value\":\[[^,]*,\"([^\"]*)\"\] ]]; then printf '%s' "${BASH_REMATCH[1]}"; fi
}

# Seconds between two $EPOCHREALTIME stamps, one decimal.
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

e2e_log "1. Prometheus in the namespace $monitoring_namespace ($E2E_PROMETHEUS_IMAGE)"
"$KUBECTL" create namespace "$monitoring_namespace" --dry-run=client -o yaml | "$KUBECTL" apply -f - >&2
# Pod discovery in the e2e namespace only: a Role there is all Prometheus needs.
"$KUBECTL" apply -f - >&2 <<YAML
apiVersion: v1
kind: ServiceAccount
metadata:
  name: prometheus
  namespace: $monitoring_namespace
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: e2e-prometheus
  namespace: $E2E_NAMESPACE
rules:
  - apiGroups: [""]
    resources: [pods]
    verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: e2e-prometheus
  namespace: $E2E_NAMESPACE
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: e2e-prometheus
subjects:
  - kind: ServiceAccount
    name: prometheus
    namespace: $monitoring_namespace
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: prometheus
  namespace: $monitoring_namespace
data:
  # A short interval, so a one-minute rate has points seconds after the switch.
  prometheus.yml: |
    global:
      scrape_interval: 5s
      scrape_timeout: 4s
    scrape_configs:
      # The app's /metrics on the container port named "metrics", with the labels the SLO gate selects by.
      - job_name: app
        kubernetes_sd_configs:
          - role: pod
            namespaces:
              names: [$E2E_NAMESPACE]
        relabel_configs:
          - source_labels: [__meta_kubernetes_pod_container_port_name]
            regex: metrics
            action: keep
          - source_labels: [__meta_kubernetes_namespace]
            target_label: namespace
          - source_labels: [__meta_kubernetes_pod_name]
            target_label: pod
          - source_labels: [__meta_kubernetes_pod_label_slot]
            target_label: slot
          - source_labels: [__meta_kubernetes_pod_label_version]
            target_label: version
      # Every Istio sidecar's Envoy metrics (port http-envoy-prom, 15090); native sidecars are init containers,
      # which pod discovery lists too. Text format: Prometheus 3 refuses an answer whose type it cannot tell.
      - job_name: envoy
        metrics_path: /stats/prometheus
        scrape_protocols: [PrometheusText0.0.4]
        fallback_scrape_protocol: PrometheusText0.0.4
        kubernetes_sd_configs:
          - role: pod
            namespaces:
              names: [$E2E_NAMESPACE]
        relabel_configs:
          - source_labels: [__meta_kubernetes_pod_container_port_name]
            regex: http-envoy-prom
            action: keep
          - source_labels: [__meta_kubernetes_namespace]
            target_label: namespace
          - source_labels: [__meta_kubernetes_pod_name]
            target_label: pod
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: prometheus
  namespace: $monitoring_namespace
  labels:
    app.kubernetes.io/name: $prometheus_label
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: $prometheus_label
  template:
    metadata:
      labels:
        app.kubernetes.io/name: $prometheus_label
    spec:
      serviceAccountName: prometheus
      securityContext:
        runAsNonRoot: true
        runAsUser: 65534
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: prometheus
          image: $E2E_PROMETHEUS_IMAGE
          args:
            - --config.file=/etc/prometheus-e2e/prometheus.yml
            - --storage.tsdb.path=/prometheus
          ports:
            - name: web
              containerPort: 9090
          readinessProbe:
            httpGet:
              path: /-/ready
              port: web
            periodSeconds: 2
          volumeMounts:
            - name: config
              mountPath: /etc/prometheus-e2e
            - name: data
              mountPath: /prometheus
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
      volumes:
        - name: config
          configMap:
            name: prometheus
        - name: data
          emptyDir: {}
---
apiVersion: v1
kind: Service
metadata:
  name: prometheus
  namespace: $monitoring_namespace
spec:
  selector:
    app.kubernetes.io/name: $prometheus_label
  ports:
    - name: web
      port: 9090
      targetPort: web
YAML
"$KUBECTL" --namespace "$monitoring_namespace" rollout status deployment/prometheus --timeout "$E2E_TIMEOUT" >&2

e2e_log "2. blue live on $E2E_TAG_OLD, green off; the next green slot fails 50% of /api requests"
e2e_client_up
# The e2e client is also let in by a NetworkPolicy peer of its own. lib.sh's settings remove the gateway's `istio`
# pod label with a null, but Helm stores no null (the key is dropped from the release's values), and the deploy
# script's --reset-then-reuse-values renders over the chart's own defaults: the label would come back and shut the
# client out. A list (extraFrom) is stored as it is.
e2e_helm_upgrade \
  --set activeSlot=blue \
  --set "slots.blue.image.tag=$E2E_TAG_OLD" \
  --set slots.green.enabled=false \
  --set slots.green.config.drillsEnabled=true \
  --set-string slots.green.config.extra.Drills__FaultRate=0.5 \
  --set-json 'networkPolicy.ingress.extraFrom=[{"podSelector":{"matchLabels":{"app.kubernetes.io/name":"e2e-client"}}}]'
e2e_rollout_status blue
e2e_wait_version "$E2E_VERSION_OLD" blue

e2e_log "3. steady user traffic: GET $path from the e2e client ($ok_code from a healthy slot)"
# One request at a time, paced: a steady stream that stays far below any rate limit an earlier step left. One line
# per request: the second it finished and its HTTP code (000: no answer).
# shellcheck disable=SC2016 # expanded by the pod's shell, not here
traffic='
rm -f /tmp/release-traffic-stop
end=$(( $(date +%s) + MAX ))
while [ ! -f /tmp/release-traffic-stop ] && [ "$(date +%s)" -lt "$end" ]; do
  code=$(curl --silent --output /dev/null --write-out "%{http_code}" --max-time 5 -H "Authorization: Bearer $TOKEN" "$URL" || true)
  echo "$(date +%s) $code"
  sleep 0.1
done
'
# Users are authenticated: a token for the release's generated signing key, outliving the loop's hard stop.
token=$(e2e_token todos:read)
e2e_client_exec env "URL=$(e2e_service_url)$path" "MAX=$max_seconds" "TOKEN=$token" sh -c "$traffic" >"$work/traffic" 2>&1 &
traffic_pid=$!
deadline=$((SECONDS + 60))
until grep -qE '^[0-9]+ [0-9]{3}$' "$work/traffic"; do
  ((SECONDS < deadline)) || e2e_fail "the traffic loop answered nothing within 60 s"
  sleep 1
done

# The gate can only judge what Prometheus has: wait until it has a rate of the traffic on the live slot.
if [[ $source_kind == mesh ]]; then
  seen="sum(rate(istio_requests_total{reporter=\"source\",destination_service_namespace=\"$E2E_NAMESPACE\",destination_service_name=~\"$E2E_FULLNAME(-slots)?\"}[1m])) > 0"
else
  seen="sum(rate(http_request_duration_seconds_count{namespace=\"$E2E_NAMESPACE\",slot=\"blue\"}[1m])) > 0"
fi
deadline=$((SECONDS + 120))
until [[ -n $(prometheus_query "$seen" 2>/dev/null || true) ]]; do
  ((SECONDS < deadline)) || e2e_fail "Prometheus has no $source_kind request metrics of the release after 120 s: $seen"
  sleep 2
done
printf '    ok: Prometheus sees the traffic in the %s metrics\n' "$source_kind" >&2

e2e_log "4. release $E2E_TAG_NEW with scripts/deploy/blue-green-deploy.sh (SLO window 60 s, every 5 s)"
# The release already carries the e2e's chart settings (lib.sh); the environment adds none.
printf '# The e2e environment: its settings are in the release already (lib.sh).\n{}\n' >"$work/values.yaml"
# Every line of the deploy, stamped with the moment it was printed.
stamp() {
  local line
  while IFS= read -r line; do
    printf '%s %s\n' "$EPOCHREALTIME" "$line"
    printf '    | %s\n' "$line" >&2
  done
}
release_start=$EPOCHREALTIME
deploy_status=0
env RELEASE="$E2E_RELEASE" NAMESPACE="$E2E_NAMESPACE" FULLNAME="$E2E_FULLNAME" CHART="$E2E_CHART" \
  IMAGE_TAG="$E2E_TAG_NEW" EXPECTED_VERSION="$E2E_VERSION_NEW" VALUES_FILE="$work/values.yaml" \
  ROLLOUT_TIMEOUT="$E2E_TIMEOUT" KUBECTL="$KUBECTL" HELM="$HELM" \
  PROMETHEUS_SERVICE="$monitoring_namespace/prometheus:9090" SLO_WINDOW_SECONDS=60 SLO_INTERVAL_SECONDS=5 \
  "$e2e_repo/scripts/deploy/blue-green-deploy.sh" 2>&1 | stamp >"$work/deploy" || deploy_status=$?
release_end=$EPOCHREALTIME

# When the deploy printed a line containing the text (empty when it never did).
stamp_of() { awk -v text="$1" 'index($0, text) { print $1; exit }' "$work/deploy"; }
switched=$(stamp_of "switching traffic: blue -> green")
violated=$(stamp_of "SLO violated")
switching_back=$(stamp_of "switching back: green -> blue")
((deploy_status != 0)) || e2e_fail "the bad release passed the SLO gate and stayed live"
[[ -n $switched ]] || e2e_fail "the deploy failed before it switched to green (exit code $deploy_status)"
[[ -n $violated && -n $switching_back ]] ||
  e2e_fail "the deploy failed without an SLO violation and a switch-back (exit code $deploy_status)"
grep -q "reading the $source_kind metrics" "$work/deploy" ||
  e2e_fail "the SLO gate did not read the $source_kind metrics: $(grep -m1 'reading the' "$work/deploy" || echo 'no source line')"

e2e_log "5. traffic is back on blue"
[[ $(e2e_kubectl get service "$E2E_FULLNAME" -o jsonpath='{.spec.selector.slot}') == blue ]] ||
  e2e_fail "Service $E2E_FULLNAME does not select blue after the switch-back"
e2e_wait_version "$E2E_VERSION_OLD" blue
# Some answers after the switch-back's propagation window, so that "no late failure" is a measurement.
late_from=$(awk -v t="$release_end" -v p="$propagation_seconds" 'BEGIN { printf "%d", t + p + 1 }')
deadline=$((SECONDS + 120))
until (($(awk -v from="$late_from" '$1 >= from' "$work/traffic" | wc -l) >= 20)); do
  ((SECONDS < deadline)) || e2e_fail "the traffic loop stopped answering after the switch-back"
  sleep 1
done
e2e_client_exec touch /tmp/release-traffic-stop
wait "$traffic_pid" || e2e_fail "the traffic loop exited with an error: $(tail -n 5 "$work/traffic")"
traffic_pid=

# requests failed failed_early failed_late exposed exposed_failed last_failure: "failed" is any answer but ok_code;
# early means before the switch began, late after the switch-back plus its propagation, exposed in between.
read -r requests failed early late exposed exposed_failed last_failure < <(awk -v ok="$ok_code" \
  -v from="$switched" -v to="$release_end" -v late="$late_from" '
  $1 ~ /^[0-9]+$/ && $2 ~ /^[0-9][0-9][0-9]$/ {
    n++; bad = ($2 != ok); f += bad
    if (bad && $1 < int(from)) e++
    if (bad && $1 >= late) l++
    if ($1 >= int(from) && $1 <= to + 1) { x++; xf += bad }
    if (bad) last = $1
  }
  END { printf "%d %d %d %d %d %d %s\n", n, f, e, l, x, xf, (last == "" ? "none" : last) }' "$work/traffic")
awk '$2 ~ /^[0-9][0-9][0-9]$/ { print $2 }' "$work/traffic" | sort | uniq -c | awk '{ printf "    HTTP %s: %d answers\n", $2, $1 }' >&2
awk -v tag="$E2E_TAG_NEW" -v t0="$release_start" -v sw="$switched" -v v="$violated" -v back="$switching_back" \
  -v done="$release_end" -v n="$requests" -v f="$failed" -v x="$exposed" -v xf="$exposed_failed" -v last="$last_failure" 'BEGIN {
  printf "    release %s on green, seconds from the release start:\n", tag
  printf "      +%5.1f  switch to green began\n", sw - t0
  printf "      +%5.1f  SLO violation seen (%.1f s after the switch)\n", v - t0, v - sw
  printf "      +%5.1f  switch-back began\n", back - t0
  printf "      +%5.1f  switch-back done, blue serves again (%.1f s after the switch)\n", done - t0, done - sw
  if (last != "none") printf "      +%5.0f  last failed user request\n", last - t0
  printf "    failed user requests: %d of %d (%.1f%%); from the switch to the switch-back: %d of %d (%.1f%%)\n",
    f, n, (n ? 100 * f / n : 0), xf, x, (x ? 100 * xf / x : 0)
}' >&2
((failed >= 1)) || e2e_fail "no user request failed: the fault drill never reached users, so the gate proved nothing"
((early == 0)) || e2e_fail "$early user requests failed before the switch, on the healthy blue slot"
((late == 0)) || e2e_fail "$late user requests failed more than $propagation_seconds s after the switch-back"
awk -v a="$switched" -v b="$release_end" -v max="$E2E_ROLLBACK_MAX_SECONDS" 'BEGIN { exit !(b - a <= max) }' ||
  e2e_fail "green was live longer than $E2E_ROLLBACK_MAX_SECONDS s before the switch-back"

e2e_log "cleaning up: green off, Prometheus removed"
e2e_helm_upgrade --set slots.green.enabled=false
"$KUBECTL" delete namespace "$monitoring_namespace" --wait=false >&2
e2e_kubectl delete rolebinding,role e2e-prometheus >&2
e2e_log "bad release e2e passed"
