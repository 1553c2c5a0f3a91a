{{/*
JWT bearer authentication of the service (the Authentication__* settings). Both slots and the Argo Rollout get the
same settings from these helpers alone, so the idle slot validates tokens exactly like the live one.
*/}}

{{/*
Where the signing keys come from: "disabled" (authentication.disabled: an open API), "authority" (OpenID Connect
metadata of authentication.authority), "existingSecret" (a JWKS in the user's Secret) or "generated" (a JWKS with
one random HS256 key in the Secret <fullname>-jwt, which the chart creates and keeps: the default).
*/}}
{{- define "company-service1.authMode" -}}
{{- $a := .Values.authentication }}
{{- if $a.disabled }}disabled
{{- else if $a.authority }}authority
{{- else if $a.signingKeys.existingSecret }}existingSecret
{{- else }}generated
{{- end }}
{{- end }}

{{/* The Secret holding the JWKS the service validates tokens with; empty with an authority and no existingSecret. */}}
{{- define "company-service1.signingKeysSecret" -}}
{{- $mode := include "company-service1.authMode" . }}
{{- if eq $mode "generated" }}
{{- printf "%s-jwt" (include "company-service1.fullname" .) }}
{{- else if ne $mode "disabled" }}
{{- .Values.authentication.signingKeys.existingSecret }}
{{- end }}
{{- end }}

{{/* The issuer tokens must name (iss): authentication.issuer, else the full name; with an authority, its metadata's. */}}
{{- define "company-service1.tokenIssuer" -}}
{{- $a := .Values.authentication }}
{{- if $a.issuer }}{{ $a.issuer }}
{{- else if not $a.authority }}{{ include "company-service1.fullname" . }}
{{- end }}
{{- end }}

{{/* The audience tokens must name (aud): authentication.audience, else the full name. */}}
{{- define "company-service1.tokenAudience" -}}
{{- .Values.authentication.audience | default (include "company-service1.fullname" .) }}
{{- end }}

{{/*
The container's Authentication__* variables. Explicit env, not the slot ConfigMap: it is the same for both slots by
construction, and an explicit variable wins over envFrom. The JWKS comes from its Secret by reference, never inline.
*/}}
{{- define "company-service1.authenticationEnv" -}}
{{- $a := .Values.authentication }}
{{- $mode := include "company-service1.authMode" . }}
- name: Authentication__Disabled
  value: {{ eq $mode "disabled" | quote }}
{{- if ne $mode "disabled" }}
{{- with $a.authority }}
- name: Authentication__Authority
  value: {{ . | quote }}
- name: Authentication__RequireHttpsMetadata
  value: {{ $a.requireHttpsMetadata | quote }}
{{- end }}
{{- with include "company-service1.tokenIssuer" . }}
- name: Authentication__Issuer
  value: {{ . | quote }}
{{- end }}
- name: Authentication__Audience
  value: {{ include "company-service1.tokenAudience" . | quote }}
- name: Authentication__ClockSkewSeconds
  value: {{ $a.clockSkewSeconds | int64 | quote }}
{{- with include "company-service1.signingKeysSecret" . }}
- name: Authentication__SigningKeys
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $a.signingKeys.existingSecretKey }}
{{- end }}
{{- end }}
{{- end }}

{{/* Fails the render when the authentication values contradict each other or could differ between the slots. */}}
{{- define "company-service1.validateAuthentication" -}}
{{- $configs := dict "config" .Values.config }}
{{- range $slot := list "blue" "green" }}
{{- $_ := set $configs (printf "slots.%s.config" $slot) ((index $.Values.slots $slot).config | default dict) }}
{{- end }}
{{- range $where, $config := $configs }}
{{- range $name, $_ := $config.extra | default dict }}
{{- if hasPrefix "authentication__" (lower $name) }}
{{- fail (printf "%s.extra.%s: set authentication.* instead; the authentication settings are the same for both slots, so the idle-slot preview is never a way around them" $where $name) }}
{{- end }}
{{- end }}
{{- end }}
{{- /* #if (istio) */}}
{{- $jwt := .Values.istio.jwt }}
{{- if and $jwt.enabled (include "company-service1.istio" .) }}
{{- $mode := include "company-service1.authMode" . }}
{{- if eq $mode "generated" }}
{{- fail "istio.jwt.enabled cannot check tokens of the chart's generated signing key: it is a shared HMAC secret, and a RequestAuthentication is plain Istio configuration that every sidecar receives. Use an identity provider (authentication.authority), or public keys (RSA/EC) in authentication.signingKeys.existingSecret together with istio.jwt.jwksUri or istio.jwt.jwks" }}
{{- end }}
{{- if and (not .Values.authentication.authority) (not $jwt.jwksUri) (not $jwt.jwks) }}
{{- fail "istio.jwt.enabled needs the public keys for the sidecars: set authentication.authority, istio.jwt.jwksUri or istio.jwt.jwks (sidecars cannot read authentication.signingKeys.existingSecret)" }}
{{- end }}
{{- if contains "\"oct\"" (nospace $jwt.jwks) }}
{{- fail "istio.jwt.jwks holds a symmetric (oct) key: a RequestAuthentication is plain Istio configuration that every sidecar receives, so it may hold public keys (RSA/EC) only" }}
{{- end }}
{{- end }}
{{- /* #endif */}}
{{- end }}
