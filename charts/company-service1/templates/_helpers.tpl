{{/*
Names and labels shared by every template. Nothing here renders an object.
*/}}

{{/* The chart name, overridable with nameOverride. */}}
{{- define "company-service1.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The base name of every object: the release name, unless it does not already contain the chart name.
Truncated to 50 characters so that suffixes such as "-green" or "-preview" stay within the 63 of a Service name.
*/}}
{{- define "company-service1.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* chart name and version, as used by the helm.sh/chart label. */}}
{{- define "company-service1.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels that identify the release's pods; the base of every selector. */}}
{{- define "company-service1.selectorLabels" -}}
app.kubernetes.io/name: {{ include "company-service1.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "company-service1.labels" -}}
helm.sh/chart: {{ include "company-service1.chart" . }}
{{ include "company-service1.selectorLabels" . }}
app.kubernetes.io/part-of: {{ include "company-service1.name" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector of the serving pods of every slot (not the migration Job or the test pod). */}}
{{- define "company-service1.serverSelectorLabels" -}}
{{ include "company-service1.selectorLabels" . }}
app.kubernetes.io/component: server
{{- end }}

{{/* The ServiceAccount of the serving pods. */}}
{{- define "company-service1.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "company-service1.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The slot that receives no default traffic. */}}
{{- define "company-service1.idleSlot" -}}
{{- if eq .Values.activeSlot "blue" }}green{{ else }}blue{{ end }}
{{- end }}

{{/*
The image of a slot: "company-service1.image" (dict "root" $ "slot" "blue"); the Argo Rollout passes no slot.
A slot's own digest or tag beats the shared image.digest / image.tag (a shared digest pins the shared tag's image,
never a slot's other version), and at each level the digest wins over the tag: repository@sha256:... runs exactly
the image the release signed. Windows nodes use the Windows image, which the Linux digests cannot name.
*/}}
{{- define "company-service1.image" -}}
{{- $root := .root }}
{{- $repository := $root.Values.image.repository }}
{{- $tag := $root.Values.image.tag }}
{{- $digest := $root.Values.image.digest }}
{{- if .slot }}
{{- $slotImage := (index $root.Values.slots .slot).image }}
{{- if or $slotImage.digest $slotImage.tag }}
{{- $tag = $slotImage.tag | default $tag }}
{{- $digest = $slotImage.digest }}
{{- end }}
{{- end }}
{{- /* #if (windows) */}}
{{- if $root.Values.windows.enabled }}
{{- $repository = $root.Values.windows.image.repository }}
{{- $tag = $root.Values.windows.image.tag | default $tag }}
{{- $digest = "" }}
{{- end }}
{{- /* #endif */}}
{{- $tag = $tag | default $root.Chart.AppVersion }}
{{- if $root.Values.image.registry }}
{{- $repository = printf "%s/%s" $root.Values.image.registry $repository }}
{{- end }}
{{- if $digest }}
{{- printf "%s@%s" $repository $digest }}
{{- else }}
{{- printf "%s:%s" $repository $tag }}
{{- end }}
{{- end }}

{{/* The version label of a slot (its image tag), valid as a label value. */}}
{{- define "company-service1.slotVersion" -}}
{{- $tag := .root.Values.image.tag }}
{{- if .slot }}
{{- $tag = (index .root.Values.slots .slot).image.tag | default $tag }}
{{- end }}
{{- /* #if (windows) */}}
{{- if .root.Values.windows.enabled }}
{{- $tag = .root.Values.windows.image.tag | default $tag }}
{{- end }}
{{- /* #endif */}}
{{- regexReplaceAll "[^A-Za-z0-9._-]" ($tag | default .root.Chart.AppVersion | toString) "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The application configuration of a slot: config, with slots.<slot>.config laid over it key by key (extra too,
name by name). The Argo Rollout passes no slot and gets config alone. Set by hand rather than with mergeOverwrite,
which skips false and 0 and so could not turn a shared drillsEnabled: true off for one slot.
*/}}
{{- define "company-service1.slotConfig" -}}
{{- $config := deepCopy .root.Values.config }}
{{- if .slot }}
{{- $override := (index .root.Values.slots .slot).config | default dict }}
{{- range $key, $value := $override }}
{{- if eq $key "extra" }}
{{- $extra := deepCopy ($config.extra | default dict) }}
{{- range $name, $setting := $value }}
{{- $_ := set $extra $name $setting }}
{{- end }}
{{- $_ := set $config "extra" $extra }}
{{- else }}
{{- $_ := set $config $key $value }}
{{- end }}
{{- end }}
{{- end }}
{{- toYaml $config }}
{{- end }}

{{/* Environment variables a slot's ConfigMap carries (name -> value, all strings): (dict "root" $ "slot" "blue"). */}}
{{- define "company-service1.configData" -}}
{{- $v := .root.Values }}
{{- $c := include "company-service1.slotConfig" . | fromYaml }}
Drain__DelaySeconds: {{ $v.drain.delaySeconds | int64 | quote }}
Drain__TimeoutSeconds: {{ $v.drain.timeoutSeconds | int64 | quote }}
RateLimit__PermitsPerSecond: {{ $c.rateLimitPermitsPerSecond | int64 | quote }}
RateLimit__PermitsPerClientPerSecond: {{ $c.rateLimitPermitsPerClientPerSecond | int64 | quote }}
Limits__MaxRequestBodyBytes: {{ $c.maxRequestBodyBytes | int64 | quote }}
Limits__MaxJsonDepth: {{ $c.maxJsonDepth | int64 | quote }}
#if (postgres)
Database__HealthCheckTimeoutMilliseconds: {{ $c.databaseHealthCheckTimeoutMilliseconds | int64 | quote }}
Database__MigrateOnStartup: "false"
Database__RetryAfterSeconds: {{ $c.databaseRetryAfterSeconds | int64 | quote }}
#endif
Drills__Enabled: {{ $c.drillsEnabled | quote }}
Logging__LogLevel__Default: {{ $c.logLevel | quote }}
Management__Port: {{ $v.metrics.port | int64 | quote }}
ASPNETCORE_HTTP_PORTS: {{ $v.containerPort | int64 | quote }}
OTEL_SERVICE_NAME: {{ include "company-service1.fullname" .root | quote }}
{{- with $v.otel.endpoint }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ . | quote }}
{{- end }}
{{- range $name, $value := $c.extra }}
{{ $name }}: {{ $value | quote }}
{{- end }}
{{- end }}

{{/*
The content-addressed ConfigMap of a slot, <fullname>-<slot>-config-<hash> (<fullname>-config-<hash> for the Argo
Rollout): a hash of its data in the name means a config change creates a new ConfigMap (and a new ReplicaSet) for
the slots whose data changed only, while older ReplicaSets keep pointing at the ConfigMap they were rolled out with.
ConfigMap names may be 253 characters long, so the 50-character base name always fits.
*/}}
{{- define "company-service1.configMapName" -}}
{{- $base := include "company-service1.fullname" .root }}
{{- if .slot }}
{{- $base = printf "%s-%s" $base .slot }}
{{- end }}
{{- printf "%s-config-%s" $base (include "company-service1.configData" . | sha256sum | trunc 10) }}
{{- end }}

{{/*
The older ConfigMaps of a slot (the Argo Rollout passes no slot) that its retained ReplicaSets still reference, as a
JSON list of names: the ReplicaSets owned by the live Deployment (or Rollout), which its controller already prunes to
revisionHistoryLimit, and their pods' envFrom names that this chart gave the slot. Empty without a cluster
(`helm template`, --dry-run=client) and on install, since lookup answers nothing there.
*/}}
{{- define "company-service1.retainedConfigMaps" -}}
{{- $root := .root }}
{{- $base := include "company-service1.fullname" $root }}
{{- $owner := dict }}
{{- if .slot }}
{{- $base = printf "%s-%s" $base .slot }}
{{- $owner = lookup "apps/v1" "Deployment" $root.Release.Namespace $base }}
{{- else }}
{{- $owner = lookup "argoproj.io/v1alpha1" "Rollout" $root.Release.Namespace $base }}
{{- end }}
{{- $uid := dig "metadata" "uid" "" $owner }}
{{- $prefix := printf "%s-config-" $base }}
{{- $names := dict }}
{{- if $uid }}
{{- range $rs := dig "items" (list) (lookup "apps/v1" "ReplicaSet" $root.Release.Namespace "") }}
{{- range $ref := dig "metadata" "ownerReferences" (list) $rs }}
{{- if eq (dig "uid" "" $ref) $uid }}
{{- range $container := dig "spec" "template" "spec" "containers" (list) $rs }}
{{- range $from := dig "envFrom" (list) $container }}
{{- $name := dig "configMapRef" "name" "" $from }}
{{- if hasPrefix $prefix $name }}
{{- $_ := set $names $name true }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- keys $names | sortAlpha | toJson }}
{{- end }}

{{/* The minimum number of serving pods per slot: the HPA minimum when autoscaling, else replicaCount. */}}
{{- define "company-service1.minReplicas" -}}
{{- if .Values.autoscaling.enabled }}{{ .Values.autoscaling.minReplicas }}{{ else }}{{ .Values.replicaCount }}{{ end }}
{{- end }}

{{/* The slots that get a Deployment, in a fixed order. */}}
{{- define "company-service1.enabledSlots" -}}
{{- range $slot := list "blue" "green" }}
{{- if (index $.Values.slots $slot).enabled }}{{ $slot }} {{ end }}
{{- end }}
{{- end }}

{{/*
Whether a CRD-backed object renders: "company-service1.wanted" (dict "root" $ "enabled" <value> "api" "group/version/Kind").
true forces it on (e.g. `helm template` for GitOps, where helm cannot see the cluster), false off, and "auto"
follows the cluster: rendered only when it serves the API, so `helm install` works on a cluster without the CRD.
Prints "true" or nothing.
*/}}
{{- define "company-service1.wanted" -}}
{{- if eq (toString .enabled) "auto" }}
{{- if .root.Capabilities.APIVersions.Has .api }}true{{ end }}
{{- else if .enabled }}true{{ end }}
{{- end }}

{{/* The CRD-backed objects the cluster cannot take and "auto" left out, one per line, for NOTES.txt. */}}
{{- define "company-service1.leftOut" -}}
{{- $m := .Values.metrics }}
{{- if and (eq (toString $m.serviceMonitor.enabled) "auto") (not (include "company-service1.serviceMonitor" .)) }}
ServiceMonitor   metrics.serviceMonitor.enabled   (no prometheus-operator: monitoring.coreos.com/v1)
{{- end }}
{{- if and (eq (toString $m.prometheusRule.enabled) "auto") (not (include "company-service1.prometheusRule" .)) }}
PrometheusRule   metrics.prometheusRule.enabled   (no prometheus-operator: monitoring.coreos.com/v1)
{{- end }}
{{- /* #if (istio) */}}
{{- if and (eq (toString .Values.istio.enabled) "auto") (not (include "company-service1.istio" .)) }}
Istio routing, mTLS, authorization, rate limit and sidecars   istio.enabled   (no Istio: networking.istio.io/v1)
{{- end }}
{{- /* #endif */}}
{{- end }}

{{- define "company-service1.serviceMonitor" -}}
{{- include "company-service1.wanted" (dict "root" . "enabled" .Values.metrics.serviceMonitor.enabled "api" "monitoring.coreos.com/v1/ServiceMonitor") }}
{{- end }}

{{- define "company-service1.prometheusRule" -}}
{{- include "company-service1.wanted" (dict "root" . "enabled" .Values.metrics.prometheusRule.enabled "api" "monitoring.coreos.com/v1/PrometheusRule") }}
{{- end }}

{{/* Fails the render with one clear line when values contradict each other. */}}
{{- define "company-service1.validate" -}}
{{- include "company-service1.validateAuthentication" . }}
{{- if le (int .Values.terminationGracePeriodSeconds) (add .Values.drain.delaySeconds .Values.drain.timeoutSeconds | int) }}
{{- fail (printf "terminationGracePeriodSeconds (%v) must exceed drain.delaySeconds + drain.timeoutSeconds (%v): the kubelet would kill pods mid-drain" .Values.terminationGracePeriodSeconds (add .Values.drain.delaySeconds .Values.drain.timeoutSeconds)) }}
{{- end }}
{{- /* #if (windows && istio) */}}
{{- if and .Values.windows.enabled (include "company-service1.istio" .) }}
{{- fail "windows.enabled needs istio.enabled=false: Istio sidecars do not run on Windows nodes" }}
{{- end }}
{{- /* #endif */}}
{{- /* #if (istio) */}}
{{- if include "company-service1.istio" . }}
{{- range $kind := list "ingress" "httpRoute" }}
{{- $route := index $.Values $kind }}
{{- if and $route.enabled (not $route.controller.serviceAccount) }}
{{- fail (printf "%s.enabled with Istio needs %s.controller.serviceAccount: STRICT mTLS refuses the plain text of a controller outside the mesh. Run the controller with a sidecar and set its identity (namespace/serviceaccount), or route through istio.gateway instead" $kind $kind) }}
{{- end }}
{{- end }}
{{- end }}
{{- /* #endif */}}
{{- if and (eq .Values.rollout.engine "argo") (not (.Capabilities.APIVersions.Has "argoproj.io/v1alpha1/Rollout")) }}
{{- fail "rollout.engine=argo needs the Argo Rollouts CRDs (argoproj.io/v1alpha1 Rollout), which this cluster does not serve: install Argo Rollouts first (with helm template, pass --api-versions argoproj.io/v1alpha1/Rollout)" }}
{{- end }}
{{- if eq .Values.rollout.engine "deployments" }}
{{- if not (index .Values.slots .Values.activeSlot).enabled }}
{{- fail (printf "activeSlot is %s but slots.%s.enabled is false: traffic would go nowhere" .Values.activeSlot .Values.activeSlot) }}
{{- end }}
{{- end }}
{{- end }}
