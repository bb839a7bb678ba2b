package io.jobplane.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.domain.ProjectLimits;
import io.jobplane.domain.QueueCounts;
import io.jobplane.domain.QueueCounts.WaitingJobs;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueuesApiTest extends ApiTestSupport {

  private void given(String project, String queue, WaitingJobs waiting, long running, int workers) {
    queueCounts.add(new QueueCounts(project, queue, waiting, running, workers));
  }

  @Test
  void eachQueueShowsWhatWaitsAndRunsSinceWhenWhoPollsAndWhy() {
    given("etl", "gpu", new WaitingJobs(4, 1, 2, clock.instant().minusSeconds(90)), 3, 2);
    Response r = get(VIEWER, "api/v1/queues");
    JsonNode body = json(r);
    assertThat(r.getStatus()).as(body.toString()).isEqualTo(200);
    assertThat(r.getMediaType().toString()).startsWith("application/json");
    JsonNode q = body.path("items").get(0);
    assertThat(q.path("project").asText()).isEqualTo("etl");
    assertThat(q.path("queue").asText()).isEqualTo("gpu");
    assertThat(q.path("queued").asLong()).isEqualTo(4);
    assertThat(q.path("running").asLong()).isEqualTo(3);
    assertThat(q.path("oldest_waiting_seconds").asLong()).isEqualTo(90);
    assertThat(q.path("oldest_waiting_since").asText())
        .isEqualTo(clock.instant().minusSeconds(90).toString());
    assertThat(q.path("active_workers").asInt()).isEqualTo(2);
    assertThat(q.path("waiting_reasons").toString())
        .isEqualTo(
            "[{\"reason\":\"BACKOFF\",\"jobs\":1},{\"reason\":\"WORKERS_BUSY\",\"jobs\":2},"
                + "{\"reason\":\"NEXT\",\"jobs\":1},{\"reason\":\"SUSPENDED\",\"jobs\":2}]");
    assertThat(body.path("truncated").asBoolean()).isFalse();
  }

  @Test
  void eachQueueShowsItsProjectsLimitsAndOnlyToWhoSeesTheProject() {
    given("etl", "gpu", new WaitingJobs(1, 0, 0, clock.instant()), 2, 1);
    given("etl", "cpu", new WaitingJobs(1, 0, 0, clock.instant()), 0, 1);
    given("ml", "gpu", new WaitingJobs(1, 0, 0, clock.instant()), 0, 1);
    limits.put(
        "etl",
        new ProjectLimits(4, 100L, 2, Map.of("gpu", new ProjectLimits.QueueLimits(2, null))),
        "admin",
        clock.instant());

    JsonNode items = json(get(ADMIN, "api/v1/queues")).path("items");
    assertThat(items.get(1).path("limits").toString())
        .isEqualTo(
            "{\"project_max_running\":4,\"project_max_queued\":100,\"max_running\":2,"
                + "\"max_queued\":null,\"weight\":2}");
    assertThat(items.get(0).path("queue").asText()).isEqualTo("cpu");
    assertThat(items.get(0).path("limits").path("max_running").isNull()).isTrue();
    assertThat(items.get(2).path("limits").isNull()).as("ml has no limits").isTrue();
    assertThat(json(get(ETL, "api/v1/queues")).path("items")).hasSize(2);
  }

  @Test
  void theOldestWaitGrowsWithTheClockWhileNothingChanges() {
    given("etl", "cpu", new WaitingJobs(1, 0, 0, clock.instant()), 0, 0);
    clock.advance(Duration.ofMinutes(2));
    JsonNode q = json(get(VIEWER, "api/v1/queues")).path("items").get(0);
    assertThat(q.path("oldest_waiting_seconds").asLong()).isEqualTo(120);
    assertThat(q.path("waiting_reasons").get(0).path("reason").asText()).isEqualTo("NO_WORKER");
  }

  @Test
  void aCallerSeesOnlyTheQueuesOfItsProjects() {
    given("etl", "shared", new WaitingJobs(1, 0, 0, clock.instant()), 0, 1);
    given("ml", "shared", new WaitingJobs(5, 0, 0, clock.instant()), 0, 1);
    JsonNode items = json(get(ETL, "api/v1/queues")).path("items");
    assertThat(items).hasSize(1);
    assertThat(items.get(0).path("project").asText()).isEqualTo("etl");
    assertThat(queueCounts.askedFor).containsExactly(Set.of("etl"));

    assertThat(json(get(ADMIN, "api/v1/queues")).path("items")).hasSize(2);
  }

  @Test
  void askingForAnotherProjectsQueuesIsForbiddenBeforeAnythingIsRead() {
    given("ml", "gpu", new WaitingJobs(5, 0, 0, clock.instant()), 0, 1);
    Response r = get(ETL, "api/v1/queues?project=ml");
    assertThat(r.getStatus()).isEqualTo(403);
    assertThat(r.getMediaType().toString()).isEqualTo("application/problem+json");
    assertThat(json(r).path("detail").asText()).contains("may not read project 'ml'");
    assertThat(queueCounts.askedFor).isEmpty();
  }

  @Test
  void oneProjectsQueuesCanBeAskedFor() {
    given("etl", "a", new WaitingJobs(1, 0, 0, clock.instant()), 0, 1);
    given("ml", "b", new WaitingJobs(1, 0, 0, clock.instant()), 0, 1);
    JsonNode items = json(get(ADMIN, "api/v1/queues?project=ml")).path("items");
    assertThat(items).hasSize(1);
    assertThat(items.get(0).path("queue").asText()).isEqualTo("b");
  }

  @Test
  void aTokenThatMayNotReadJobsIsRefused() {
    Response r = get(WORKER, "api/v1/queues");
    assertThat(r.getStatus()).isEqualTo(403);
    assertThat(queueCounts.askedFor).isEmpty();
  }

  @Test
  void withoutATokenTheAnswerIs401() {
    Response r = target("api/v1/queues").request().get();
    assertThat(r.getStatus()).isEqualTo(401);
  }

  @Test
  void anUnknownQueryParameterIsRefused() {
    Response r = get(VIEWER, "api/v1/queues?queue=gpu");
    assertThat(r.getStatus()).isEqualTo(400);
  }

  @Test
  void noUnfinishedJobsIsAnEmptyList() {
    JsonNode body = json(get(VIEWER, "api/v1/queues"));
    assertThat(body.path("items")).isEmpty();
    assertThat(body.path("truncated").asBoolean()).isFalse();
  }

  @Test
  void moreQueuesThanOneAnswerHoldsAreCutAndSaySo() {
    for (int i = 0; i < 501; i++) {
      given("etl", String.format("q%04d", i), new WaitingJobs(1, 0, 0, clock.instant()), 0, 0);
    }
    JsonNode body = json(get(VIEWER, "api/v1/queues"));
    assertThat(body.path("items")).hasSize(500);
    assertThat(body.path("truncated").asBoolean()).isTrue();
    assertThat(body.path("items").get(499).path("queue").asText()).isEqualTo("q0499");
  }
}
