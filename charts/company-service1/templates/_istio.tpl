{{/*
"true" when the chart renders its Istio objects and injects sidecars: istio.enabled true or false forces it, "auto"
follows the cluster (Istio 1.22 or later serves networking.istio.io/v1).
*/}}
{{- define "company-service1.istio" -}}
{{- include "company-service1.wanted" (dict "root" . "enabled" .Values.istio.enabled "api" "networking.istio.io/v1/VirtualService") }}
{{- end }}

{{/* The in-cluster host name of the main Service, as Istio's routing and policies name it. */}}
{{- define "company-service1.host" -}}
{{- printf "%s.%s.svc.%s" (include "company-service1.fullname" .) .Release.Namespace .Values.clusterDomain }}
{{- end }}

{{/* The in-cluster host name of the preview Service. */}}
{{- define "company-service1.previewHost" -}}
{{- printf "%s-preview.%s.svc.%s" (include "company-service1.fullname" .) .Release.Namespace .Values.clusterDomain }}
{{- end }}

{{/* The in-cluster host name of the Service over both slots (Istio subsets live on it). */}}
{{- define "company-service1.slotsHost" -}}
{{- printf "%s-slots.%s.svc.%s" (include "company-service1.fullname" .) .Release.Namespace .Values.clusterDomain }}
{{- end }}

{{/* One VirtualService destination: "company-service1.destination" (dict "root" $ "target" "blue"|"green"|"active"|"preview"). */}}
{{- define "company-service1.destination" -}}
{{- $root := .root }}
{{- if eq $root.Values.rollout.engine "argo" }}
host: {{ ternary (include "company-service1.previewHost" $root) (include "company-service1.host" $root) (eq .target "preview") }}
{{- else }}
host: {{ include "company-service1.slotsHost" $root }}
subset: {{ .target }}
{{- end }}
port:
  number: {{ $root.Values.service.port }}
{{- end }}
