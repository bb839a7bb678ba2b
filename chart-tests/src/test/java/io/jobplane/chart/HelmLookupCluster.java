package io.jobplane.chart;

import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster that Helm's {@code lookup} reads while the chart renders: fabric8's mock API server
 * in CRUD mode, named in the kubeconfig file that surefire's {@code KUBECONFIG} points at.
 *
 * <p>helm-java renders through an install dry run that still talks to a cluster for {@code lookup};
 * without a kubeconfig it would call localhost:8080. Pointing it here keeps the tests off the
 * network and lets a test put an earlier release's Secret in place, as an upgrade finds it.
 */
final class HelmLookupCluster {

  /** Held so that the level sticks: the mock server logs every request at INFO. */
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger(MockWebServer.class.getName());

  private static KubernetesMockServer server;
  private static KubernetesClient client;

  private HelmLookupCluster() {}

  static synchronized KubernetesClient client() {
    if (server == null) {
      MOCK_SERVER_LOG.setLevel(Level.WARNING);
      Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
      server =
          new KubernetesMockServer(
              new Context(),
              new MockWebServer(),
              expectations,
              new KubernetesMixedDispatcher(expectations),
              false);
      server.init();
      // Helm finds a kind's REST path through discovery, which the CRUD dispatcher does not serve.
      server
          .expect()
          .get()
          .withPath("/api/v1?timeout=32s")
          .andReturn(
              200,
              new APIResourceListBuilder()
                  .withGroupVersion("v1")
                  .addNewResource()
                  .withName("secrets")
                  .withSingularName("secret")
                  .withKind("Secret")
                  .withNamespaced(true)
                  .withVerbs("get", "list", "create", "update", "patch", "delete")
                  .endResource()
                  .build())
          .always();
      writeKubeconfig(server.url("/").toString());
      client = server.createClient();
    }
    return client;
  }

  private static void writeKubeconfig(String url) {
    String kubeconfig = System.getenv("KUBECONFIG");
    if (kubeconfig == null) {
      throw new IllegalStateException("KUBECONFIG is unset: run the tests through Maven");
    }
    String config =
        """
        apiVersion: v1
        kind: Config
        clusters:
          - name: mock
            cluster:
              server: %s
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
            .formatted(url);
    try {
      Files.createDirectories(Path.of(kubeconfig).getParent());
      Files.writeString(Path.of(kubeconfig), config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
