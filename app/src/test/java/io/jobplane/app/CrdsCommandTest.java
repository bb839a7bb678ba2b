package io.jobplane.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.jobplane.adapters.k8s.crd.BundledCrds;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code jobplane crds apply} against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class CrdsCommandTest {

  KubernetesClient client;
  KubernetesMockServer server;

  @TempDir Path dir;

  private Path kubeconfig;
  private StringWriter out;
  private StringWriter err;

  @BeforeEach
  void kubeconfigForTheMockServer() throws IOException {
    kubeconfig =
        Files.writeString(
            dir.resolve("kubeconfig"),
            """
            apiVersion: v1
            kind: Config
            clusters:
              - name: mock
                cluster:
                  server: %s
                  insecure-skip-tls-verify: true
            users:
              - name: mock
                user:
                  token: mock
            contexts:
              - name: mock
                context:
                  cluster: mock
                  user: mock
            current-context: mock
            """
                .formatted(client.getMasterUrl()));
  }

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cli = JobplaneCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void createsTheBundledCrdsThenUpdatesAnOlderOneOnASecondRun() {
    int first = run("crds", "apply", "--kubeconfig", kubeconfig.toString());

    assertThat(first).as(err.toString()).isZero();
    assertThat(out.toString().lines())
        .containsExactly(
            "customresourcedefinition.apiextensions.k8s.io/jobs.jobplane.io created",
            "customresourcedefinition.apiextensions.k8s.io/jobschedules.jobplane.io created");
    for (CustomResourceDefinition bundled : BundledCrds.load()) {
      assertThat(stored(bundled.getMetadata().getName()).getSpec()).isEqualTo(bundled.getSpec());
    }

    CustomResourceDefinition older = stored("jobschedules.jobplane.io");
    older.getSpec().getNames().setShortNames(List.of("oldpjs"));
    client.apiextensions().v1().customResourceDefinitions().resource(older).update();

    int second = run("crds", "apply", "--kubeconfig", kubeconfig.toString(), "--context", "mock");

    assertThat(second).as(err.toString()).isZero();
    assertThat(out.toString().lines())
        .containsExactly(
            "customresourcedefinition.apiextensions.k8s.io/jobs.jobplane.io unchanged",
            "customresourcedefinition.apiextensions.k8s.io/jobschedules.jobplane.io updated");
    assertThat(stored("jobschedules.jobplane.io").getSpec().getNames().getShortNames())
        .containsExactly("pjs");
  }

  @Test
  void aMissingKubeconfigIsOneLineAndNothingIsApplied() {
    int exit = run("crds", "apply", "--kubeconfig", dir.resolve("absent").toString());

    assertThat(exit).isEqualTo(CliErrors.FAILED);
    assertThat(err.toString().lines())
        .containsExactly(
            "jobplane crds apply: --kubeconfig " + dir.resolve("absent") + ": no such file");
    assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems()).isEmpty();
  }

  @Test
  void aRefusalNamesTheServerAndItsReasonInOneLine() {
    String forbidden =
        "customresourcedefinitions.apiextensions.k8s.io \"jobs.jobplane.io\" is forbidden: User"
            + " \"system:serviceaccount:jobplane:jobplane-crds\" cannot get resource"
            + " \"customresourcedefinitions\"";
    server
        .expect()
        .get()
        .withPath("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/jobs.jobplane.io")
        .andReturn(
            403,
            new StatusBuilder()
                .withStatus("Failure")
                .withReason("Forbidden")
                .withCode(403)
                .withMessage(forbidden)
                .build())
        .always();

    int exit = run("crds", "apply", "--kubeconfig", kubeconfig.toString());

    assertThat(exit).isEqualTo(CliErrors.FAILED);
    assertThat(err.toString().lines())
        .containsExactly(
            "jobplane crds apply: "
                + client.getMasterUrl()
                + " answered 403: "
                + forbidden
                + " (--debug shows the stack trace)");
    assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems()).isEmpty();
  }

  private CustomResourceDefinition stored(String name) {
    return client.apiextensions().v1().customResourceDefinitions().withName(name).get();
  }
}
