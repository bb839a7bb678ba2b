package io.jobplane.chart;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** values.schema.json turns a mistake in values into a clear refusal before anything is applied. */
class ValuesSchemaTest {

  @Test
  void aReplicaCountThatIsNotANumberIsRefused() {
    assertRefused(Map.of("api.replicas", "three"), "at '/api/replicas': got string, want integer");
  }

  @Test
  void aMisspeltKeyIsRefused() {
    assertRefused(Map.of("operator.replica", 2), "at '/operator'", "'replica' not allowed");
  }

  @Test
  void aPlainTextDatabasePasswordIsRefused() {
    assertRefused(
        Map.of("database.password", "hunter2"), "at '/database'", "'password' not allowed");
  }

  @Test
  void anUnknownPodSecurityLevelIsRefused() {
    assertRefused(Map.of("operator.podSecurity", "privileged"), "at '/operator/podSecurity'");
  }

  @Test
  void aDatabaseUrlThatIsNotPostgresJdbcIsRefused() {
    assertRefused(
        Map.of("database.url", "mysql://db:3306/jobplane"),
        "at '/database/url'",
        "does not match pattern");
  }

  @Test
  void aCloudNativePgClusterWithoutInstancesOrWithAMisspeltKeyIsRefused() {
    assertRefused(
        Map.of("postgresql.cloudnativepg.instances", 0),
        "at '/postgresql/cloudnativepg/instances'");
    assertRefused(
        Map.of("postgresql.cloudnativepg.storage.storageClassName", "fast"),
        "'storageClassName' not allowed");
    assertRefused(
        Map.of("crds.upgradeJob.enable", true), "at '/crds/upgradeJob'", "'enable' not allowed");
  }

  @Test
  void aProjectOrNamespaceNameThatCanNeverMatchIsRefused() {
    assertRefused(Map.of("projectNamespaces.projA[0]", "etl-prod"), "invalid propertyName 'projA'");
    assertRefused(
        Map.of("allowedSecrets.etl-prod[0]", "DB_creds"), "at '/allowedSecrets/etl-prod/0'");
  }

  private static void assertRefused(Map<String, Object> overrides, String... mentions) {
    assertThatThrownBy(() -> HelmChart.render(ValueSet.DEFAULTS, overrides))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContainingAll(mentions);
  }
}
