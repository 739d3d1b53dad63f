{{/*
Chart name, truncated to 63 characters (the DNS label limit).
*/}}
{{- define "stepwise.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: <release>-<chart>, or the release name alone when it already contains the chart name.
*/}}
{{- define "stepwise.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart label value.
*/}}
{{- define "stepwise.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels shared by every object of the release.
*/}}
{{- define "stepwise.labels" -}}
helm.sh/chart: {{ include "stepwise.chart" . }}
app.kubernetes.io/name: {{ include "stepwise.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: stepwise
{{- end }}

{{/*
Selector labels of the server pods.
*/}}
{{- define "stepwise.selectorLabels" -}}
app.kubernetes.io/name: {{ include "stepwise.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: server
{{- end }}

{{/*
Labels of server objects.
*/}}
{{- define "stepwise.serverLabels" -}}
{{ include "stepwise.labels" . }}
app.kubernetes.io/component: server
{{- end }}

{{/*
ServiceAccount name of the server pods.
*/}}
{{- define "stepwise.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "stepwise.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Server image reference: digest wins over tag; the tag defaults to the appVersion.
*/}}
{{- define "stepwise.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
True (non-empty) when more than one server replica can run at once.
*/}}
{{- define "stepwise.multiReplica" -}}
{{- if or .Values.autoscaling.enabled (gt (int .Values.replicaCount) 1) }}true{{ end }}
{{- end }}

{{/*
Name of the chart's own Secret (admin password, external database password).
*/}}
{{- define "stepwise.secretName" -}}
{{- include "stepwise.fullname" . }}
{{- end }}

{{/*
True (non-empty) when the chart's own Secret has something to hold.
*/}}
{{- define "stepwise.createSecret" -}}
{{- if or (not .Values.admin.existingSecret) (include "stepwise.externalPasswordInChartSecret" .) }}true{{ end }}
{{- end }}

{{- define "stepwise.externalPasswordInChartSecret" -}}
{{- $ext := .Values.postgresql.external }}
{{- if and $ext.host (not $ext.existingSecret) }}true{{ end }}
{{- end }}

{{/*
What the chart's Secrets are made from, for the pods' checksum annotations. Generated passwords
are left out on purpose: once created they are kept (lookup), so they never require a restart,
and hashing the inputs keeps `helm template` output stable.
*/}}
{{- define "stepwise.secretChecksum" -}}
{{- dict "admin" .Values.admin "external" .Values.postgresql.external | toJson | sha256sum }}
{{- end }}

{{- define "stepwise.postgresql.secretChecksum" -}}
{{- .Values.postgresql.embedded.auth | toJson | sha256sum }}
{{- end }}

{{/*
Admin password Secret name and key.
*/}}
{{- define "stepwise.adminSecretName" -}}
{{- default (include "stepwise.secretName" .) .Values.admin.existingSecret }}
{{- end }}

{{- define "stepwise.adminSecretKey" -}}
{{- if .Values.admin.existingSecret }}{{ .Values.admin.existingSecretPasswordKey }}{{ else }}admin-password{{ end }}
{{- end }}

{{/*
Name of the in-chart PostgreSQL objects.
*/}}
{{- define "stepwise.postgresql.fullname" -}}
{{- printf "%s-postgresql" (include "stepwise.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "stepwise.postgresql.selectorLabels" -}}
app.kubernetes.io/name: {{ include "stepwise.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: postgresql
{{- end }}

{{- define "stepwise.postgresql.labels" -}}
{{ include "stepwise.labels" . }}
app.kubernetes.io/component: postgresql
{{- end }}

{{- define "stepwise.postgresql.secretName" -}}
{{- default (include "stepwise.postgresql.fullname" .) .Values.postgresql.embedded.auth.existingSecret }}
{{- end }}

{{- define "stepwise.postgresql.secretKey" -}}
{{- if .Values.postgresql.embedded.auth.existingSecret }}{{ .Values.postgresql.embedded.auth.existingSecretPasswordKey }}{{ else }}password{{ end }}
{{- end }}

{{/*
Fails rendering unless exactly one database is configured. The server must never fall back to
its embedded, pod-local PostgreSQL on Kubernetes.
*/}}
{{- define "stepwise.validateDatabase" -}}
{{- $ext := .Values.postgresql.external }}
{{- $embedded := .Values.postgresql.embedded.enabled }}
{{- if and $ext.host $embedded }}
{{- fail "stepwise: configure exactly one database: set postgresql.external.host OR postgresql.embedded.enabled=true, not both (to use an external PostgreSQL, also set postgresql.embedded.enabled=false)" }}
{{- end }}
{{- if and (not $ext.host) (not $embedded) }}
{{- fail "stepwise: no database configured; configure exactly one database: set postgresql.external.host (with its database, username and password or existingSecret) or postgresql.embedded.enabled=true" }}
{{- end }}
{{- if and $ext.host (not $ext.existingSecret) (not $ext.password) }}
{{- fail "stepwise: postgresql.external.host is set but no password: set postgresql.external.password or postgresql.external.existingSecret" }}
{{- end }}
{{- end }}

{{/*
JDBC URL of the configured database.
*/}}
{{- define "stepwise.jdbcUrl" -}}
{{- if .Values.postgresql.external.host }}
{{- $ext := .Values.postgresql.external }}
{{- printf "jdbc:postgresql://%s:%d/%s" $ext.host (int $ext.port) $ext.database }}
{{- if $ext.jdbcParameters }}?{{ $ext.jdbcParameters }}{{ end }}
{{- else }}
{{- printf "jdbc:postgresql://%s:5432/%s" (include "stepwise.postgresql.fullname" .) .Values.postgresql.embedded.auth.database }}
{{- end }}
{{- end }}

{{/*
A Secret value, base64-encoded: the given value, else the value already stored in the cluster
(so generated passwords survive upgrades), else a new random one.
Usage: include "stepwise.secretValue" (dict "ctx" $ "secret" NAME "key" KEY "value" VALUE)
*/}}
{{- define "stepwise.secretValue" -}}
{{- if .value }}
{{- .value | b64enc }}
{{- else }}
{{- $existing := lookup "v1" "Secret" .ctx.Release.Namespace .secret }}
{{- if and $existing $existing.data (hasKey $existing.data .key) }}
{{- index $existing.data .key }}
{{- else }}
{{- randAlphaNum 32 | b64enc }}
{{- end }}
{{- end }}
{{- end }}
