package io.jobplane.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.application.service.ClaimWaitLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.jersey.servlet.ServletContainer;
import org.glassfish.jersey.servlet.async.AsyncContextDelegateProviderImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Long-polling claims over Jersey's servlet container on Jetty, as production serves them: the
 * claim is suspended without a thread and answered when work is submitted.
 */
class LongPollApiTest extends ApiTestSupport {

  private Server server;
  private URI base;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Override
  ClaimWaitLimits claimWaitLimits() {
    return new ClaimWaitLimits(3, 2, Duration.ofSeconds(29));
  }

  @BeforeEach
  void startServer() throws Exception {
    JobplaneApi api = (JobplaneApi) configure(); // fresh fixtures, shared with this server only
    api.register(
        new org.glassfish.jersey.internal.inject.AbstractBinder() {
          @Override
          protected void configure() {
            bind(AsyncContextDelegateProviderImpl.class)
                .to(org.glassfish.jersey.servlet.spi.AsyncContextDelegateProvider.class);
          }
        }); // as the production container does
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    ServletHolder jersey = new ServletHolder(new ServletContainer(api));
    jersey.setAsyncSupported(true);
    context.addServlet(jersey, "/*");
    server.setHandler(context);
    server.start();
    base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
  }

  @AfterEach
  void stopServer() throws Exception {
    longPolls.close();
    server.stop();
  }

  private HttpRequest request(String token, String path, String body) {
    return HttpRequest.newBuilder(base.resolve(path))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private CompletableFuture<HttpResponse<String>> claim(String worker, int waitSeconds) {
    return http.sendAsync(
        request(
            WORKER,
            "api/v1/leases",
            "{\"worker_id\":\"" + worker + "\",\"wait_seconds\":" + waitSeconds + "}"),
        HttpResponse.BodyHandlers.ofString());
  }

  private void awaitParked(int count) {
    await().atMost(Duration.ofSeconds(5)).until(() -> longPolls.parkedClaims() == count);
  }

  @Test
  void aWaitingClaimIsAnsweredWithTheJobSubmittedWhileItWaited() throws Exception {
    CompletableFuture<HttpResponse<String>> claim = claim("w-1", 10);
    awaitParked(1);
    assertThat(claim).isNotDone();

    long submitted = System.nanoTime();
    HttpResponse<String> job =
        http.send(
            request(
                SUBMITTER,
                "api/v1/jobs",
                "{\"name\":\"n\",\"type\":\"etl\",\"command\":[\"true\"]}"),
            HttpResponse.BodyHandlers.ofString());
    assertThat(job.statusCode()).as(job.body()).isEqualTo(201);
    String id = JSON.readTree(job.body()).get("id").asText();
    HttpResponse<String> answer = claim.get(5, TimeUnit.SECONDS);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - submitted);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode leases = JSON.readTree(answer.body()).get("leases");
    assertThat(leases).hasSize(1);
    assertThat(leases.get(0).get("job_id").asText()).isEqualTo(id);
    assertThat(millis).isLessThan(1_000);
    // the answer goes out before the claim leaves the waiting list
    awaitParked(0);
  }

  @Test
  void aWaitingClaimWithNothingToDoAnswersAnEmptyListAtTheDeadline() throws Exception {
    long start = System.nanoTime();

    HttpResponse<String> answer = claim("w-1", 1).get(10, TimeUnit.SECONDS);

    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThan(900);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(answer.body()).get("leases")).isEmpty();
  }

  @Test
  void aTokenOverItsWaitingClaimsGets429AndTheServerOverItsOwn503BothWithRetryAfter()
      throws Exception {
    claim("w-1", 10);
    claim("w-2", 10);
    awaitParked(2);

    HttpResponse<String> third = claim("w-3", 10).get(5, TimeUnit.SECONDS);
    assertProblem(third, 429);

    adminClaim("a-1");
    awaitParked(3);
    assertProblem(adminClaim("a-2").get(5, TimeUnit.SECONDS), 503);
  }

  @Test
  void aWorkerThatStopsEndsItsWaitingClaimWhichAnswersAnEmptyListAtOnce() throws Exception {
    CompletableFuture<HttpResponse<String>> claim = claim("w-1", 10);
    awaitParked(1);

    HttpResponse<String> released =
        http.send(
            HttpRequest.newBuilder(base.resolve("api/v1/leases/waiting?worker_id=w-1"))
                .header("Authorization", "Bearer " + WORKER)
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(released.statusCode()).as(released.body()).isEqualTo(204);
    HttpResponse<String> answer = claim.get(5, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(answer.body()).get("leases")).isEmpty();
    awaitParked(0);
  }

  @Test
  void waitSecondsAboveThirtyIsRefusedNamingIt() throws Exception {
    HttpResponse<String> answer = claim("w-1", 31).get(5, TimeUnit.SECONDS);

    JsonNode problem = assertProblem(answer, 400);
    assertThat(problem.toString()).contains("wait_seconds");
  }

  @Test
  void aClaimOfATokenWithoutTheWorkerRoleIsRefusedBeforeItWaits() throws Exception {
    HttpResponse<String> answer =
        http.sendAsync(
                request(VIEWER, "api/v1/leases", "{\"worker_id\":\"v-1\",\"wait_seconds\":10}"),
                HttpResponse.BodyHandlers.ofString())
            .get(5, TimeUnit.SECONDS);

    assertProblem(answer, 403);
    assertThat(longPolls.parkedClaims()).isZero();
  }

  private CompletableFuture<HttpResponse<String>> adminClaim(String worker) {
    return http.sendAsync(
        request(ADMIN, "api/v1/leases", "{\"worker_id\":\"" + worker + "\",\"wait_seconds\":10}"),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode assertProblem(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    if (status == 429 || status == 503) {
      assertThat(r.headers().firstValue("Retry-After")).isPresent();
    }
    return JSON.readTree(r.body());
  }
}
