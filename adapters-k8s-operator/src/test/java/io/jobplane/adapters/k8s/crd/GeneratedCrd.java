package io.jobplane.adapters.k8s.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CRDs that crd-generator-maven-plugin wrote in process-classes, and their committed copies.
 */
public final class GeneratedCrd {

  static final String FILE_NAME = fileName(JobResource.CRD_NAME);
  static final String SCHEDULES_FILE_NAME = fileName(JobScheduleResource.CRD_NAME);

  private GeneratedCrd() {}

  static String fileName(String crdName) {
    return crdName + "-" + JobResource.VERSION + ".yml";
  }

  static Path generated(String fileName) {
    return Path.of(System.getProperty("jobplane.crd.generated", "target/classes/META-INF/fabric8"))
        .resolve(fileName);
  }

  static Path committed(String fileName) {
    return Path.of(System.getProperty("jobplane.crd.committed", "../charts/jobplane/crds"))
        .resolve(fileName);
  }

  /** The Job CRD. */
  public static CustomResourceDefinition load() {
    return load(FILE_NAME);
  }

  /** The JobSchedule CRD. */
  public static CustomResourceDefinition loadSchedules() {
    return load(SCHEDULES_FILE_NAME);
  }

  private static CustomResourceDefinition load(String fileName) {
    try (InputStream in = Files.newInputStream(generated(fileName))) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
