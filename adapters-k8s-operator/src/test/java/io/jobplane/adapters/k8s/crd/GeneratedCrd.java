package io.jobplane.adapters.k8s.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CRD that crd-generator-maven-plugin wrote in process-classes, and its committed copy. */
public final class GeneratedCrd {

  static final String FILE_NAME = JobResource.CRD_NAME + "-" + JobResource.VERSION + ".yml";

  private GeneratedCrd() {}

  static Path generated() {
    return Path.of(
        System.getProperty(
            "jobplane.crd.generated", "target/classes/META-INF/fabric8/" + FILE_NAME));
  }

  static Path committed() {
    return Path.of(
        System.getProperty("jobplane.crd.committed", "../charts/jobplane/crds/" + FILE_NAME));
  }

  public static CustomResourceDefinition load() {
    try (InputStream in = Files.newInputStream(generated())) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
