#!/usr/bin/env bash
# End-to-end proof of the database path through the Helm chart, against a real PostgreSQL in the cluster:
#
#   1. a throwaway PostgreSQL (the official image) in the namespace `database`, with the pod labels the chart's
#      default NetworkPolicy egress admits (networkPolicy.egress.postgres.*), and the connection-string Secret
#   2. install a release of its own with database.existingSecret: the pre-install hook Job runs `migrate` before
#      the pods exist; then the pods are ready WITH the database (/readyz, the postgres and schema checks of
#      /healthz, `helm test`) and the migration history table exists
#   3. upgrade: the pre-upgrade hook Job runs again and succeeds
#   4. the hook objects are gone after each run (hook-succeeded), and uninstall leaves no migration account, Job or
#      ConfigMap
#
# Runs against the current kubectl context after kind-up.sh, next to the blue-green release (its own release
# name, so the two never share values). Settings: see lib.sh, plus
#   E2E_DATABASE_RELEASE  the release of this script (default company-service1-db)
#   E2E_POSTGRES_IMAGE    the PostgreSQL image (default postgres:17.2)
set -euo pipefail
E2E_RELEASE=${E2E_DATABASE_RELEASE:-company-service1-db}
E2E_FULLNAME=$E2E_RELEASE
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

E2E_POSTGRES_IMAGE=${E2E_POSTGRES_IMAGE:-postgres:17.2}
database_namespace=database
secret=$E2E_FULLNAME-db
password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')

database_query() {
  "$KUBECTL" --namespace "$database_namespace" exec deployment/postgresql -- \
    psql --username postgres --dbname company_service1 --tuples-only --no-align --command "$1"
}

# The Job controller records "Completed" on every hook Job that succeeded; the events outlive the Job, which
# hook-succeeded deletes at once.
completed_migrations() {
  e2e_kubectl get events --field-selector "reason=Completed,involvedObject.kind=Job,involvedObject.name=$E2E_FULLNAME-migrate" \
    -o name | wc -l
}

# Nothing of the migration may stay behind: the Job and its hook-scoped ServiceAccount.
expect_no_migration_objects() {
  local left
  left=$(e2e_kubectl get jobs,serviceaccounts --selector "app.kubernetes.io/instance=$E2E_RELEASE,app.kubernetes.io/component=migrate" -o name)
  [[ -z $left ]] || e2e_fail "migration objects left behind $1: $left"
  printf '    ok: no migration Job or ServiceAccount left %s\n' "$1" >&2
}

expect_ready_with_the_database() {
  local url report
  url="$(e2e_service_url)"
  [[ $(e2e_get "$url/readyz") == Healthy ]] || e2e_fail "/readyz is not Healthy"
  report=$(e2e_get "$url/healthz")
  [[ $report == *'"name":"postgres","status":"Healthy"'* && $report == *'"name":"schema","status":"Healthy"'* ]] ||
    e2e_fail "the database checks are not healthy: $report"
  printf '    ok: ready with the database: %s\n' "$report" >&2
}

e2e_log "1. PostgreSQL in the namespace $database_namespace, and the connection-string Secret"
"$KUBECTL" create namespace "$database_namespace" --dry-run=client -o yaml | "$KUBECTL" apply -f - >&2
"$KUBECTL" --namespace "$database_namespace" create secret generic postgresql \
  --from-literal=password="$password" --dry-run=client -o yaml | "$KUBECTL" apply -f - >&2
"$KUBECTL" --namespace "$database_namespace" apply -f - >&2 <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: postgresql
  labels:
    app.kubernetes.io/name: postgresql
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: postgresql
  template:
    metadata:
      labels:
        app.kubernetes.io/name: postgresql
    spec:
      containers:
        - name: postgresql
          image: $E2E_POSTGRES_IMAGE
          env:
            - name: POSTGRES_DB
              value: company_service1
            - name: POSTGRES_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: postgresql
                  key: password
          ports:
            - name: postgresql
              containerPort: 5432
          readinessProbe:
            exec:
              command: ["pg_isready", "--username", "postgres", "--dbname", "company_service1"]
            periodSeconds: 2
          volumeMounts:
            - name: data
              mountPath: /var/lib/postgresql/data
      volumes:
        - name: data
          emptyDir: {}
---
apiVersion: v1
kind: Service
metadata:
  name: postgresql
spec:
  selector:
    app.kubernetes.io/name: postgresql
  ports:
    # tcp- tells Istio the protocol; the port is the chart's networkPolicy.egress.postgres.port.
    - name: tcp-postgresql
      port: 5432
      targetPort: postgresql
YAML
"$KUBECTL" --namespace "$database_namespace" rollout status deployment/postgresql --timeout "$E2E_TIMEOUT" >&2
e2e_kubectl create secret generic "$secret" \
  --from-literal=connection-string="Host=postgresql.$database_namespace.svc;Port=5432;Database=company_service1;Username=postgres;Password=$password" \
  --dry-run=client -o yaml | e2e_kubectl apply -f - >&2

e2e_client_up

e2e_log "2. install $E2E_RELEASE with the database: the pre-install hook migrates first"
e2e_helm_upgrade \
  --set activeSlot=blue \
  --set "image.tag=$E2E_TAG_OLD" \
  --set "slots.blue.image.tag=$E2E_TAG_OLD" \
  --set slots.green.enabled=false \
  --set replicaCount=1 \
  --set "database.existingSecret=$secret"
(($(completed_migrations) >= 1)) || e2e_fail "no migration Job completed during the install"
[[ $(database_query "SELECT to_regclass('public.schema_migrations') IS NOT NULL") == t ]] ||
  e2e_fail "the migration history table does not exist: the hook did not migrate"
expect_no_migration_objects "after the install"
e2e_rollout_status blue
expect_ready_with_the_database
"$HELM" test "$E2E_RELEASE" --namespace "$E2E_NAMESPACE" --logs --timeout "$E2E_TIMEOUT" >&2
e2e_wait_version "$E2E_VERSION_OLD" blue

e2e_log "3. upgrade: the pre-upgrade hook migrates again"
e2e_helm_upgrade --set "slots.blue.image.tag=$E2E_TAG_NEW"
(($(completed_migrations) >= 2)) || e2e_fail "no migration Job completed during the upgrade"
expect_no_migration_objects "after the upgrade"
e2e_rollout_status blue
expect_ready_with_the_database
e2e_wait_version "$E2E_VERSION_NEW" blue

e2e_log "4. uninstall: no migration account or Job stays behind"
"$HELM" uninstall "$E2E_RELEASE" --namespace "$E2E_NAMESPACE" --wait --timeout "$E2E_TIMEOUT" >&2
expect_no_migration_objects "after the uninstall"
# Every content-named ConfigMap, older ones included, is part of the release: none outlives it.
left=$(e2e_kubectl get configmaps --selector "app.kubernetes.io/instance=$E2E_RELEASE,app.kubernetes.io/component=config" -o name)
[[ -z $left ]] || e2e_fail "ConfigMaps outlived the uninstall: $left"
e2e_kubectl delete secret "$secret" >&2
"$KUBECTL" delete namespace "$database_namespace" --wait=false >&2

e2e_log "database e2e passed"
