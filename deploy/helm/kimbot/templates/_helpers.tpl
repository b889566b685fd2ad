{{/* Name of the release's objects. */}}
{{- define "kimbot.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "kimbot.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "kimbot.labels" -}}
{{ include "kimbot.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "kimbot.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end -}}

{{/* The Secret with the database URL, the Redis URL, the encryption key and the admin token. */}}
{{- define "kimbot.secretName" -}}
{{- .Values.secret.existingSecret | default (include "kimbot.fullname" .) -}}
{{- end -}}

{{/* Environment from the Secret; dict: ctx, keys (the variable names, which are the Secret's keys). */}}
{{- define "kimbot.secretEnv" -}}
{{- $name := include "kimbot.secretName" .ctx -}}
{{- range $i, $key := .keys }}
{{- if $i }}{{ "\n" }}{{ end -}}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ $name }}
      key: {{ $key }}
{{- end }}
{{- end -}}

{{/* Environment that every kimbot container gets besides the secrets. */}}
{{- define "kimbot.env" -}}
- name: KIMBOT_MATTERMOST_URL
  value: {{ required "mattermostUrl is required: the Mattermost server kimbot talks to" .Values.mattermostUrl | quote }}
- name: KIMBOT_PUBLIC_URL
  value: {{ required "publicUrl is required: where Mattermost reaches kimbot" .Values.publicUrl | quote }}
- name: KIMBOT_LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: KIMBOT_DATABASE_MAX_CONNS
  value: {{ .Values.databaseMaxConns | quote }}
- name: KIMBOT_MAX_INFLIGHT
  value: {{ .Values.maxInFlight | quote }}
{{- with .Values.reminders.schedule }}
- name: KIMBOT_REMINDER_SCHEDULE
  value: {{ . | quote }}
{{- end }}
{{- with .Values.reminders.lease }}
- name: KIMBOT_REMINDER_LEASE
  value: {{ . | quote }}
{{- end }}
{{- with .Values.reminders.backoff }}
- name: KIMBOT_REMINDER_BACKOFF
  value: {{ . | quote }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The pod spec parts that serve and the jobs share. */}}
{{- define "kimbot.podCommon" -}}
automountServiceAccountToken: false
{{- with .Values.serviceAccountName }}
serviceAccountName: {{ . }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: 64Mi
{{- end -}}

{{/* A hook Job running `kimbot <command>`; dict: ctx, command, component, hookWeight, job (values), env (extra, a YAML list string). */}}
{{- define "kimbot.hookJob" -}}
{{- $ := .ctx -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "kimbot.fullname" $ }}-{{ .command }}
  labels:
    {{- include "kimbot.labels" $ | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: {{ .hookWeight | quote }}
    helm.sh/hook-delete-policy: before-hook-creation
spec:
  backoffLimit: {{ .job.backoffLimit }}
  activeDeadlineSeconds: {{ .job.activeDeadlineSeconds }}
  template:
    metadata:
      labels:
        {{- include "kimbot.selectorLabels" $ | nindent 8 }}
        app.kubernetes.io/component: {{ .component }}
    spec:
      restartPolicy: Never
      {{- include "kimbot.podCommon" $ | nindent 6 }}
      containers:
        - name: {{ .command }}
          image: {{ include "kimbot.image" $ }}
          imagePullPolicy: {{ $.Values.image.pullPolicy }}
          args: [{{ .command | quote }}]
          env:
            {{- .env | nindent 12 }}
          securityContext:
            {{- toYaml $.Values.securityContext | nindent 12 }}
          resources:
            {{- toYaml $.Values.jobResources | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
{{- end -}}
