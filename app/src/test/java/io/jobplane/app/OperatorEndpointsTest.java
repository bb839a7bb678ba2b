package io.jobplane.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import org.glassfish.jersey.internal.MapPropertiesDelegate;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.junit.jupiter.api.Test;

/**
 * The operator process's probe endpoints through Jersey itself (in memory), as a kubelet calls
 * them: a resource class Jersey cannot invoke would answer 500 to every probe.
 */
class OperatorEndpointsTest {

  @Test
  void readyzAnswers200WhenTheStoreAndTheOperatorAreUp() throws Exception {
    assertThat(status(new OperatorEndpoints(() -> true, () -> true, registry()), "readyz"))
        .isEqualTo(200);
  }

  @Test
  void readyzAnswers503WhileTheOperatorIsNotReady() throws Exception {
    assertThat(status(new OperatorEndpoints(() -> true, () -> false, registry()), "readyz"))
        .isEqualTo(503);
  }

  @Test
  void healthzAndMetricsAnswer200() throws Exception {
    OperatorEndpoints endpoints = new OperatorEndpoints(() -> false, () -> false, registry());
    assertThat(status(endpoints, "healthz")).isEqualTo(200);
    assertThat(status(endpoints, "metrics")).isEqualTo(200);
  }

  private static int status(OperatorEndpoints endpoints, String path) throws Exception {
    ApplicationHandler handler = new ApplicationHandler(endpoints.application());
    ContainerRequest request =
        new ContainerRequest(
            URI.create("http://localhost/"),
            URI.create("http://localhost/" + path),
            "GET",
            null,
            new MapPropertiesDelegate(),
            handler.getConfiguration());
    ContainerResponse response = handler.apply(request).get();
    return response.getStatus();
  }

  private static PrometheusMeterRegistry registry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }
}
