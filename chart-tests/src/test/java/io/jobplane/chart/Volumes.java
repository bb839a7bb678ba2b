package io.jobplane.chart;

import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** The volumes of a Deployment's pods, by name. */
final class Volumes {

  private Volumes() {}

  static Volume named(Deployment deployment, String name) {
    return deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  static SecretVolumeSource secret(Deployment deployment, String name) {
    SecretVolumeSource secret = named(deployment, name).getSecret();
    if (secret == null) {
      throw new AssertionError("volume " + name + " is not a Secret");
    }
    return secret;
  }

  static String secretName(Deployment deployment, String volume) {
    return secret(deployment, volume).getSecretName();
  }
}
