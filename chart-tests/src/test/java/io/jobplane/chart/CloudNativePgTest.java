package io.jobplane.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * postgresql.cloudnativepg: a CloudNativePG Cluster, and both commands connected to it through the
 * Secret {@code <cluster>-app} that CloudNativePG writes for the database owner.
 */
class CloudNativePgTest {

  private static final String CLUSTER = "jobplane-postgresql";
  private static final String APP_SECRET = CLUSTER + "-app";
  private static final Pattern VARIABLE = Pattern.compile("\\$\\(([A-Z_]+)\\)");

  @Test
  void theClusterIsRenderedWithTheValuesGiven() {
    GenericKubernetesResource cluster = cluster(HelmChart.render(ValueSet.CLOUDNATIVEPG));

    assertThat(cluster.getApiVersion()).isEqualTo("postgresql.cnpg.io/v1");
    assertThat(cluster.getMetadata().getNamespace()).isEqualTo(HelmChart.NAMESPACE);
    assertThat(cluster.<Integer>get("spec", "instances")).isEqualTo(3);
    assertThat(cluster.<String>get("spec", "imageName"))
        .isEqualTo("ghcr.io/cloudnative-pg/postgresql:16.4");
    assertThat(cluster.<String>get("spec", "bootstrap", "initdb", "database"))
        .isEqualTo("jobplane");
    assertThat(cluster.<String>get("spec", "bootstrap", "initdb", "owner")).isEqualTo("jobplane");
    assertThat(cluster.<String>get("spec", "storage", "size")).isEqualTo("50Gi");
    assertThat(cluster.<String>get("spec", "storage", "storageClass")).isEqualTo("fast-ssd");
    assertThat(cluster.<Map<String, Object>>get("spec", "resources"))
        .isEqualTo(
            Map.of(
                "requests",
                Map.of("cpu", "1", "memory", "2Gi"),
                "limits",
                Map.of("memory", "2Gi")));
    assertThat(cluster.<String>get("spec", "postgresql", "parameters", "max_connections"))
        .isEqualTo("200");
    assertThat(cluster.<Boolean>get("spec", "enableSuperuserAccess")).isFalse();
    assertThat(cluster.getMetadata().getAnnotations())
        .as("uninstalling must not delete the database")
        .containsEntry("helm.sh/resource-policy", "keep");
  }

  @Test
  void withTheDefaultsTheClusterLeavesStorageClassAndParametersToTheCluster() {
    GenericKubernetesResource cluster =
        cluster(
            HelmChart.render(
                ValueSet.DEFAULTS,
                Map.of(
                    "postgresql.cloudnativepg.enabled",
                    true,
                    "postgresql.cloudnativepg.clusterName",
                    "jobs-db")));

    assertThat(cluster.getMetadata().getName()).isEqualTo("jobs-db");
    assertThat(cluster.<Integer>get("spec", "instances")).isEqualTo(1);
    assertThat(cluster.<String>get("spec", "imageName"))
        .isEqualTo("ghcr.io/cloudnative-pg/postgresql:16");
    assertThat(cluster.<Map<String, Object>>get("spec", "storage"))
        .isEqualTo(Map.of("size", "10Gi"));
    assertThat(cluster.<Object>get("spec", "postgresql")).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"api", "operator"})
  void bothCommandsConnectThroughTheClustersAppSecret(String component) {
    Deployment deployment = HelmChart.render(ValueSet.CLOUDNATIVEPG).deployment(component);

    Map<String, String> fromSecret =
        Args.container(deployment).getEnv().stream()
            .filter(e -> e.getValueFrom() != null)
            .peek(
                e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo(APP_SECRET))
            .collect(
                Collectors.toMap(
                    EnvVar::getName, e -> e.getValueFrom().getSecretKeyRef().getKey()));
    assertThat(fromSecret)
        .isEqualTo(
            Map.of(
                "JOBPLANE_DATABASE_HOST", "host",
                "JOBPLANE_DATABASE_PORT", "port",
                "JOBPLANE_DATABASE_NAME", "dbname",
                "JOBPLANE_DATABASE_USER", "username"));
    String url = Args.value(deployment, "--database-url");
    assertThat(url)
        .isEqualTo(
            "jdbc:postgresql://$(JOBPLANE_DATABASE_HOST):$(JOBPLANE_DATABASE_PORT)/$(JOBPLANE_DATABASE_NAME)");
    assertThat(Args.value(deployment, "--database-user")).isEqualTo("$(JOBPLANE_DATABASE_USER)");
    assertThat(variables(url + Args.value(deployment, "--database-user")))
        .as("Kubernetes expands only variables the container defines")
        .isSubsetOf(fromSecret.keySet());

    SecretVolumeSource password = Volumes.secret(deployment, "database-password");
    assertThat(password.getSecretName()).isEqualTo(APP_SECRET);
    assertThat(password.getItems())
        .singleElement()
        .satisfies(item -> assertThat(item.getKey()).isEqualTo("password"));
    assertThat(Args.value(deployment, "--protected-secrets").split(",")).contains(APP_SECRET);
  }

  @Test
  void withoutCloudNativePgThereIsNoClusterAndNoDatabaseVariable() {
    Manifests manifests = HelmChart.render(ValueSet.DEFAULTS);

    assertThat(manifests.ofKind("Cluster")).isEmpty();
    for (String component : List.of("api", "operator")) {
      Deployment deployment = manifests.deployment(component);
      assertThat(Args.container(deployment).getEnv())
          .extracting(EnvVar::getName)
          .containsExactly("JAVA_TOOL_OPTIONS");
      assertThat(Args.value(deployment, "--database-url"))
          .as("an empty database.url keeps the earlier default")
          .isEqualTo("jdbc:postgresql://postgresql:5432/jobplane");
      assertThat(Volumes.secretName(deployment, "database-password")).isEqualTo("jobplane-db");
    }
  }

  @Test
  void anExternalDatabaseUrlAndCloudNativePgTogetherAreRefused() {
    assertThatThrownBy(
            () ->
                HelmChart.render(
                    ValueSet.EXTERNAL_DB, Map.of("postgresql.cloudnativepg.enabled", true)))
        .hasMessageContaining(
            "database.url (jdbc:postgresql://pg.db.svc.cluster.local:5432/jobplane_prod?sslmode=require)"
                + " and postgresql.cloudnativepg.enabled=true both choose the database")
        .hasMessageContaining("leave database.url empty");
  }

  @Test
  void theNotesSayWhereTheDatabaseIsAndThatItNeedsTheOperator() {
    String notes = HelmChart.notes(ValueSet.CLOUDNATIVEPG);

    assertThat(notes)
        .contains("CloudNativePG Cluster " + CLUSTER, "get secret " + APP_SECRET)
        .doesNotContain("jobplane-db", "create secret generic");
  }

  private static GenericKubernetesResource cluster(Manifests manifests) {
    assertThat(manifests.ofKind("Cluster")).hasSize(1);
    return (GenericKubernetesResource) manifests.ofKind("Cluster").get(0);
  }

  private static List<String> variables(String text) {
    Matcher matcher = VARIABLE.matcher(text);
    return matcher.results().map(m -> m.group(1)).toList();
  }
}
