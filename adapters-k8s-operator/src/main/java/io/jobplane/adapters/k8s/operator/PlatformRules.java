package io.jobplane.adapters.k8s.operator;

import static io.jobplane.adapters.k8s.operator.PodSpecParts.isBlank;
import static io.jobplane.adapters.k8s.operator.PodSpecParts.list;
import static io.jobplane.adapters.k8s.operator.PodSpecParts.name;

import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.List;
import java.util.function.Function;

/**
 * The platform's own rules for job pods, whatever the Pod Security level: denied namespaces, the
 * namespaces of each project, the one service account, and the Secrets pods may reference.
 */
final class PlatformRules {

  /** Where a volume source names a Secret (besides {@code secret} and {@code projected}). */
  private static final List<SecretField> VOLUME_SECRET_FIELDS =
      List.of(
          new SecretField(
              "csi.nodePublishSecretRef.name",
              v -> v.getCsi() == null ? null : name(v.getCsi().getNodePublishSecretRef())),
          new SecretField(
              "azureFile.secretName",
              v -> v.getAzureFile() == null ? null : v.getAzureFile().getSecretName()),
          new SecretField(
              "cephfs.secretRef.name",
              v -> v.getCephfs() == null ? null : name(v.getCephfs().getSecretRef())),
          new SecretField(
              "flexVolume.secretRef.name",
              v -> v.getFlexVolume() == null ? null : name(v.getFlexVolume().getSecretRef())),
          new SecretField(
              "iscsi.secretRef.name",
              v -> v.getIscsi() == null ? null : name(v.getIscsi().getSecretRef())),
          new SecretField(
              "rbd.secretRef.name",
              v -> v.getRbd() == null ? null : name(v.getRbd().getSecretRef())),
          new SecretField(
              "scaleIO.secretRef.name",
              v -> v.getScaleIO() == null ? null : name(v.getScaleIO().getSecretRef())),
          new SecretField(
              "storageos.secretRef.name",
              v -> v.getStorageos() == null ? null : name(v.getStorageos().getSecretRef())));

  private PlatformRules() {}

  /** The platform's rules: namespaces, the project's namespaces, service account, Secrets. */
  static void check(
      String namespace,
      String project,
      PodSpec spec,
      List<PolicyTarget> containers,
      PodPolicy policy,
      PolicyReport report) {
    if (policy.deniedNamespaces().contains(namespace)) {
      report.platform("metadata.namespace", "namespace " + namespace + " is not allowed", null);
    }
    policy
        .projectNamespaces()
        .refusal(project, namespace)
        .ifPresent(why -> report.platform("metadata.namespace", why, null));
    checkServiceAccount(spec, policy, report);
    checkSecrets(namespace, spec, containers, policy, report);
  }

  private static void checkServiceAccount(PodSpec spec, PodPolicy policy, PolicyReport report) {
    checkServiceAccount("spec.serviceAccountName", spec.getServiceAccountName(), policy, report);
    checkServiceAccount("spec.serviceAccount", spec.getServiceAccount(), policy, report);
  }

  private static void checkServiceAccount(
      String path, String account, PodPolicy policy, PolicyReport report) {
    if (isBlank(account)) {
      return;
    }
    String allowed = policy.serviceAccount() == null ? "default" : policy.serviceAccount();
    if (!allowed.equals(account)) {
      report.platform(
          path,
          "service account " + account + " is not allowed",
          policy.serviceAccount() == null
              ? "job pods run as the namespace's default service account"
              : "job pods run as service account " + allowed);
    }
  }

  /** Every place a pod spec names a Secret, against the deny-list and the allow-list. */
  private static void checkSecrets(
      String namespace,
      PodSpec spec,
      List<PolicyTarget> containers,
      PodPolicy policy,
      PolicyReport report) {
    if (policy.protectedSecrets().isEmpty() && !policy.allowedSecrets().configured()) {
      return;
    }
    SecretCheck check = (path, name) -> checkSecret(path, name, namespace, policy, report);
    List<LocalObjectReference> pullSecrets = list(spec.getImagePullSecrets());
    for (int i = 0; i < pullSecrets.size(); i++) {
      check.at("spec.imagePullSecrets[" + i + "].name", name(pullSecrets.get(i)));
    }
    List<Volume> volumes = list(spec.getVolumes());
    for (int i = 0; i < volumes.size(); i++) {
      Volume volume = volumes.get(i);
      String path = "spec.volumes[" + i + "].";
      if (volume.getSecret() != null) {
        check.at(path + "secret.secretName", volume.getSecret().getSecretName());
      }
      if (volume.getProjected() != null) {
        List<VolumeProjection> sources = list(volume.getProjected().getSources());
        for (int j = 0; j < sources.size(); j++) {
          if (sources.get(j).getSecret() != null) {
            check.at(
                path + "projected.sources[" + j + "].secret.name",
                sources.get(j).getSecret().getName());
          }
        }
      }
      for (SecretField field : VOLUME_SECRET_FIELDS) {
        check.at(path + field.path(), field.name().apply(volume));
      }
    }
    for (PolicyTarget c : containers) {
      for (int j = 0; j < c.env().size(); j++) {
        EnvVar env = c.env().get(j);
        if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
          check.at(
              c.path() + ".env[" + j + "].valueFrom.secretKeyRef.name",
              env.getValueFrom().getSecretKeyRef().getName());
        }
      }
      for (int j = 0; j < c.envFrom().size(); j++) {
        EnvFromSource source = c.envFrom().get(j);
        if (source.getSecretRef() != null) {
          check.at(
              c.path() + ".envFrom[" + j + "].secretRef.name", source.getSecretRef().getName());
        }
      }
    }
  }

  private static void checkSecret(
      String path, String name, String namespace, PodPolicy policy, PolicyReport report) {
    if (name == null) {
      return;
    }
    if (policy.protectedSecrets().contains(name)) {
      report.platform(path, "references to Secret " + name + " are not allowed", null);
    } else if (!policy.allowedSecrets().allows(namespace, name)) {
      report.platform(
          path,
          "Secret " + name + " is not on the allow-list of namespace " + namespace,
          "ask the platform team to add it (--allowed-secrets)");
    }
  }

  private record SecretField(String path, Function<Volume, String> name) {}

  @FunctionalInterface
  private interface SecretCheck {
    void at(String path, String name);
  }
}
