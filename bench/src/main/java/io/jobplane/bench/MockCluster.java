package io.jobplane.bench;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * fabric8's mock API server in CRUD mode, run in this JVM, with the CRDs installed as the chart
 * does, a client for the benchmark's own calls, and a kubeconfig that points another process at it.
 * It counts the other processes' requests.
 */
final class MockCluster implements AutoCloseable {

  /**
   * The mock server logs every request through java.util.logging; at thousands of requests that
   * would cost the benchmark JVM more than serving them. Held here so the level sticks.
   */
  private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  private final CountingDispatcher requests = new CountingDispatcher();
  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private MockCluster() {
    MOCK_LOG.setLevel(Level.WARNING);
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), requests, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client =
        server.createClient(
            b ->
                b.withHttpClientFactory(new JdkHttpClientFactory())
                    .editOrNewConfig()
                    .withUserAgent(CountingDispatcher.BENCH_AGENT)
                    .endConfig());
  }

  static MockCluster start(Path... crds) {
    MockCluster cluster = new MockCluster();
    try {
      for (Path crd : crds) {
        cluster.client.apiextensions().v1().customResourceDefinitions().load(crd.toFile()).create();
      }
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** The benchmark's client: its requests are not counted. */
  KubernetesClient client() {
    return client;
  }

  /** The other processes' requests, by verb and resource. */
  CountingDispatcher requests() {
    return requests;
  }

  Path writeKubeconfig(Path file) throws IOException {
    Config config =
        new ConfigBuilder()
            .addNewCluster()
            .withName("mock")
            .withNewCluster()
            .withServer("http://" + server.getHostName() + ":" + server.getPort())
            .endCluster()
            .endCluster()
            .addNewUser()
            .withName("operator")
            .withNewUser()
            .withToken("not-checked-by-the-mock")
            .endUser()
            .endUser()
            .addNewContext()
            .withName("mock")
            .withNewContext()
            .withCluster("mock")
            .withUser("operator")
            .withNamespace("default")
            .endContext()
            .endContext()
            .withCurrentContext("mock")
            .build();
    Files.writeString(file, Serialization.asYaml(config));
    return file;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
