package io.jobplane.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Where the Kubernetes scenarios run: a k3s cluster and a PostgreSQL container where a Docker
 * engine exists, else fabric8's mock API server (CRUD mode) and the embedded PostgreSQL. The
 * scenarios are the same; only what a real cluster does by itself (a batch Job's pods finishing, an
 * admission refusal) is played by the test on the mock.
 */
abstract class KubernetesBackend implements AutoCloseable {

  static KubernetesBackend start(KubernetesMockServer mock, KubernetesClient mockClient) {
    return DockerClientFactory.instance().isDockerAvailable()
        ? new Containers()
        : new Mock(mock, mockClient);
  }

  abstract String description();

  abstract KubernetesClient client();

  /** The kubeconfig the jobplane process reads. */
  abstract String kubeconfig();

  /** Extra arguments for {@code jobplane serve} (database, server-side apply). */
  abstract List<String> serveArgs(Path dir) throws IOException;

  /** The run's pods are done, successfully. */
  abstract void finishSuccessfully(Job batch);

  /** The run's pods are running. */
  abstract void markRunning(Job batch);

  /** A namespace where creating a Job resource is refused by the API server. */
  abstract String refusingNamespace();

  /** The command of a pod that runs until stopped, or succeeds at once. */
  static List<String> command(boolean longRunning) {
    return List.of("sh", "-c", longRunning ? "sleep 600" : "true");
  }

  void createNamespace(String name) {
    if (client().namespaces().withName(name).get() == null) {
      client()
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
  }

  static final class Mock extends KubernetesBackend {
    private final KubernetesMockServer server;
    private final KubernetesClient client;

    Mock(KubernetesMockServer server, KubernetesClient client) {
      this.server = server;
      this.client = client;
    }

    @Override
    String description() {
      return "embedded PostgreSQL + fabric8 mock API server (CRUD mode): no Docker engine";
    }

    @Override
    KubernetesClient client() {
      return client;
    }

    @Override
    String kubeconfig() {
      return """
          apiVersion: v1
          kind: Config
          clusters:
          - name: mock
            cluster:
              server: http://%s:%d
          users:
          - name: operator
            user:
              token: not-checked-by-the-mock
          contexts:
          - name: mock
            context:
              cluster: mock
              user: operator
              namespace: default
          current-context: mock
          """
          .formatted(server.getHostName(), server.getPort());
    }

    @Override
    List<String> serveArgs(Path dir) {
      return List.of("--kubernetes-server-side-apply", "false"); // the mock has no SSA
    }

    @Override
    void finishSuccessfully(Job batch) {
      batch.setStatus(
          new JobStatusBuilder()
              .withSucceeded(1)
              .withConditions(
                  new JobConditionBuilder().withType("Complete").withStatus("True").build())
              .build());
      client.batch().v1().jobs().resource(batch).updateStatus();
    }

    @Override
    void markRunning(Job batch) {
      batch.setStatus(new JobStatusBuilder().withActive(1).build());
      client.batch().v1().jobs().resource(batch).updateStatus();
    }

    @Override
    String refusingNamespace() {
      server
          .expect()
          .post()
          .withPath("/apis/jobplane.io/v1/namespaces/locked/jobs")
          .andReturn(
              403,
              "{\"kind\":\"Status\",\"code\":403,\"reason\":\"Forbidden\","
                  + "\"message\":\"jobs.jobplane.io is forbidden in namespace locked\"}")
          .always();
      return "locked";
    }

    @Override
    public void close() {}
  }

  static final class Containers extends KubernetesBackend {
    private final K3sContainer k3s =
        new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));
    private final PostgreSQLContainer<?> postgres =
        new PostgreSQLContainer<>(DockerImageName.parse("postgres:16-alpine"));
    private final KubernetesClient client;

    Containers() {
      k3s.start();
      postgres.start();
      client =
          new KubernetesClientBuilder()
              .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml()))
              .build();
    }

    @Override
    String description() {
      return "Testcontainers: PostgreSQL " + postgres.getDockerImageName() + " + k3s";
    }

    @Override
    KubernetesClient client() {
      return client;
    }

    @Override
    String kubeconfig() {
      return k3s.getKubeConfigYaml();
    }

    @Override
    List<String> serveArgs(Path dir) throws IOException {
      Path password = dir.resolve("db-password");
      Files.writeString(password, postgres.getPassword());
      List<String> args = new ArrayList<>();
      args.addAll(List.of("--database-url", postgres.getJdbcUrl()));
      args.addAll(List.of("--database-user", postgres.getUsername()));
      args.addAll(List.of("--database-password-file", password.toString()));
      return args;
    }

    @Override
    void finishSuccessfully(Job batch) {
      // the pod's command ("true") exits 0 and the batch controller completes the Job
    }

    @Override
    void markRunning(Job batch) {
      // the pod's command ("sleep 600") keeps it running
    }

    @Override
    String refusingNamespace() {
      return "no-such-namespace"; // the API server answers 404 NotFound
    }

    @Override
    public void close() {
      client.close();
      k3s.stop();
      postgres.stop();
    }
  }
}
