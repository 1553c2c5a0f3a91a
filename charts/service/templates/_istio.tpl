{{/* The in-cluster host name of the main Service, as Istio's routing and policies name it. */}}
{{- define "service.host" -}}
{{- printf "%s.%s.svc.%s" (include "service.fullname" .) .Release.Namespace .Values.clusterDomain }}
{{- end }}

{{/* The in-cluster host name of the preview Service. */}}
{{- define "service.previewHost" -}}
{{- printf "%s-preview.%s.svc.%s" (include "service.fullname" .) .Release.Namespace .Values.clusterDomain }}
{{- end }}

{{/* The in-cluster host name of the Service over both slots (Istio subsets live on it). */}}
{{- define "service.slotsHost" -}}
{{- printf "%s-slots.%s.svc.%s" (include "service.fullname" .) .Release.Namespace .Values.clusterDomain }}
{{- end }}

{{/* One VirtualService destination: "service.destination" (dict "root" $ "target" "blue"|"green"|"active"|"preview"). */}}
{{- define "service.destination" -}}
{{- $root := .root }}
{{- if eq $root.Values.rollout.engine "argo" }}
host: {{ ternary (include "service.previewHost" $root) (include "service.host" $root) (eq .target "preview") }}
{{- else }}
host: {{ include "service.slotsHost" $root }}
subset: {{ .target }}
{{- end }}
port:
  number: {{ $root.Values.service.port }}
{{- end }}
