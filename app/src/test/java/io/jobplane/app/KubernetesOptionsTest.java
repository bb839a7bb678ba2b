package io.jobplane.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.adapters.k8s.operator.PodPolicy;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class KubernetesOptionsTest {

  @Test
  void projectNamespacesAndAllowedSecretsAreOneEntryPerProjectOrNamespace() {
    PodPolicy policy =
        policy(
            "--project-namespaces", "analytics=etl-prod,etl-dev",
            "--project-namespaces", "frozen=",
            "--allowed-secrets", "etl-prod=db-creds,s3-key");

    assertThat(policy.projectNamespaces().byProject())
        .isEqualTo(Map.of("analytics", Set.of("etl-prod", "etl-dev"), "frozen", Set.of()));
    assertThat(policy.allowedSecrets().byNamespace())
        .isEqualTo(Map.of("etl-prod", Set.of("db-creds", "s3-key")));
    assertThat(policy.allowedSecrets().allows("etl-dev", "db-creds")).isFalse();
  }

  @Test
  void withoutEitherOptionNothingIsConfigured() {
    PodPolicy policy = policy();

    assertThat(policy.projectNamespaces().configured()).isFalse();
    assertThat(policy.allowedSecrets().configured()).isFalse();
  }

  @Test
  void malformedOrRepeatedEntriesAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> policy("--project-namespaces", "etl-prod"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--project-namespaces: 'etl-prod' is not KEY=VALUE[,VALUE...]");
    assertThatThrownBy(
            () -> policy("--allowed-secrets", "etl-prod=a", "--allowed-secrets", "etl-prod=b"))
        .hasMessage("--allowed-secrets: 'etl-prod' is given twice");
    assertThatThrownBy(() -> policy("--project-namespaces", "projA=etl"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--project-namespaces: project:");
    assertThatThrownBy(() -> policy("--allowed-secrets", "etl-prod=DB creds"))
        .hasMessageStartingWith("--allowed-secrets: secret:");
  }

  private static PodPolicy policy(String... args) {
    CommandLine cli = JobplaneCli.commandLine();
    String[] operatorArgs = new String[args.length + 1];
    operatorArgs[0] = "operator";
    System.arraycopy(args, 0, operatorArgs, 1, args.length);
    cli.parseArgs(operatorArgs);
    OperatorCommand command = cli.getSubcommands().get("operator").getCommand();
    return command.kubernetes.operatorSettings().policy();
  }
}
