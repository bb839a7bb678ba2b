package io.jobplane.adapters.k8s.operator;

import static io.jobplane.adapters.k8s.operator.PodSpecParts.isWindows;
import static io.jobplane.adapters.k8s.operator.PodSpecParts.list;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The restricted Pod Security Standard on top of the baseline: only the restricted volume types,
 * non-root, no privilege escalation, all capabilities dropped, a RuntimeDefault or Localhost
 * seccomp profile.
 */
final class RestrictedStandard {

  /** The only capability the restricted standard lets a container add. */
  static final Set<String> RESTRICTED_CAPABILITIES = Set.of("NET_BIND_SERVICE");

  static final String RUNTIME_DEFAULT = "RuntimeDefault";
  static final String DROP_ALL = "ALL";

  /**
   * The volume sources in the order the API lists them; the restricted standard allows the ones
   * marked true. hostPath is left to the baseline check so it is reported once.
   */
  private static final List<VolumeType> VOLUME_TYPES =
      List.of(
          new VolumeType("configMap", true, Volume::getConfigMap),
          new VolumeType("csi", true, Volume::getCsi),
          new VolumeType("downwardAPI", true, Volume::getDownwardAPI),
          new VolumeType("emptyDir", true, Volume::getEmptyDir),
          new VolumeType("ephemeral", true, Volume::getEphemeral),
          new VolumeType("persistentVolumeClaim", true, Volume::getPersistentVolumeClaim),
          new VolumeType("projected", true, Volume::getProjected),
          new VolumeType("secret", true, Volume::getSecret),
          new VolumeType("hostPath", true, Volume::getHostPath),
          new VolumeType("awsElasticBlockStore", false, Volume::getAwsElasticBlockStore),
          new VolumeType("azureDisk", false, Volume::getAzureDisk),
          new VolumeType("azureFile", false, Volume::getAzureFile),
          new VolumeType("cephfs", false, Volume::getCephfs),
          new VolumeType("cinder", false, Volume::getCinder),
          new VolumeType("fc", false, Volume::getFc),
          new VolumeType("flexVolume", false, Volume::getFlexVolume),
          new VolumeType("flocker", false, Volume::getFlocker),
          new VolumeType("gcePersistentDisk", false, Volume::getGcePersistentDisk),
          new VolumeType("gitRepo", false, Volume::getGitRepo),
          new VolumeType("glusterfs", false, Volume::getGlusterfs),
          new VolumeType("image", false, Volume::getImage),
          new VolumeType("iscsi", false, Volume::getIscsi),
          new VolumeType("nfs", false, Volume::getNfs),
          new VolumeType("photonPersistentDisk", false, Volume::getPhotonPersistentDisk),
          new VolumeType("portworxVolume", false, Volume::getPortworxVolume),
          new VolumeType("quobyte", false, Volume::getQuobyte),
          new VolumeType("rbd", false, Volume::getRbd),
          new VolumeType("scaleIO", false, Volume::getScaleIO),
          new VolumeType("storageos", false, Volume::getStorageos),
          new VolumeType("vsphereVolume", false, Volume::getVsphereVolume));

  private RestrictedStandard() {}

  static void check(PodSpec spec, List<PolicyTarget> containers, PolicyReport report) {
    List<Volume> volumes = list(spec.getVolumes());
    for (int i = 0; i < volumes.size(); i++) {
      String type = volumeType(volumes.get(i));
      if (type != null) {
        report.forbid("spec.volumes[" + i + "]", "volumes of type " + type + " are not allowed");
      }
    }
    PodSecurityContext pod =
        spec.getSecurityContext() == null ? new PodSecurityContext() : spec.getSecurityContext();
    if (Long.valueOf(0).equals(pod.getRunAsUser())) {
      report.forbid("spec.securityContext.runAsUser", "running as user 0 (root) is not allowed");
    }
    boolean anyNonRootUnset = false;
    boolean anySeccompUnset = false;
    boolean linux = !isWindows(spec);
    for (PolicyTarget c : containers) {
      SecurityContext sc =
          c.securityContext() == null ? new SecurityContext() : c.securityContext();
      String path = c.path() + ".securityContext";
      if (Boolean.FALSE.equals(sc.getRunAsNonRoot())) {
        report.require(path + ".runAsNonRoot", "must not be false");
      }
      anyNonRootUnset |= sc.getRunAsNonRoot() == null;
      if (Long.valueOf(0).equals(sc.getRunAsUser())) {
        report.forbid(path + ".runAsUser", "running as user 0 (root) is not allowed");
      }
      if (!linux) {
        continue; // the pod-security admission controller exempts Windows pods from these
      }
      anySeccompUnset |= sc.getSeccompProfile() == null || sc.getSeccompProfile().getType() == null;
      if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        report.require(path + ".allowPrivilegeEscalation", "must be false");
      }
      List<String> dropped =
          sc.getCapabilities() == null ? List.of() : list(sc.getCapabilities().getDrop());
      if (!dropped.contains(DROP_ALL)) {
        report.require(path + ".capabilities.drop", "must include ALL");
      }
    }
    if (!Boolean.TRUE.equals(pod.getRunAsNonRoot()) && anyNonRootUnset) {
      report.require(
          "spec.securityContext.runAsNonRoot", "must be true (or set true on every container)");
    }
    boolean podSeccomp =
        pod.getSeccompProfile() != null && pod.getSeccompProfile().getType() != null;
    if (linux && !podSeccomp && anySeccompUnset) {
      report.require(
          "spec.securityContext.seccompProfile.type",
          "must be RuntimeDefault or Localhost (or set on every container)");
    }
  }

  /** The volume's type when the restricted standard does not allow it, else null. */
  private static String volumeType(Volume volume) {
    boolean known = false;
    for (VolumeType type : VOLUME_TYPES) {
      if (type.source().apply(volume) != null) {
        if (!type.allowed()) {
          return type.name();
        }
        known = true;
      }
    }
    // a volume with no source at all is defaulted to emptyDir by the API server
    if (!known && !volume.getAdditionalProperties().isEmpty()) {
      return volume.getAdditionalProperties().keySet().iterator().next();
    }
    return null;
  }

  private record VolumeType(String name, boolean allowed, Function<Volume, Object> source) {}
}
