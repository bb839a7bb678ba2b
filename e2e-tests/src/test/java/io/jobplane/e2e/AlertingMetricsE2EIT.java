package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics operators alert on, from a running server: the backlog gauges read on scrape, and
 * every metric that the chart's Grafana dashboard and PrometheusRule query is one the server really
 * exports (a renamed metric would otherwise leave an empty panel and an alert that never fires).
 */
class AlertingMetricsE2EIT {

  private static final Path CHART = Path.of("..", "charts", "jobplane");
  private static final Pattern METRIC_NAME =
      Pattern.compile("\\b(jobplane_[a-z0-9_]+|http_server_requests_[a-z0-9_]+)\\b");

  /** An alert's expression in the template: from {@code expr: |-} to its {@code for:}. */
  private static final Pattern RULE_EXPR = Pattern.compile("(?s)expr: \\|-(.*?)\\n\\s*for:");

  @TempDir static Path dataDir;
  static JobplaneProcess server;
  static Api api;

  @BeforeAll
  static void start() throws Exception {
    server = JobplaneProcess.start(dataDir);
    api = new Api(server.baseUrl(), JobplaneProcess.adminToken(dataDir));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static String submit(String name, String queue) throws Exception {
    Api.Response r =
        api.post(
            "/api/v1/jobs",
            "{\"name\":\""
                + name
                + "\",\"type\":\"etl\",\"queue\":\""
                + queue
                + "\",\"max_attempts\":1}");
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().get("id").asText();
  }

  private static String status(String id) throws Exception {
    return api.get("/api/v1/jobs/" + id).body().get("status").asText();
  }

  private static String scrape() throws Exception {
    Api.Response metrics = api.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    return metrics.raw();
  }

  @Test
  void aJobNoWorkerPollsForAgesInItsQueuesOldestQueuedGauge() throws Exception {
    submit("stuck", "nobody-polls");
    Pattern oldest =
        Pattern.compile(
            "(?m)^jobplane_queue_oldest_queued_seconds\\{[^}]*queue=\"nobody-polls\"[^}]*} (\\S+)$");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Matcher m = oldest.matcher(scrape());
              return m.find() && Double.parseDouble(m.group(1)) > 0;
            });
    assertThat(scrape())
        .containsPattern(
            "(?m)^jobplane_queue_queued_jobs\\{[^}]*queue=\"nobody-polls\"[^}]*} 1\\.0$")
        .containsPattern("(?m)^jobplane_schedules_lag_seconds 0\\.0$");
  }

  @Test
  void everyMetricTheDashboardAndTheAlertsQueryIsExported() throws Exception {
    // a worker in the test: one job succeeds, one fails, so every histogram has observations
    String ok = submit("ok", "alerts");
    String broken = submit("broken", "alerts");
    ProtocolWorker worker = new ProtocolWorker(api, "alerts-worker");
    List<ProtocolWorker.Lease> leases = worker.claim("alerts", 2, 60);
    assertThat(leases).hasSize(2);
    for (ProtocolWorker.Lease lease : leases) {
      Api.Response report =
          lease.jobId().equals(ok)
              ? worker.complete(lease)
              : api.post(
                  lease.reportPath("fail"),
                  "{" + lease.proof() + ",\"reason\":\"UPSTREAM_DOWN\",\"message\":\"no\"}");
      assertThat(report.status()).as(report.raw()).isLessThan(300);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> status(ok).equals("SUCCEEDED"));
    await().atMost(Duration.ofSeconds(30)).until(() -> status(broken).equals("FAILED"));
    submit("waiting", "nobody-polls"); // a queue in the backlog gauges

    Set<String> referenced = new TreeSet<>();
    JsonNode dashboard = Api.JSON.readTree(CHART.resolve("dashboards/jobplane.json").toFile());
    dashboard.findValues("expr").forEach(expr -> referenced.addAll(names(expr.asText())));
    dashboard.findValues("definition").forEach(query -> referenced.addAll(names(query.asText())));
    Matcher rules =
        RULE_EXPR.matcher(Files.readString(CHART.resolve("templates/prometheusrule.yaml")));
    int alerts = 0;
    while (rules.find()) {
      referenced.addAll(names(rules.group(1)));
      alerts++;
    }
    assertThat(alerts).as("alert expressions in the template").isEqualTo(5);
    Set<String> exported =
        scrape()
            .lines()
            .filter(l -> !l.startsWith("#") && !l.isBlank())
            .map(l -> l.split("[{ ]", 2)[0])
            .collect(Collectors.toSet());

    assertThat(referenced)
        .as("the chart queries these")
        .contains(
            "jobplane_jobs_finished_total",
            "jobplane_job_queue_wait_seconds_bucket",
            "jobplane_job_duration_seconds_bucket",
            "jobplane_queue_oldest_queued_seconds",
            "jobplane_schedules_lag_seconds",
            "jobplane_schedule_ticks_total",
            "jobplane_webhook_delivery_failures_total");
    assertThat(exported).as("exported by the server").containsAll(referenced);
  }

  private static List<String> names(String text) {
    return METRIC_NAME.matcher(text).results().map(m -> m.group(1)).distinct().toList();
  }
}
