package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.application.security.Role;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Callers who should not get what they ask for: no or forged tokens, tokens of another project,
 * viewers writing, workers reading, clients assigning server-owned fields, and hostile input. Every
 * endpoint of the served document is tried; every refusal is a problem and stores nothing.
 */
class HostileCallersE2EIT {

  @TempDir static Path dir;
  private static JobplaneProcess server;
  private static Tokens tokens;
  private static OpenApiContract contract;
  private static Api admin;
  private static String mlJob;
  private static String mlRunningJob;

  @BeforeAll
  static void start() throws Exception {
    tokens =
        new Tokens()
            .add("admin", Role.ADMIN)
            .add("ml-submitter", Role.SUBMITTER, "ml")
            .add("ml-viewer", Role.VIEWER, "ml")
            .add("other-submitter", Role.SUBMITTER, "other")
            .add("worker", Role.WORKER)
            .add("ml-worker", Role.WORKER, "ml")
            .add("other-worker", Role.WORKER, "other");
    Path tokensFile = tokens.write(dir.resolve("tokens"));
    server = JobplaneProcess.start(dir.resolve("data"), "--tokens-file", tokensFile.toString());
    admin = caller("admin");
    contract = OpenApiContract.of(admin);
    mlJob =
        submitted(
            caller("ml-submitter"),
            "{\"name\":\"secret-model\",\"type\":\"train\",\"project\":\"ml\"}");
    mlRunningJob =
        submitted(
            caller("ml-submitter"),
            "{\"name\":\"secret-run\",\"type\":\"train\",\"project\":\"ml\",\"queue\":\"hostile\"}");
    new ProtocolWorker(caller("worker"), "holder").claim("hostile", 1, 600);
  }

  /** A new ml job in its own queue, leased by the ml project's worker. */
  private static ProtocolWorker.Lease mlJobLeased(String queue, String holder) throws Exception {
    String job =
        submitted(
            caller("ml-submitter"),
            "{\"name\":\"n\",\"type\":\"train\",\"project\":\"ml\",\"queue\":\"" + queue + "\"}");
    ProtocolWorker.Lease lease =
        new ProtocolWorker(caller("ml-worker"), holder).claim(queue, 1, 600).get(0);
    assertThat(lease.jobId()).isEqualTo(job);
    return lease;
  }

  @Test
  void aWorkerOfAnotherProjectGets404ForEveryReportOnALeaseItCopiedAndNothingIsStored()
      throws Exception {
    ProtocolWorker.Lease lease = mlJobLeased("copied", "ml-holder");
    String job = lease.jobId();
    // even holding the right epoch and lease token, a token of another project sees no job
    Api other = caller("other-worker");
    Map<String, String> reports =
        Map.of(
            "logs", "\"lines\":[{\"level\":\"info\",\"message\":\"forged\"}]",
            "errors", "\"errors\":[{\"message\":\"forged\"}]",
            "progress", "\"progress\":99",
            "output", "\"records\":[{\"record\":{\"forged\":true}}]",
            "metrics", "\"metrics\":{\"records_in\":1}",
            "heartbeat", "\"progress\":99",
            "complete", "\"output\":{\"forged\":true}",
            "fail", "\"message\":\"forged\"");
    for (Map.Entry<String, String> report : reports.entrySet()) {
      for (String proof :
          List.of(lease.proof(), lease.proof().replace(":" + lease.epoch(), ":99"))) {
        Api.Response r =
            other.post(
                lease.reportPath(report.getKey()), "{" + proof + "," + report.getValue() + "}");
        assertThat(r.status()).as("%s: %s", report.getKey(), r.raw()).isEqualTo(404);
        assertThat(r.raw()).doesNotContain("epoch").doesNotContain(lease.leaseToken());
      }
    }
    for (String what : List.of("logs", "errors", "output")) {
      assertThat(admin.get("/api/v1/jobs/" + job + "/" + what).body().get("data")).isEmpty();
    }
    assertThat(admin.get("/api/v1/jobs/" + job).body().get("status").asText()).isEqualTo("RUNNING");
  }

