package io.jobplane.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The database password, the API tokens and the secrets key reach the processes as files, never as
 * values.
 */
class SecretHandlingTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @MethodSource("io.jobplane.chart.ValueSet#all")
  void theDatabasePasswordIsAFileFromTheExistingSecretAndNeverAnEnvironmentVariable(ValueSet values)
      throws Exception {
    Manifests manifests = HelmChart.render(values);
    JsonNode database = effectiveDatabaseValues(values);

    for (Deployment deployment : manifests.all(Deployment.class)) {
      Container container = Args.container(deployment);
      assertThat(container.getEnvFrom()).isNullOrEmpty();
      assertThat(container.getEnv())
          .allSatisfy(
              e -> {
                if (e.getValueFrom() != null) {
                  // CloudNativePG's Secret: where the database is, never its password or uri
                  SecretKeySelector key = e.getValueFrom().getSecretKeyRef();
                  assertThat(key.getName())
                      .as("env %s", e.getName())
                      .isEqualTo(database.at("/passwordSecret/name").asText())
                      .endsWith("-app");
                  assertThat(key.getKey()).isIn("host", "port", "dbname", "username");
                }
              });

      String passwordFile = Args.value(deployment, "--database-password-file");
      VolumeMount mount = mountHolding(container, passwordFile);
      assertThat(mount.getReadOnly()).isTrue();
      SecretVolumeSource secret = Volumes.secret(deployment, mount.getName());
      assertThat(secret.getSecretName()).isEqualTo(database.at("/passwordSecret/name").asText());
      assertThat(secret.getItems())
          .singleElement()
          .satisfies(
              item -> {
                assertThat(item.getKey()).isEqualTo(database.at("/passwordSecret/key").asText());
                assertThat(mount.getMountPath() + "/" + item.getPath()).isEqualTo(passwordFile);
              });
      assertThat(secret.getDefaultMode()).isEqualTo(0440);
    }
    assertThat(manifests.all(Secret.class))
        .extracting(s -> s.getMetadata().getName())
        .doesNotContain(database.at("/passwordSecret/name").asText());
  }

  @Test
  void generatedTokensFileHoldsOnlyTheHashesOfTheGeneratedTokens() throws Exception {
    Manifests manifests = HelmChart.render(ValueSet.DEFAULTS);
    Secret secret = manifests.named(Secret.class, "jobplane-tokens");
    String admin = decode(secret, "admin-token");
    String metrics = decode(secret, "metrics-token");
    JsonNode tokens = JSON.readTree(decode(secret, "tokens.json")).get("tokens");

    assertThat(admin).startsWith("jp_").hasSize(46);
    assertThat(metrics).startsWith("jp_").isNotEqualTo(admin);
    assertThat(tokens).hasSize(2);
    assertThat(tokens.get(0).get("name").asText()).isEqualTo("admin");
    assertThat(tokens.get(0).get("sha256").asText()).isEqualTo(sha256Hex(admin));
    assertThat(tokens.get(0).get("roles").toString()).isEqualTo("[\"admin\"]");
    assertThat(tokens.get(1).get("sha256").asText()).isEqualTo(sha256Hex(metrics));
    assertThat(tokens.get(1).get("roles").toString()).isEqualTo("[\"metrics\"]");
    assertThat(tokens.get(1).get("projects").isEmpty()).as("sees no project's jobs").isTrue();
    assertThat(decode(secret, "tokens.json")).doesNotContain(admin, metrics);

    SecretVolumeSource mounted = Volumes.secret(manifests.deployment("api"), "tokens");
    assertThat(mounted.getSecretName()).isEqualTo("jobplane-tokens");
    assertThat(mounted.getItems())
        .extracting(KeyToPath::getKey)
        .as("the plain tokens stay out of the pod")
        .containsExactly("tokens.json");
  }

  @Test
  void generatedTokensAreKeptAcrossAnUpgrade() {
    String namespace = "upgrade-keeps-tokens";
    Secret installed =
        HelmChart.render(ValueSet.DEFAULTS, namespace, Map.of())
            .named(Secret.class, "jobplane-tokens");
    HelmLookupCluster.client().resource(installed).create();

    Manifests upgraded = HelmChart.render(ValueSet.DEFAULTS, namespace, Map.of("api.replicas", 2));

    assertThat(upgraded.named(Secret.class, "jobplane-tokens").getData())
        .isEqualTo(installed.getData());
    assertThat(
            HelmChart.render(ValueSet.DEFAULTS, "fresh-install", Map.of())
                .named(Secret.class, "jobplane-tokens")
                .getData())
        .as("another install generates its own tokens")
        .isNotEqualTo(installed.getData());
  }

  @Test
  void everyReplicaOpensJobSecretsWithOneGeneratedKeyMountedAsAFileAndKeptAcrossAnUpgrade() {
    String namespace = "upgrade-keeps-the-secrets-key";
    Manifests installed = HelmChart.render(ValueSet.THREE_REPLICAS, namespace, Map.of());
    Secret secret = installed.named(Secret.class, "jobplane-secrets-key");
    byte[] key = Base64.getDecoder().decode(decode(secret, "secrets.key").strip());
    assertThat(key).as("an AES-256 key").hasSize(32);
    assertThat(secret.getMetadata().getAnnotations())
        .as("uninstalling must not lose every stored secret")
        .containsEntry("helm.sh/resource-policy", "keep");

    Deployment api = installed.deployment("api");
    String keyFile = Args.value(api, "--secrets-key-file");
    Container container = Args.container(api);
    assertThat(container.getEnv())
        .extracting(e -> e.getName())
        .doesNotContain("JOBPLANE_SECRETS_KEY");
    VolumeMount mount = mountHolding(container, keyFile);
    assertThat(mount.getReadOnly()).isTrue();
    SecretVolumeSource mounted = Volumes.secret(api, mount.getName());
    assertThat(mounted.getSecretName()).isEqualTo("jobplane-secrets-key");
    assertThat(mounted.getDefaultMode())
        .as("the pod's user and group read, nobody writes")
        .isEqualTo(0440);
    assertThat(mounted.getItems())
        .singleElement()
        .satisfies(
            item -> assertThat(mount.getMountPath() + "/" + item.getPath()).isEqualTo(keyFile));

    HelmLookupCluster.client().resource(secret).create();
    assertThat(
            HelmChart.render(ValueSet.THREE_REPLICAS, namespace, Map.of("api.replicas", 4))
                .named(Secret.class, "jobplane-secrets-key")
                .getData())
        .as("a new key would open none of the stored secrets")
        .isEqualTo(secret.getData());
  }

  @Test
  void anExistingSecretsKeySecretIsMountedAndNothingIsGenerated() {
    Manifests manifests = HelmChart.render(ValueSet.EXTERNAL_DB);

    SecretVolumeSource mounted = Volumes.secret(manifests.deployment("api"), "secrets-key");
    assertThat(mounted.getSecretName()).isEqualTo("jobplane-prod-secrets-key");
    assertThat(mounted.getItems()).extracting(KeyToPath::getKey).containsExactly("key");
    assertThat(manifests.all(Secret.class)).isEmpty();
  }

  @Test
  void anExistingTokensSecretIsMountedAndNothingIsGenerated() {
    Manifests manifests = HelmChart.render(ValueSet.EXTERNAL_DB);

    assertThat(manifests.all(Secret.class)).isEmpty();
    SecretVolumeSource mounted = Volumes.secret(manifests.deployment("api"), "tokens");
    assertThat(mounted.getSecretName()).isEqualTo("jobplane-api-tokens");
    assertThat(mounted.getItems())
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.getKey()).isEqualTo("tokens.json");
              assertThat(item.getPath()).isEqualTo("tokens.json");
            });
  }

  @Test
  void aServiceMonitorWithExistingTokensNeedsATokenForPrometheus() {
    assertThatThrownBy(
            () ->
                HelmChart.render(
                    ValueSet.EXTERNAL_DB,
                    Map.of(
                        "serviceMonitor.bearerTokenSecret.name", "", "api.metricsPublic", false)))
        .hasMessageContaining("serviceMonitor.bearerTokenSecret");
  }

  private static VolumeMount mountHolding(Container container, String file) {
    List<VolumeMount> mounts =
        container.getVolumeMounts().stream()
            .filter(m -> file.startsWith(m.getMountPath() + "/"))
            .toList();
    assertThat(mounts).as("mount holding %s", file).hasSize(1);
    return mounts.get(0);
  }

  /** The database values in effect; with CloudNativePG, its Secret as the password Secret. */
  private static JsonNode effectiveDatabaseValues(ValueSet values) throws Exception {
    JsonNode defaults =
        Manifests.SERIALIZATION.unmarshal(
            Files.readString(HelmChart.DIRECTORY.resolve("values.yaml")), JsonNode.class);
    if (values.file().isEmpty()) {
      return defaults.get("database");
    }
    JsonNode overrides =
        Manifests.SERIALIZATION.unmarshal(Files.readString(values.file().get()), JsonNode.class);
    if (overrides.at("/postgresql/cloudnativepg/enabled").asBoolean()) {
      return JSON.readTree(
          "{\"passwordSecret\": {\"name\": \"jobplane-postgresql-app\", \"key\": \"password\"}}");
    }
    return overrides.has("database") ? overrides.get("database") : defaults.get("database");
  }

  private static String decode(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  private static String sha256Hex(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
