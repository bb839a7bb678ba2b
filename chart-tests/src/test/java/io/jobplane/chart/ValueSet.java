package io.jobplane.chart;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Values a platform team would install with: the chart's defaults, or one file of {@code
 * src/test/resources/values}.
 */
record ValueSet(String name, Optional<Path> file) {

  static final ValueSet DEFAULTS = new ValueSet("defaults", Optional.empty());
  static final ValueSet NAMESPACED = fromResource("namespaced");
  static final ValueSet INGRESS = fromResource("ingress");
  static final ValueSet EXTERNAL_DB = fromResource("external-db");
  static final ValueSet THREE_REPLICAS = fromResource("three-replicas");
  static final ValueSet CLUSTER_WIDE = fromResource("cluster-wide");
  static final ValueSet CLOUDNATIVEPG = fromResource("cloudnativepg");

  static List<ValueSet> all() {
    return List.of(
        DEFAULTS, NAMESPACED, INGRESS, EXTERNAL_DB, THREE_REPLICAS, CLUSTER_WIDE, CLOUDNATIVEPG);
  }

  private static ValueSet fromResource(String name) {
    return new ValueSet(name, Optional.of(HelmChart.TEST_VALUES.resolve(name + ".yaml")));
  }

  @Override
  public String toString() {
    return name;
  }
}
