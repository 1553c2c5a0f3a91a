{{/*
The pod template shared by both slot Deployments and the Argo Rollout:
  include "company-service1.podTemplate" (dict "root" $ "slot" "blue")   # a slot Deployment
  include "company-service1.podTemplate" (dict "root" $ "slot" "")       # the Argo Rollout
The hash-if / hash-endif lines are conditionals of the `dotnet new` template options (mesh, database, windows). Those
written as plain YAML comments reach the rendered manifests on purpose: k8s/ carries them too, so the plain manifests
of a generated service match its own chart. Those inside template comments shape the template logic only.
*/}}
{{- define "company-service1.podTemplate" -}}
{{- $root := .root }}
{{- $v := $root.Values }}
{{- $os := "linux" }}
{{- /* #if (windows) */}}
{{- $windows := $v.windows.enabled }}
{{- $os = ternary "windows" "linux" $windows }}
{{- /* #endif */}}
metadata:
  labels:
    {{- include "company-service1.serverSelectorLabels" $root | nindent 4 }}
    {{- if .slot }}
    slot: {{ .slot }}
    {{- end }}
    version: {{ include "company-service1.slotVersion" . | quote }}
    app.kubernetes.io/version: {{ include "company-service1.slotVersion" . | quote }}
    #if (istio)
    {{- if include "company-service1.istio" $root }}
    sidecar.istio.io/inject: "true"
    {{- end }}
    #endif
    {{- with $v.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- /* #if (istio) */}}
  {{- if include "company-service1.istio" $root }}
  #if (istio)
  annotations:
    # The sidecar starts before the app and outlives it. A classic sidecar gets SIGTERM together with the app, so
    # its drain spans the app's whole budget (terminationGracePeriodSeconds: delay + timeout + flushing logs and
    # traces, which still go out through the proxy); it leaves early once no connection is left, but not during the
    # app's drain delay, while callers may still send requests. A native sidecar gets SIGTERM only after the app has
    # exited and so leaves as soon as its own connections are gone.
    {{- $proxyMetadata := dict "EXIT_ON_ZERO_ACTIVE_CONNECTIONS" "true" "MINIMUM_DRAIN_DURATION" (printf "%ds" (int $v.drain.delaySeconds)) }}
    proxy.istio.io/config: {{ dict "holdApplicationUntilProxyStarts" true "terminationDrainDuration" (printf "%ds" (int $v.terminationGracePeriodSeconds)) "proxyMetadata" $proxyMetadata | toJson | quote }}
    # Prometheus scrapes the app's own /metrics port through the ServiceMonitor, not Istio's merged endpoint.
    prometheus.istio.io/merge-metrics: "false"
    {{- with $v.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  #endif
  {{- else }}
  {{- /* #endif */}}
  {{- with $v.podAnnotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- /* #if (istio) */}}
  {{- end }}
  {{- /* #endif */}}
spec:
  serviceAccountName: {{ include "company-service1.serviceAccountName" $root }}
  automountServiceAccountToken: false
  terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
  {{- with $v.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  {{- with $v.imagePullSecrets }}
  imagePullSecrets:
    {{- range . }}
    - name: {{ . }}
    {{- end }}
  {{- end }}
  {{- /* #if (windows) */}}
  {{- if $windows }}
  os:
    name: windows
  securityContext:
    runAsNonRoot: true
    windowsOptions:
      runAsUserName: ContainerUser
  {{- else }}
  {{- /* #endif */}}
  os:
    name: linux
  securityContext:
    {{- toYaml $v.podSecurityContext | nindent 4 }}
  {{- /* #if (windows) */}}
  {{- end }}
  {{- /* #endif */}}
  nodeSelector:
    kubernetes.io/os: {{ $os }}
    {{- with $v.nodeSelector }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with $v.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $v.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if $v.topologySpread.enabled }}
  topologySpreadConstraints:
    {{- range $key := list "kubernetes.io/hostname" "topology.kubernetes.io/zone" }}
    - maxSkew: {{ $v.topologySpread.maxSkew }}
      topologyKey: {{ $key }}
      whenUnsatisfiable: {{ $v.topologySpread.whenUnsatisfiable }}
      labelSelector:
        matchLabels:
          {{- include "company-service1.serverSelectorLabels" $root | nindent 10 }}
          {{- if $.slot }}
          slot: {{ $.slot }}
          {{- end }}
      # Spread each revision on its own, so a rollout does not pile new pods next to old ones.
      matchLabelKeys:
        - pod-template-hash
    {{- end }}
  {{- end }}
  containers:
    - name: company-service1
      image: {{ include "company-service1.image" . | quote }}
      imagePullPolicy: {{ $v.image.pullPolicy }}
      ports:
        - name: http
          containerPort: {{ $v.containerPort }}
          protocol: TCP
        - name: metrics
          containerPort: {{ $v.metrics.port }}
          protocol: TCP
      envFrom:
        - configMapRef:
            name: {{ include "company-service1.configMapName" . }}
      env:
        - name: Service__Slot
          value: {{ .slot | default "blue" | quote }}
        # Downward API: traces and logs carry the pod, namespace and node they came from.
        - name: K8S_POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: K8S_NAMESPACE_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        - name: K8S_NODE_NAME
          valueFrom:
            fieldRef:
              fieldPath: spec.nodeName
        {{- include "company-service1.authenticationEnv" $root | trim | nindent 8 }}
        #if (postgres)
        {{- if $v.database.existingSecret }}
        - name: ConnectionStrings__Postgres
          valueFrom:
            secretKeyRef:
              name: {{ $v.database.existingSecret }}
              key: {{ $v.database.existingSecretKey }}
        {{- end }}
        #endif
      startupProbe:
        httpGet:
          path: {{ $v.probes.startup.path }}
          port: http
        periodSeconds: {{ $v.probes.startup.periodSeconds }}
        timeoutSeconds: {{ $v.probes.startup.timeoutSeconds }}
        failureThreshold: {{ $v.probes.startup.failureThreshold }}
      livenessProbe:
        httpGet:
          path: {{ $v.probes.liveness.path }}
          port: http
        periodSeconds: {{ $v.probes.liveness.periodSeconds }}
        timeoutSeconds: {{ $v.probes.liveness.timeoutSeconds }}
        failureThreshold: {{ $v.probes.liveness.failureThreshold }}
      readinessProbe:
        httpGet:
          path: {{ $v.probes.readiness.path }}
          port: http
        periodSeconds: {{ $v.probes.readiness.periodSeconds }}
        timeoutSeconds: {{ $v.probes.readiness.timeoutSeconds }}
        failureThreshold: {{ $v.probes.readiness.failureThreshold }}
      resources:
        {{- toYaml $v.resources | nindent 8 }}
      {{- /* #if (windows) */}}
      {{- if $windows }}
      securityContext:
        runAsNonRoot: true
        windowsOptions:
          runAsUserName: ContainerUser
      {{- else }}
      {{- /* #endif */}}
      securityContext:
        {{- toYaml $v.containerSecurityContext | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
  volumes:
    # The root filesystem is read-only; /tmp is the only writable place the runtime needs.
    - name: tmp
      emptyDir:
        sizeLimit: 64Mi
      {{- /* #if (windows) */}}
      {{- end }}
      {{- /* #endif */}}
{{- end }}

{{/* The container security context of helper pods (migration Job, helm test): the same as the servers'. */}}
{{- define "company-service1.helperSecurity" -}}
{{- /* #if (windows) */}}
{{- if .Values.windows.enabled }}
securityContext:
  runAsNonRoot: true
  windowsOptions:
    runAsUserName: ContainerUser
{{- else }}
{{- /* #endif */}}
securityContext:
  {{- toYaml .Values.containerSecurityContext | nindent 2 }}
{{- /* #if (windows) */}}
{{- end }}
{{- /* #endif */}}
{{- end }}

{{/* The pod-level security context (the same as the servers') and OS selection of helper pods. */}}
{{- define "company-service1.helperPodSecurity" -}}
{{- /* #if (windows) */}}
{{- if .Values.windows.enabled }}
os:
  name: windows
nodeSelector:
  kubernetes.io/os: windows
securityContext:
  runAsNonRoot: true
  windowsOptions:
    runAsUserName: ContainerUser
{{- else }}
{{- /* #endif */}}
os:
  name: linux
nodeSelector:
  kubernetes.io/os: linux
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- /* #if (windows) */}}
{{- end }}
{{- /* #endif */}}
{{- end }}
