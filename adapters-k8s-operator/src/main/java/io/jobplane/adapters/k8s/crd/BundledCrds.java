package io.jobplane.adapters.k8s.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The CRDs of this build, as crd-generator-maven-plugin wrote them into the jar ({@code
 * META-INF/fabric8/}, the files {@code CommittedCrdTest} holds {@code charts/jobplane/crds/} equal
 * to), and how they reach a cluster: Helm installs {@code crds/} once and never upgrades them.
 */
public final class BundledCrds {

  /** What {@link #apply} did to one CRD. */
  public enum Outcome {
    CREATED,
    UPDATED,
    UNCHANGED
  }

  public record Applied(String name, Outcome outcome) {}

  /** Job first: the operator cannot start without it, nor the schedules without either. */
  public static final List<String> NAMES =
      List.of(JobResource.CRD_NAME, JobScheduleResource.CRD_NAME);

  private static final String DIRECTORY = "META-INF/fabric8/";

  private BundledCrds() {}

  /** The bundled CRDs, in {@link #NAMES} order. */
  public static List<CustomResourceDefinition> load() {
    return NAMES.stream().map(BundledCrds::load).toList();
  }

  private static CustomResourceDefinition load(String name) {
    String resource = DIRECTORY + name + "-" + JobResource.VERSION + ".yml";
    try (InputStream in = BundledCrds.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            resource + " is not on the classpath: the build generates it (process-classes)");
      }
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Creates each bundled CRD the cluster lacks and replaces the spec of each one that differs
   * (keeping its metadata: labels, annotations, and the resource version, so that a concurrent
   * change fails with a conflict instead of being lost). Needs get, create and update on
   * customresourcedefinitions.
   */
  public static List<Applied> apply(KubernetesClient client) {
    NonNamespaceOperation<CustomResourceDefinition, ?, Resource<CustomResourceDefinition>> crds =
        client.apiextensions().v1().customResourceDefinitions();
    return load().stream().map(bundled -> apply(crds, bundled)).toList();
  }

  private static Applied apply(
      NonNamespaceOperation<CustomResourceDefinition, ?, Resource<CustomResourceDefinition>> crds,
      CustomResourceDefinition bundled) {
    String name = bundled.getMetadata().getName();
    CustomResourceDefinition current = crds.withName(name).get();
    if (current == null) {
      crds.resource(bundled).create();
      return new Applied(name, Outcome.CREATED);
    }
    if (bundled.getSpec().equals(current.getSpec())) {
      return new Applied(name, Outcome.UNCHANGED);
    }
    current.setSpec(bundled.getSpec());
    crds.resource(current).update();
    return new Applied(name, Outcome.UPDATED);
  }
}
