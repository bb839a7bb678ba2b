package io.jobplane.chart;

import static io.jobplane.chart.HelmChart.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The two Deployments run the image's commands with the flags those commands take. */
class DeploymentTest {

  @ParameterizedTest
  @ValueSource(strings = {"api", "operator"})
  void probesCheckHealthzAndReadyzOnThePortTheCommandServes(String component) {
    for (ValueSet values : ValueSet.all()) {
      Deployment deployment = HelmChart.render(values).deployment(component);
      Container container = Args.container(deployment);

      String port = Args.value(deployment, "--port");
      assertThat(container.getPorts())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getName()).isEqualTo("http");
                assertThat(p.getContainerPort()).isEqualTo(Integer.valueOf(port));
              });
      assertProbe(container.getStartupProbe().getHttpGet(), "/healthz");
      assertProbe(container.getLivenessProbe().getHttpGet(), "/healthz");
      assertProbe(container.getReadinessProbe().getHttpGet(), "/readyz");
    }
  }

  @Test
  void theApiServerServesFromTheExternalDatabaseWithTheTokensFile() {
    Deployment api = HelmChart.render(ValueSet.EXTERNAL_DB).deployment("api");

    assertThat(Args.of(api)).startsWith("serve").contains("--kubernetes-runtime");
    assertThat(Args.value(api, "--database-url"))
        .isEqualTo("jdbc:postgresql://pg.db.svc.cluster.local:5432/jobplane_prod?sslmode=require");
    assertThat(Args.value(api, "--database-user")).isEqualTo("jobplane_app");
    assertThat(Args.value(api, "--database-pool-size")).isEqualTo("24");
    assertThat(Args.value(api, "--tokens-file")).isEqualTo("/etc/jobplane/tokens/tokens.json");
    assertThat(Args.value(api, "--data-dir")).startsWith("/tmp/");
  }

  @Test
  void webhooksRefusePrivateAddressesUnlessTurnedOffAndTakeTheirLimitsFromValues() {
    Deployment api = HelmChart.render(ValueSet.DEFAULTS).deployment("api");
    assertThat(Args.of(api)).contains("--webhook-deny-private-addresses");
    assertThat(Args.value(api, "--webhook-log-retention-hours")).isEqualTo("168");
    assertThat(Args.value(api, "--webhook-timeout-ms")).isEqualTo("10000");

    Deployment open =
        HelmChart.render(
                ValueSet.DEFAULTS,
                Map.of(
                    "api.webhooks.denyPrivateAddresses", false,
                    "api.webhooks.logRetentionHours", 24,
                    "api.webhooks.concurrency", 2))
            .deployment("api");
    assertThat(Args.of(open)).doesNotContain("--webhook-deny-private-addresses");
    assertThat(Args.value(open, "--webhook-log-retention-hours")).isEqualTo("24");
    assertThat(Args.value(open, "--webhook-concurrency")).isEqualTo("2");
  }

  @Test
  void aRateLimitIsOffUnlessSetAndThenPassedWithItsBurst() {
    assertThat(Args.of(HelmChart.render(ValueSet.DEFAULTS).deployment("api")))
        .doesNotContain("--rate-limit-per-second", "--rate-limit-burst");

    Deployment limited =
        HelmChart.render(
                ValueSet.DEFAULTS,
                Map.of("api.rateLimit.perSecond", 50, "api.rateLimit.burst", 200))
            .deployment("api");
    assertThat(Args.value(limited, "--rate-limit-per-second")).isEqualTo("50");
    assertThat(Args.value(limited, "--rate-limit-burst")).isEqualTo("200");
  }

  @Test
  void theOperatorReachesTheApiServiceAndLeadsFromTheReleaseNamespace() {
    Manifests manifests = HelmChart.render(ValueSet.DEFAULTS);
    Deployment operator = manifests.deployment("operator");
    Service api = manifests.named(Service.class, "jobplane-api");

    assertThat(Args.of(operator)).startsWith("operator");
    assertThat(Args.value(operator, "--namespaces")).isEqualTo(HelmChart.JOBS_NAMESPACE);
    assertThat(Args.value(operator, "--api-url"))
        .isEqualTo(
            "http://%s.%s.svc:%d"
                .formatted(
                    api.getMetadata().getName(),
                    NAMESPACE,
                    api.getSpec().getPorts().get(0).getPort()));
    assertThat(Args.value(operator, "--leader-election-namespace")).isEqualTo(NAMESPACE);
    assertThat(Args.value(operator, "--pod-security")).isEqualTo("restricted");
    assertThat(Args.value(operator, "--database-password-file"))
        .isEqualTo(Args.value(manifests.deployment("api"), "--database-password-file"));
  }

  @Test
  void theOperatorRecordsRoutineEventsOnlyWhenAskedAndRunsOnASmallHeap() {
    Deployment operator = HelmChart.render(ValueSet.DEFAULTS).deployment("operator");
    Deployment chatty =
        HelmChart.render(ValueSet.DEFAULTS, Map.of("operator.routineEvents", true))
            .deployment("operator");

    assertThat(Args.of(operator)).doesNotContain("--routine-events");
    assertThat(Args.of(chatty)).contains("--routine-events");
    assertThat(
            operator.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
                .findFirst()
                .orElseThrow()
                .getValue())
        .contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:MaxRAMPercentage=50");
  }

  @Test
  void theOperatorWatchesOnlyTheListedNamespaces() {
    Deployment operator = HelmChart.render(ValueSet.NAMESPACED).deployment("operator");

    assertThat(Args.value(operator, "--namespaces")).isEqualTo("team-a,team-b");
  }

  @Test
  void aClusterWideOperatorWatchesEveryNamespace() {
    assertThat(Args.of(HelmChart.render(ValueSet.CLUSTER_WIDE).deployment("operator")))
        .doesNotContain("--namespaces");
  }

  @Test
  void theApiServerAndTheOperatorGetTheSameProjectNamespacesAndAllowedSecrets() {
    Manifests manifests = HelmChart.render(ValueSet.CLUSTER_WIDE);

    for (String component : List.of("api", "operator")) {
      List<String> args = Args.of(manifests.deployment(component));
      assertThat(pairs(args, "--project-namespaces"))
          .as(component)
          .containsExactly("analytics=etl-prod,etl-dev", "ml=ml");
      assertThat(pairs(args, "--allowed-secrets"))
          .as(component)
          .containsExactly("etl-prod=db-creds,s3-key", "ml=");
      assertThat(Args.value(manifests.deployment(component), "--denied-namespaces"))
          .isEqualTo(Args.value(manifests.deployment("operator"), "--denied-namespaces"));
    }
    assertThat(Args.of(HelmChart.render(ValueSet.DEFAULTS).deployment("api")))
        .doesNotContain("--project-namespaces", "--allowed-secrets");
  }

  /** Every value given after {@code flag}, in order (the flag may repeat). */
  private static List<String> pairs(List<String> args, String flag) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i + 1 < args.size(); i++) {
      if (args.get(i).equals(flag)) {
        values.add(args.get(i + 1));
      }
    }
    return values;
  }

  @ParameterizedTest
  @MethodSource("io.jobplane.chart.ValueSet#all")
  void jobsNeverRunInTheReleaseNamespaceNorReferenceTheChartsSecrets(ValueSet values) {
    Manifests manifests = HelmChart.render(values);
    Deployment operator = manifests.deployment("operator");
    String tokensSecret = Volumes.secretName(manifests.deployment("api"), "tokens");
    String databaseSecret = Volumes.secretName(operator, "database-password");
    String secretsKey = Volumes.secretName(manifests.deployment("api"), "secrets-key");

    assertThat(Args.value(operator, "--denied-namespaces").split(","))
        .contains(NAMESPACE, "kube-system");
    assertThat(Args.value(operator, "--protected-secrets").split(","))
        .contains(databaseSecret, tokensSecret, secretsKey);
  }

  @Test
  void oneReplicaHasNoDisruptionBudget() {
    Manifests manifests = HelmChart.render(ValueSet.DEFAULTS);

    assertThat(manifests.deployment("api").getSpec().getReplicas()).isEqualTo(1);
    assertThat(manifests.all(PodDisruptionBudget.class)).isEmpty();
  }

  @Test
  void threeReplicasEachGetADisruptionBudgetOverTheirOwnPods() {
    Manifests manifests = HelmChart.render(ValueSet.THREE_REPLICAS);

    for (String component : List.of("api", "operator")) {
      Deployment deployment = manifests.deployment(component);
      PodDisruptionBudget budget =
          manifests.named(PodDisruptionBudget.class, "jobplane-" + component);
      assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
      assertThat(budget.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
      assertThat(budget.getSpec().getSelector().getMatchLabels())
          .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    }
    assertThat(Args.container(manifests.deployment("operator")).getResources().getRequests())
        .containsKeys("cpu", "memory");
  }

  @Test
  void theImageDefaultsToTheChartsAppVersionAndADigestPinsIt() {
    String digest = "sha256:" + "ab".repeat(32);

    assertThat(Args.container(HelmChart.render(ValueSet.DEFAULTS).deployment("api")).getImage())
        .isEqualTo("jobplane/jobplane:0.1.0");
    assertThat(
            Args.container(
                    HelmChart.render(ValueSet.DEFAULTS, Map.of("image.digest", digest))
                        .deployment("operator"))
                .getImage())
        .isEqualTo("jobplane/jobplane@" + digest);
  }

  private static void assertProbe(HTTPGetAction probe, String path) {
    assertThat(probe.getPath()).isEqualTo(path);
    assertThat(probe.getPort()).isEqualTo(new IntOrString("http"));
  }
}
