{{/*
What the operator may do where jobs run, and nothing more: it reads its Job and JobSchedule
resources and writes their status (a JobSchedule's jobs are created by the API server's schedule
loop, as Job resources), runs each run as a batch Job, follows the pods and their logs, records Events, and
creates (never reads) the per-run credential Secret that it owns.
*/}}
{{- define "jobplane.operator.rules" -}}
- apiGroups: ["jobplane.io"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["jobplane.io"]
  resources: ["jobs/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["jobplane.io"]
  resources: ["jobs/finalizers"]
  verbs: ["update"]
- apiGroups: ["jobplane.io"]
  resources: ["jobschedules"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["jobplane.io"]
  resources: ["jobschedules/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["jobplane.io"]
  resources: ["jobschedules/finalizers"]
  verbs: ["update"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "delete", "patch"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["pods/log"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "get", "patch"]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["create"]
{{- end -}}

{{/* The API server turns REST-submitted jobs of runtime kubernetes into Job resources. */}}
{{- define "jobplane.api.rules" -}}
- apiGroups: ["jobplane.io"]
  resources: ["jobs"]
  verbs: ["get", "create", "patch", "delete"]
{{- end -}}

{{/*
A ClusterRole and its binding only with clusterWide=true; otherwise a Role and RoleBinding in each
watched namespace and nothing cluster-wide. Call with (dict "root" $ "component" "operator" "serviceAccount" name
"rules" rules).
*/}}
{{- define "jobplane.watchedNamespacesRbac" -}}
{{- $root := .root -}}
{{- $name := printf "%s-%s" (include "jobplane.fullname" $root) .component -}}
{{- $labels := include "jobplane.labels" (dict "root" $root "component" .component) -}}
{{- if $root.Values.clusterWide }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {{ $name }}
  labels:
    {{- $labels | nindent 4 }}
rules:
  {{- .rules | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {{ $name }}
  labels:
    {{- $labels | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ $name }}
subjects:
  - kind: ServiceAccount
    name: {{ .serviceAccount }}
    namespace: {{ $root.Release.Namespace }}
{{- else }}
{{- range $namespace := splitList "," (include "jobplane.watchedNamespaces" $root) }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ $name }}
  namespace: {{ $namespace }}
  labels:
    {{- $labels | nindent 4 }}
rules:
  {{- $.rules | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ $name }}
  namespace: {{ $namespace }}
  labels:
    {{- $labels | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ $name }}
subjects:
  - kind: ServiceAccount
    name: {{ $.serviceAccount }}
    namespace: {{ $root.Release.Namespace }}
{{- end }}
{{- end }}
{{- end -}}
