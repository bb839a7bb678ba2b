{{/* Names: <fullname>, <fullname>-api, <fullname>-operator; 63 characters at most. */}}
{{- define "jobplane.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "jobplane.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 54 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 54 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 54 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "jobplane.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object. Call with (dict "root" $ "component" "api"). */}}
{{- define "jobplane.labels" -}}
helm.sh/chart: {{ include "jobplane.chart" .root }}
{{ include "jobplane.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: jobplane
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end -}}

{{/* Selector labels never change across upgrades: a Deployment's selector is immutable. */}}
{{- define "jobplane.selectorLabels" -}}
app.kubernetes.io/name: {{ include "jobplane.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- if .component }}
app.kubernetes.io/component: {{ .component }}
{{- end }}
{{- end -}}

{{- define "jobplane.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "jobplane.api.serviceAccountName" -}}
{{- if .Values.api.serviceAccount.create -}}
{{- default (printf "%s-api" (include "jobplane.fullname" .)) .Values.api.serviceAccount.name -}}
{{- else -}}
{{- required "api.serviceAccount.name is required when api.serviceAccount.create is false" .Values.api.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "jobplane.operator.serviceAccountName" -}}
{{- if .Values.operator.serviceAccount.create -}}
{{- default (printf "%s-operator" (include "jobplane.fullname" .)) .Values.operator.serviceAccount.name -}}
{{- else -}}
{{- required "operator.serviceAccount.name is required when operator.serviceAccount.create is false" .Values.operator.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "jobplane.tokensSecretName" -}}
{{- default (printf "%s-tokens" (include "jobplane.fullname" .)) .Values.tokens.existingSecret -}}
{{- end -}}

{{- define "jobplane.tokensSecretKey" -}}
{{- if .Values.tokens.existingSecret -}}
{{- .Values.tokens.existingSecretKey -}}
{{- else -}}
tokens.json
{{- end -}}
{{- end -}}

{{- define "jobplane.secretsKeySecretName" -}}
{{- default (printf "%s-secrets-key" (include "jobplane.fullname" .)) .Values.secretsKey.existingSecret -}}
{{- end -}}

{{- define "jobplane.secretsKeySecretKey" -}}
{{- if .Values.secretsKey.existingSecret -}}
{{- .Values.secretsKey.existingSecretKey -}}
{{- else -}}
secrets.key
{{- end -}}
{{- end -}}

{{/* "true" when the `helm test` Pod is rendered: it needs the generated admin token or tests.tokenSecret. */}}
{{- define "jobplane.tests.enabled" -}}
{{- if and .Values.tests.enabled (or (not .Values.tokens.existingSecret) .Values.tests.tokenSecret.name) -}}
true
{{- end -}}
{{- end -}}

{{- define "jobplane.apiUrl" -}}
{{- printf "http://%s-api.%s.svc:%v" (include "jobplane.fullname" .) .Release.Namespace .Values.api.service.port -}}
{{- end -}}

{{/*
Refuses value combinations that would put the database password where user jobs run, or that
leave Prometheus without a way to authenticate.
*/}}
{{- define "jobplane.validate" -}}
{{- if and .Values.clusterWide .Values.watchNamespaces -}}
{{- fail "clusterWide=true watches every namespace: leave watchNamespaces empty, or set clusterWide=false to watch only the listed ones" -}}
{{- end -}}
{{- if has .Release.Namespace .Values.watchNamespaces -}}
{{- fail (printf "watchNamespaces must not contain the release namespace %q: it holds the database password Secret, and user jobs must not run beside it" .Release.Namespace) -}}
{{- end -}}
{{- if and .Values.postgresql.cloudnativepg.enabled .Values.database.url -}}
{{- fail (printf "database.url (%s) and postgresql.cloudnativepg.enabled=true both choose the database: leave database.url empty to use the CloudNativePG Cluster, or set postgresql.cloudnativepg.enabled=false to use the external PostgreSQL" .Values.database.url) -}}
{{- end -}}
{{- if and .Values.serviceMonitor.enabled .Values.tokens.existingSecret (not .Values.api.metricsPublic) (not .Values.serviceMonitor.bearerTokenSecret.name) -}}
{{- fail "serviceMonitor.enabled with tokens.existingSecret needs serviceMonitor.bearerTokenSecret (a Secret with a token Prometheus presents) or api.metricsPublic=true" -}}
{{- end -}}
{{- end -}}

{{/*
The namespaces where jobs run, comma-separated: watchNamespaces, else "<release namespace>-jobs".
Empty with clusterWide (every namespace but the denied ones).
*/}}
{{- define "jobplane.watchedNamespaces" -}}
{{- if not .Values.clusterWide -}}
{{- if .Values.watchNamespaces -}}
{{- join "," .Values.watchNamespaces -}}
{{- else -}}
{{- printf "%s-jobs" .Release.Namespace -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Namespaces where jobs never run, comma-separated: the release namespace always. */}}
{{- define "jobplane.deniedNamespaces" -}}
{{- concat (list .Release.Namespace) .Values.operator.deniedNamespaces | uniq | join "," -}}
{{- end -}}

{{/*
The platform's rules, for the operator and for the API server (which checks them before a REST
submit reaches the cluster): denied namespaces, the chart's own Secrets, the projects' namespaces
and the Secrets each namespace may reference.
*/}}
{{- define "jobplane.platformPolicyArgs" -}}
{{- $protected := list (include "jobplane.databaseSecretName" .) (include "jobplane.tokensSecretName" .) (include "jobplane.secretsKeySecretName" .) -}}
{{- if .Values.serviceMonitor.bearerTokenSecret.name -}}
{{- $protected = append $protected .Values.serviceMonitor.bearerTokenSecret.name -}}
{{- end -}}
{{- if and .Values.tests.enabled .Values.tests.tokenSecret.name -}}
{{- $protected = append $protected .Values.tests.tokenSecret.name -}}
{{- end -}}
{{- $protected = concat $protected .Values.operator.protectedSecrets | uniq -}}
- --denied-namespaces
- {{ include "jobplane.deniedNamespaces" . | quote }}
- --protected-secrets
- {{ join "," $protected | quote }}
{{- range $project, $namespaces := .Values.projectNamespaces }}
- --project-namespaces
- {{ printf "%s=%s" $project (join "," $namespaces) | quote }}
{{- end }}
{{- range $namespace, $secrets := .Values.allowedSecrets }}
- --allowed-secrets
- {{ printf "%s=%s" $namespace (join "," $secrets) | quote }}
{{- end }}
{{- end -}}

{{/* The restricted Pod Security Standard, for every container of the chart. */}}
{{- define "jobplane.containerSecurityContext" -}}
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "jobplane.podSecurityContext" -}}
runAsNonRoot: true
{{- with .Values.podSecurityContext.runAsUser }}
runAsUser: {{ . }}
{{- end }}
{{- with .Values.podSecurityContext.runAsGroup }}
runAsGroup: {{ . }}
{{- end }}
{{- with .Values.podSecurityContext.fsGroup }}
fsGroup: {{ . }}
{{- end }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* The CloudNativePG Cluster of postgresql.cloudnativepg; its Secret <cluster>-app is the app's. */}}
{{- define "jobplane.cnpg.clusterName" -}}
{{- default (printf "%s-postgresql" (include "jobplane.fullname" .)) .Values.postgresql.cloudnativepg.clusterName -}}
{{- end -}}

{{/* The Secret holding the database password: CloudNativePG's <cluster>-app, or database.passwordSecret. */}}
{{- define "jobplane.databaseSecretName" -}}
{{- if .Values.postgresql.cloudnativepg.enabled -}}
{{- printf "%s-app" (include "jobplane.cnpg.clusterName" .) -}}
{{- else -}}
{{- required "database.passwordSecret.name is required" .Values.database.passwordSecret.name -}}
{{- end -}}
{{- end -}}

{{- define "jobplane.databaseSecretKey" -}}
{{- if .Values.postgresql.cloudnativepg.enabled -}}
password
{{- else -}}
{{- required "database.passwordSecret.key is required" .Values.database.passwordSecret.key -}}
{{- end -}}
{{- end -}}

{{/* The external database's JDBC URL (database.url, empty: a Service named postgresql). */}}
{{- define "jobplane.databaseUrl" -}}
{{- default "jdbc:postgresql://postgresql:5432/jobplane" .Values.database.url -}}
{{- end -}}

{{/*
The database settings shared by both commands. The password is a file on a Secret volume; see
"jobplane.databaseVolume". With CloudNativePG the URL and the user are built from the variables of
"jobplane.databaseEnv", which Kubernetes expands in args.
*/}}
{{- define "jobplane.databaseArgs" -}}
{{- if .Values.postgresql.cloudnativepg.enabled -}}
- --database-url
- "jdbc:postgresql://$(JOBPLANE_DATABASE_HOST):$(JOBPLANE_DATABASE_PORT)/$(JOBPLANE_DATABASE_NAME)"
- --database-user
- "$(JOBPLANE_DATABASE_USER)"
{{- else -}}
- --database-url
- {{ include "jobplane.databaseUrl" . | quote }}
- --database-user
- {{ required "database.user is required" .Values.database.user | quote }}
{{- end }}
- --database-password-file
- /var/run/secrets/jobplane/database/password
{{- end -}}

{{/*
Where the database is, from the Secret CloudNativePG writes for the database owner: every key
but the password (a file, see "jobplane.databaseVolume") and the URIs (which hold it). Empty without
CloudNativePG.
*/}}
{{- define "jobplane.databaseEnv" -}}
{{- if .Values.postgresql.cloudnativepg.enabled -}}
{{- $secret := include "jobplane.databaseSecretName" . -}}
{{- range $name, $key := dict "JOBPLANE_DATABASE_HOST" "host" "JOBPLANE_DATABASE_PORT" "port" "JOBPLANE_DATABASE_NAME" "dbname" "JOBPLANE_DATABASE_USER" "username" }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $key }}
{{- end }}
{{- end -}}
{{- end -}}

{{- define "jobplane.databaseVolume" -}}
- name: database-password
  secret:
    secretName: {{ include "jobplane.databaseSecretName" . }}
    defaultMode: 0440
    items:
      - key: {{ include "jobplane.databaseSecretKey" . }}
        path: password
{{- end -}}

{{- define "jobplane.databaseVolumeMount" -}}
- name: database-password
  mountPath: /var/run/secrets/jobplane/database
  readOnly: true
{{- end -}}

{{/* Probes on the command's own port, named http. */}}
{{- define "jobplane.probes" -}}
startupProbe:
  httpGet:
    path: /healthz
    port: http
  periodSeconds: 2
  failureThreshold: 60
livenessProbe:
  httpGet:
    path: /healthz
    port: http
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /readyz
    port: http
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 3
{{- end -}}

{{/* The JVM writes to /tmp; the root filesystem is read-only. */}}
{{- define "jobplane.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- end -}}

{{/* Where a component's pods run. Call with the component's values (.Values.api, .Values.operator). */}}
{{- define "jobplane.scheduling" -}}
{{- with .priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* A list as CEL string literals: 'a', 'b'. Names are DNS labels (values.schema.json), no quotes. */}}
{{- define "jobplane.celStrings" -}}
{{- $quoted := list -}}
{{- range . -}}
{{- $quoted = append $quoted (printf "'%s'" .) -}}
{{- end -}}
{{- join ", " $quoted -}}
{{- end -}}
