package io.jobplane.adapters.rest;

import static io.jobplane.application.testing.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.adapters.rest.http.RequestLoggingFilter;
import io.jobplane.domain.JobStatus;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OperationsApiTest extends ApiTestSupport {

  @Test
  void healthz_is_up_without_a_token() {
    Response r = get(null, "healthz");
    assertThat(r.getStatus()).isEqualTo(200);
    assertThat(json(r).get("status").asText()).isEqualTo("UP");
  }

  @Test
  void readyz_follows_the_store() {
    Response up = get(null, "readyz");
    assertThat(up.getStatus()).isEqualTo(200);
    assertThat(json(up).get("status").asText()).isEqualTo("UP");

    ready.set(false);
    problem(get(null, "readyz"), 503);
  }

  @Test
  void metrics_need_a_token_by_default() {
    problem(get(null, "metrics"), 401);
    assertThat(get(VIEWER, "metrics").getStatus()).isEqualTo(200);
  }

  @Test
  void metrics_add_up_every_project_so_a_token_limited_to_some_projects_is_refused() {
    JsonNode p = problem(get(ETL, "metrics"), 403);
    assertThat(p.get("detail").asText()).contains("cover every project");
    assertThat(get(ADMIN, "metrics").getStatus()).isEqualTo(200);
    assertThat(get(SCRAPER, "metrics").getStatus()).isEqualTo(200);
    problem(get(SCRAPER, "api/v1/jobs"), 403);
  }

  @Test
  void metrics_expose_http_requests_by_route_and_jobs_by_status() {
    jobs.insert(aJob().withStatus(JobStatus.RUNNING).buildJob());
    jobs.insert(aJob().withStatus(JobStatus.RUNNING).buildJob());
    get("api/v1/jobs").close();
    get("api/v1/jobs/not-a-uuid").close();

    Response r = get(ADMIN, "metrics");
    assertThat(r.getStatus()).isEqualTo(200);
    assertThat(r.getMediaType().toString()).startsWith("text/plain").contains("version=0.0.4");
    String text = r.readEntity(String.class);

    assertThat(text).contains("http_server_requests_seconds_bucket");
    assertThat(text)
        .containsPattern(
            "http_server_requests_seconds_count\\{[^}]*method=\"GET\"[^}]*status=\"200\"[^}]*uri=\"/api/v1/jobs\"");
    assertThat(text)
        .containsPattern(
            "http_server_requests_seconds_count\\{[^}]*status=\"400\"[^}]*uri=\"/api/v1/jobs/\\{id\\}\"");
    assertThat(text).contains("jobplane_jobs{status=\"RUNNING\"} 2.0");
    assertThat(text).contains("jobplane_jobs{status=\"FAILED\"} 0.0");
  }

  @Test
  void each_request_is_logged_once_at_debug() {
    Logger logger = (Logger) LoggerFactory.getLogger(RequestLoggingFilter.LOGGER_NAME);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      get(VIEWER, "api/v1/jobs").close();
      get(null, "api/v1/jobs").close();
    } finally {
      logger.detachAppender(appender);
    }
    assertThat(appender.list).hasSize(2);
    assertThat(appender.list.get(0).getFormattedMessage())
        .matches("GET /api/v1/jobs 200 \\d+ms caller=viewer");
    assertThat(appender.list.get(1).getFormattedMessage())
        .matches("GET /api/v1/jobs 401 \\d+ms caller=-");
  }

  @Test
  void an_unexpected_failure_is_a_500_problem_without_internals() {
    explode.set(true);
    JsonNode p = problem(get(null, "readyz"), 500);
    assertThat(p.toString()).doesNotContain("boom-internal", "IllegalStateException");
  }
}