  @Test
  void anotherWorkerWithTheRightEpochButNotTheLeaseTokenGets409NamingNoEpoch() throws Exception {
    ProtocolWorker.Lease lease = mlJobLeased("held", "holder-b");
    String job = lease.jobId();
    // worker A, same project, can read the epoch off the task list but never the token
    Api intruder = caller("worker");
    for (String what : List.of("complete", "heartbeat", "fail", "progress", "logs")) {
      String extra =
          what.equals("logs")
              ? ",\"lines\":[{\"level\":\"info\",\"message\":\"forged\"}]"
              : what.equals("progress") ? ",\"progress\":5" : "";
      Api.Response r =
          intruder.post(
              lease.reportPath(what),
              "{\"epoch\":"
                  + lease.epoch()
                  + ",\"lease_token\":\"jpl_lease_guessed\""
                  + extra
                  + "}");
      assertThat(r.status()).as("%s: %s", what, r.raw()).isEqualTo(409);
      assertThat(r.body().get("type").asText()).endsWith("/stale-lease");
      assertThat(r.raw())
          .doesNotContain("epoch " + lease.epoch())
          .doesNotContain("lease is")
          .doesNotContain(lease.leaseToken());
    }
    Api.Response none =
        intruder.post(lease.reportPath("complete"), "{\"epoch\":" + lease.epoch() + "}");
    assertThat(none.status()).as(none.raw()).isEqualTo(400);
    assertThat(admin.get("/api/v1/jobs/" + job).body().get("status").asText()).isEqualTo("RUNNING");
    assertThat(admin.get("/api/v1/jobs/" + job + "/logs").body().get("data")).isEmpty();
    // the holder's own report goes through
    Api.Response done = new ProtocolWorker(caller("ml-worker"), "holder-b").complete(lease);
    assertThat(done.status()).as(done.raw()).isEqualTo(200);
    assertThat(admin.get("/api/v1/jobs/" + job).body().get("status").asText())
        .isEqualTo("SUCCEEDED");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static Api caller(String name) {
    return new Api(server.baseUrl(), tokens.token(name));
  }

  private static String submitted(Api api, String body) throws Exception {
    Api.Response r = api.post("/api/v1/jobs", body);
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().get("id").asText();
  }

  /** Every documented operation, with its path filled in for the ml job. */
  private static List<String[]> endpoints(String jobId) {
    return contract.operations().stream()
        .filter(op -> !op.isPublic())
        .map(
            op ->
                new String[] {
                  op.method(),
                  op.path()
                      .replace("{id}", jobId)
                      .replace("{job_id}", jobId)
                      .replace("{task_index}", "0")
                      .replace("{checkpoint_id}", "chk-1")
                      .replace("{operator_id}", "source_1")
                      .replace("{project}", "ml")
                      .replace("{name}", "model-creds")
                      // a delivery of a webhook: any id, the rules answer before it is looked up
                      .replace("{delivery}", jobId)
                })
        .peek(
            e ->
                assertThat(e[1])
                    .as("a path parameter this test does not fill in yet")
                    .doesNotContain("{"))
        .toList();
  }

  private static Api.Response send(Api api, String[] endpoint) throws Exception {
    // a body each endpoint accepts, so what answers is the access rule, not body validation
    String body =
        endpoint[0].equals("POST") || endpoint[0].equals("PUT")
            ? VALID_BODIES.getOrDefault(lastSegment(endpoint[1]), "{}")
            : null;
    Map<String, String> headers =
        body == null
            ? Map.of("Accept", "application/json")
            : Map.of("Content-Type", "application/json", "Accept", "application/json");
    return api.exchange(endpoint[0], endpoint[1], headers, body);
  }

  private static final Map<String, String> VALID_BODIES =
      Map.ofEntries(
          Map.entry("jobs", "{\"name\":\"n\",\"type\":\"t\",\"project\":\"ml\"}"),
          Map.entry("leases", "{\"worker_id\":\"w\"}"),
          Map.entry("tokens", "{\"name\":\"hostile-token\",\"roles\":[\"viewer\"]}"),
          Map.entry("model-creds", "{\"data\":{\"API_KEY\":\"not-for-viewers\"}}"),
          Map.entry("heartbeat", "{\"epoch\":1,\"lease_token\":\"jpl_lease_x\"}"),
          Map.entry("complete", "{\"epoch\":1,\"lease_token\":\"jpl_lease_x\"}"),
          Map.entry("fail", "{\"epoch\":1,\"lease_token\":\"jpl_lease_x\"}"),
          Map.entry("stopped", "{\"epoch\":1,\"lease_token\":\"jpl_lease_x\"}"),
          Map.entry(
              "reports",
              "{\"reports\":[{\"job_id\":\"00000000-0000-0000-0000-000000000000\","
                  + "\"task_index\":0,\"epoch\":1,\"lease_token\":\"jpl_lease_x\",\"type\":\"heartbeat\"}]}"),
          Map.entry("progress", "{\"epoch\":1,\"lease_token\":\"jpl_lease_x\",\"progress\":5}"),
          Map.entry(
              "metrics",
              "{\"epoch\":1,\"lease_token\":\"jpl_lease_x\",\"metrics\":{\"records_in\":1}}"),
          Map.entry(
              "logs",
              "{\"epoch\":1,\"lease_token\":\"jpl_lease_x\",\"lines\":[{\"level\":\"info\",\"message\":\"m\"}]}"),
          Map.entry(
              "errors",
              "{\"epoch\":1,\"lease_token\":\"jpl_lease_x\",\"errors\":[{\"level\":\"error\",\"message\":\"m\"}]}"),
          Map.entry(
              "output",
              "{\"epoch\":1,\"lease_token\":\"jpl_lease_x\",\"records\":[{\"record\":{\"a\":1}}]}"),
          Map.entry(
              "checkpoints",
              "{\"epoch\":1,\"lease_token\":\"jpl_lease_x\",\"checkpoint_id\":\"c1\",\"checkpoint_epoch\":1,\"state\":\"completed\"}"));

  private static String lastSegment(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static long total() throws Exception {
    return admin.get("/api/v1/jobs?limit=1").body().get("total").asLong();
  }

  @Test
  void everyEndpointAnswersNoTokenAndAForgedTokenWith401() throws Exception {
    List<String[]> all = endpoints(mlJob);
    assertThat(all).hasSizeGreaterThan(25);
    for (Api api : List.of(admin.as(null), admin.as("forged"), admin.as(""))) {
      for (String[] endpoint : all) {
        Api.Response r = send(api, endpoint);
        assertThat(r.status()).as("%s %s", endpoint[0], endpoint[1]).isEqualTo(401);
        assertThat(r.contentType()).startsWith(OpenApiContract.PROBLEM);
        assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
      }
    }
  }

  @Test
  void aTokenOfAnotherProjectGetsNeither403Nor404DataOfTheJob() throws Exception {
    Api outsider = caller("other-submitter");
    long before = total();
    String runningBefore = admin.get("/api/v1/jobs/" + mlRunningJob).raw();
    for (String job : List.of(mlJob, mlRunningJob)) {
      for (String[] endpoint : endpoints(job)) {
        if (!endpoint[1].contains(job)) {
          continue;
        }
        Api.Response r = send(outsider, endpoint);
        assertThat(r.status()).as("%s %s", endpoint[0], endpoint[1]).isIn(403, 404);
        assertThat(r.raw()).doesNotContain("secret-model", "secret-run");
      }
    }
    JsonNode list = outsider.get("/api/v1/jobs?project=ml").body();
    assertThat(list.get("items")).isEmpty();
    assertThat(list.get("total").asLong()).isZero();
    assertThat(outsider.get("/api/v1/jobs?search=secret").body().get("items")).isEmpty();
    assertThat(total()).isEqualTo(before);
    assertThat(normalized(admin.get("/api/v1/jobs/" + mlRunningJob).raw()))
        .isEqualTo(normalized(runningBefore));
  }

  @Test
  void aViewerReadsButEveryWriteIsRefused() throws Exception {
    Api viewer = caller("ml-viewer");
    assertThat(viewer.get("/api/v1/jobs/" + mlJob).status()).isEqualTo(200);
    String before = admin.get("/api/v1/jobs/" + mlJob).raw();
    long count = total();
    for (String[] endpoint : endpoints(mlJob)) {
      if (endpoint[0].equals("GET")) {
        continue;
      }
      Api.Response r = send(viewer, endpoint);
      assertThat(r.status()).as("%s %s", endpoint[0], endpoint[1]).isEqualTo(403);
      assertThat(r.contentType()).startsWith(OpenApiContract.PROBLEM);
    }
    assertThat(
            viewer
                .post("/api/v1/jobs", "{\"name\":\"v\",\"type\":\"t\",\"project\":\"ml\"}")
                .status())
        .isEqualTo(403);
    assertThat(total()).isEqualTo(count);
    assertThat(normalized(admin.get("/api/v1/jobs/" + mlJob).raw())).isEqualTo(normalized(before));
  }

  @Test
  void aWorkerReadsNoJobsAndReportsOnlyForTasksItHolds() throws Exception {
    Api worker = caller("worker");
    for (String[] endpoint : endpoints(mlJob)) {
      if (endpoint[0].equals("GET") && endpoint[1].startsWith("/api/v1/jobs")) {
        Api.Response r = send(worker, endpoint);
        assertThat(r.status()).as("%s %s", endpoint[0], endpoint[1]).isEqualTo(403);
        assertThat(r.raw()).doesNotContain("secret-model");
      }
    }
    // the ml job was never leased: no report for it is accepted, whatever the epoch
    for (String what : List.of("heartbeat", "complete", "fail", "stopped", "progress")) {
      for (long epoch : new long[] {0, 1, 2}) {
        Api.Response r =
            worker.post(
                "/api/v1/leases/" + mlJob + "/tasks/0/" + what,
                "{\"epoch\":"
                    + epoch
                    + ",\"lease_token\":\"jpl_lease_guess\""
                    + (what.equals("progress") ? ",\"progress\":5}" : "}"));
        assertThat(r.status()).as("%s epoch %d: %s", what, epoch, r.raw()).isIn(404, 409);
      }
    }
    assertThat(admin.get("/api/v1/jobs/" + mlJob).body().get("status").asText())
        .isEqualTo("QUEUED");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"status\":\"SUCCEEDED\"",
        "\"attempt\":7",
        "\"run_id\":9",
        "\"created_by\":\"someone-else\"",
        "\"created_at\":\"2020-01-01T00:00:00Z\"",
        "\"updated_at\":\"2020-01-01T00:00:00Z\"",
        "\"started_at\":\"2020-01-01T00:00:00Z\"",
        "\"finished_at\":\"2020-01-01T00:00:00Z\"",
        "\"lease_expires_at\":\"2099-01-01T00:00:00Z\"",
        "\"epoch\":99",
        "\"worker_id\":\"w\"",
        "\"version\":1",
        "\"id\":\"7d444840-9dc0-11d1-b245-5ffdce74fad2\"",
        "\"desired_state\":\"STOPPED\""
      })
  void serverOwnedFieldsInASubmitOrStopBodyAreRefusedAndChangeNothing(String field)
      throws Exception {
    Api submitter = caller("ml-submitter");
    long before = total();
    Api.Response submit =
        submitter.post(
            "/api/v1/jobs", "{\"name\":\"m\",\"type\":\"t\",\"project\":\"ml\"," + field + "}");
    assertThat(submit.status()).as(submit.raw()).isEqualTo(400);
    assertThat(submit.contentType()).startsWith(OpenApiContract.PROBLEM);
    assertThat(total()).isEqualTo(before);

    String job = admin.get("/api/v1/jobs/" + mlJob).raw();
    Api.Response stop =
        submitter.post("/api/v1/jobs/" + mlJob + "/stop", "{\"mode\":\"force\"," + field + "}");
    assertThat(stop.status()).as(stop.raw()).isEqualTo(400);
    Api.Response restart = submitter.post("/api/v1/jobs/" + mlJob + "/restart", "{" + field + "}");
    assertThat(restart.status()).as(restart.raw()).isEqualTo(400);
    assertThat(normalized(admin.get("/api/v1/jobs/" + mlJob).raw())).isEqualTo(normalized(job));
  }

  @Test
  void hostileBodiesAndNamesGetCleanProblemsAndStoreNothing() throws Exception {
    long before = total();
    StringBuilder labels = new StringBuilder("{");
    for (int i = 0; i < 5_000; i++) {
      labels.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
    }
    labels.append('}');
    Map<String, String> bodies =
        Map.of(
            "oversize body",
            "{\"name\":\"n\",\"type\":\"t\",\"input\":{\"x\":\"" + "a".repeat(2_000_000) + "\"}}",
            "deep nesting",
            "{\"name\":\"n\",\"type\":\"t\",\"input\":"
                + "{\"a\":".repeat(500)
                + "1"
                + "}".repeat(501),
            "huge label map",
            "{\"name\":\"n\",\"type\":\"t\",\"labels\":" + labels + "}",
            "control characters in the name",
            "{\"name\":\"bell\\u0007\\u0000\",\"type\":\"t\"}",
            "newline in the name",
            "{\"name\":\"two\\nlines\",\"type\":\"t\"}",
            "bidi override in the type",
            "{\"name\":\"n\",\"type\":\"evil\\u202e\"}",
            "SQL in the type",
            "{\"name\":\"n\",\"type\":\"etl'; DROP TABLE jobs; --\"}",
            "SQL in a label key",
            "{\"name\":\"n\",\"type\":\"t\",\"labels\":{\"a' OR '1'='1\":\"v\"}}",
            "lone surrogate in the name",
            "{\"name\":\"x\\ud800\",\"type\":\"t\"}");
    for (Map.Entry<String, String> b : bodies.entrySet()) {
      Api.Response r = admin.post("/api/v1/jobs", b.getValue());
      assertThat(r.status())
          .as(b.getKey() + ": " + OpenApiRequests.abbreviate(r.raw()))
          .isBetween(400, 499);
      assertThat(r.contentType()).as(b.getKey()).startsWith(OpenApiContract.PROBLEM);
    }
    for (String query :
        List.of(
            "labels=" + enc("env in (prod) OR 1=1"),
            "labels=" + enc("a=b';--"),
            "labels=" + enc("!!x"),
            "status=" + enc("queued' OR '1'='1"),
            "sort=" + enc("created_at; DROP TABLE jobs"),
            "sort=" + enc("(select 1)"),
            "cursor=" + enc("' OR 1=1 --"),
            "created_after=" + enc("2020-01-01' OR '1'='1"),
            "project=" + enc("ml\u0000"))) {
      Api.Response r = admin.get("/api/v1/jobs?" + query);
      assertThat(r.status()).as(query + ": " + r.raw()).isEqualTo(400);
      assertThat(r.contentType()).startsWith(OpenApiContract.PROBLEM);
    }
    Api.Response nulInPath = admin.get("/api/v1/jobs/" + mlJob + "/checkpoints/chk%00");
    assertThat(nulInPath.status()).as(nulInPath.raw()).isEqualTo(400);
    // injection text that is a valid value is only ever data: it matches nothing
    for (String query :
        List.of(
            "search=" + enc("' OR '1'='1"),
            "search=" + enc("%"),
            "project=" + enc("x' OR 'a'='a"),
            "type=" + enc("t') OR ('1'='1"))) {
      Api.Response r = admin.get("/api/v1/jobs?" + query);
      assertThat(r.status()).as(query + ": " + r.raw()).isIn(200, 400);
      if (r.status() == 200) {
        assertThat(r.body().get("items")).as(query).isEmpty();
      }
    }
    assertThat(total()).isEqualTo(before);
  }

  @Test
  void aRefusedBodyDoesNotBreakTheConnectionForTheNextRequest() throws Exception {
    Api anonymous = admin.as(null);
    String big =
        "{\"name\":\"n\",\"type\":\"t\",\"input\":{\"x\":\"" + "a".repeat(300_000) + "\"}}";
    for (int i = 0; i < 5; i++) {
      assertThat(anonymous.post("/api/v1/jobs", big).status()).isEqualTo(401);
      assertThat(anonymous.get("/healthz").status()).isEqualTo(200);
      assertThat(admin.exchange("GET", "/api/v1/jobs?limit=1", Map.of(), big).status())
          .isEqualTo(200);
      assertThat(admin.get("/healthz").status()).isEqualTo(200);
    }
  }

  @Test
  void aForgedHostHeaderIsNotReflectedIntoLocation() throws Exception {
    URI base = URI.create(server.baseUrl());
    String body = "{\"name\":\"host\",\"type\":\"t\"}";
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /api/v1/jobs HTTP/1.1\r\nHost: attacker.example\r\nAuthorization: Bearer "
                  + tokens.token("admin")
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length()
                  + "\r\nConnection: close\r\n\r\n"
                  + body)
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 201");
      assertThat(answer).containsPattern("(?im)^Location: /api/v1/jobs/[0-9a-f-]{36}$");
      assertThat(answer).doesNotContain("attacker.example");
    }
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** A job's JSON without the fields that move with the clock. */
  private static String normalized(String jobJson) throws Exception {
    var node = (com.fasterxml.jackson.databind.node.ObjectNode) Api.JSON.readTree(jobJson);
    node.remove(
        List.of("queue_time_ms", "elapsed_time_ms", "waiting", "estimated_seconds_remaining"));
    return node.toString();
  }
}
