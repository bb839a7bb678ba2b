package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.application.security.Role;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/jobs?expand=} against the real process: the statements a list request costs,
 * read from {@code jobplane_database_statements_total} in {@code /metrics}, do not grow with the
 * page, and each expansion adds one.
 */
class ListExpansionE2EIT {

  private static final Pattern STATEMENTS =
      Pattern.compile("(?m)^jobplane_database_statements_total\\S* (\\S+)$");

  private static final int TRIES = 5;

  @TempDir Path dataDir;
  @TempDir Path tokenDir;

  private static double metric(JobplaneProcess server) throws Exception {
    String text = new Api(server.baseUrl(), null).get("/metrics").raw();
    Matcher m = STATEMENTS.matcher(text);
    assertThat(m.find()).as("statements in /metrics").isTrue();
    return Double.parseDouble(m.group(1));
  }

  /**
   * The statements one GET of {@code path} sends: the fewest of five tries, less the fewest a
   * scrape of /metrics alone sends (its gauges read the store when their cache is stale), so
   * neither the scrapes nor the server's own background work are counted.
   */
  private static long statementsOf(JobplaneProcess server, Api api, String path) throws Exception {
    long fewest = Long.MAX_VALUE;
    for (int i = 0; i < TRIES; i++) {
      double before = metric(server);
      Api.Response r = api.get(path);
      assertThat(r.status()).as(r.raw()).isEqualTo(200);
      fewest = Math.min(fewest, Math.round(metric(server) - before));
    }
    return fewest - scrapeAlone(server);
  }

  private static long scrapeAlone(JobplaneProcess server) throws Exception {
    long fewest = Long.MAX_VALUE;
    for (int i = 0; i < TRIES; i++) {
      double before = metric(server);
      fewest = Math.min(fewest, Math.round(metric(server) - before));
    }
    return fewest;
  }

  @Test
  void expandingAPageOf100JobsCostsTheSameStatementsAsAPageOf10() throws Exception {
    Tokens tokens = new Tokens().add("admin", Role.ADMIN).add("worker", Role.WORKER);
    try (JobplaneProcess server =
        JobplaneProcess.start(
            dataDir,
            "--tokens-file",
            tokens.write(tokenDir).toString(),
            "--metrics-public",
            // the sweeper reads the store on its own schedule; keep it out of the count
            "--sweep-interval-ms",
            "3600000")) {
      Api admin = new Api(server.baseUrl(), tokens.token("admin"));
      Api worker = admin.as(tokens.token("worker"));
      for (int i = 0; i < 100; i++) {
        Api.Response r =
            admin.post(
                "/api/v1/jobs",
                "{\"name\":\"row "
                    + i
                    + "\",\"type\":\"t\",\"parallelism\":3,"
                    + "\"command\":[\"true\"]}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
      }
      // some tasks run and some finish, so the rows have tasks, events and outputs to show
      JsonNode leases =
          worker
              .post("/api/v1/leases", "{\"worker_id\":\"w-1\",\"max_tasks\":100}")
              .body()
              .get("leases");
      for (int i = 0; i < leases.size(); i += 2) {
        JsonNode lease = leases.get(i);
        Api.Response done =
            worker.post(
                "/api/v1/leases/"
                    + lease.get("job_id").asText()
                    + "/tasks/"
                    + lease.get("task_index").asInt()
                    + "/complete",
                "{\"epoch\":"
                    + lease.get("epoch").asLong()
                    + ",\"lease_token\":\""
                    + lease.get("lease_token").asText()
                    + "\",\"output\":{\"n\":"
                    + i
                    + "}}");
        assertThat(done.status()).as(done.raw()).isEqualTo(200);
      }

      long plain10 = statementsOf(server, admin, "/api/v1/jobs?limit=10");
      long plain100 = statementsOf(server, admin, "/api/v1/jobs?limit=100");
      String expand = "&expand=tasks,timeline";
      long expanded10 = statementsOf(server, admin, "/api/v1/jobs?limit=10" + expand);
      long expanded100 = statementsOf(server, admin, "/api/v1/jobs?limit=100" + expand);

      assertThat(plain100).as("a plain page of 100").isEqualTo(plain10);
      assertThat(expanded100).as("an expanded page of 100").isEqualTo(expanded10);
      assertThat(expanded100 - plain100).as("one statement per expansion").isEqualTo(2);

      JsonNode page = admin.get("/api/v1/jobs?limit=100" + expand).body();
      assertThat(page.get("items")).hasSize(100);
      for (JsonNode item : page.get("items")) {
        assertThat(item.at("/tasks/total").asInt()).isEqualTo(3);
        assertThat(item.at("/extras/tasks")).hasSize(3);
        assertThat(item.at("/extras/recent_events").size()).isBetween(2, 10);
      }
      System.out.printf(
          "List statements: plain %d (10 rows) / %d (100 rows); expand=tasks,timeline %d / %d%n",
          plain10, plain100, expanded10, expanded100);
    }
  }
}
