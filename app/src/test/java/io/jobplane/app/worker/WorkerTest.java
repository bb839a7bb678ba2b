package io.jobplane.app.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jobplane.app.worker.FakeJobplaneServer.FakeTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled worker against an in-memory server that speaks docs/worker-protocol.md. */
class WorkerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private FakeJobplaneServer server;
  private Worker worker;

  @BeforeEach
  void startServer() throws IOException {
    server = new FakeJobplaneServer();
  }

  @AfterEach
  void stopAll() {
    if (worker != null) {
      worker.close();
    }
    server.close();
  }

  private Worker startWorker(int concurrency) {
    return startWorker(concurrency, Duration.ofSeconds(5));
  }

  private Worker startWorker(int concurrency, Duration shutdownGrace) {
    return startWorker(settings(concurrency, shutdownGrace));
  }

  /** A worker whose heartbeats and final reports go out together every {@code interval}. */
  private Worker startBatchingWorker(int concurrency, Duration interval) {
    return startWorker(settings(concurrency, Duration.ofSeconds(5)).withReportInterval(interval));
  }

  private Worker startWorker(WorkerSettings settings) {
    worker = new Worker(settings).start();
    return worker;
  }

  private WorkerSettings settings(int concurrency, Duration shutdownGrace) {
    return settings(concurrency, shutdownGrace, Duration.ofMillis(200));
  }

  /**
   * Full heartbeats (with telemetry) every {@code heartbeatInterval}; light ones every second when
   * that is longer, as in production where it is a third of the lease.
   */
  private WorkerSettings settings(
      int concurrency, Duration shutdownGrace, Duration heartbeatInterval) {
    return new WorkerSettings(
        server.uri(),
        FakeJobplaneServer.TOKEN,
        List.of("default"),
        List.of(),
        concurrency,
        5,
        "test-worker",
        "test-host",
        Duration.ofMillis(50),
        heartbeatInterval,
        shutdownGrace,
        Duration.ofSeconds(2),
        Duration.ofMillis(10),
        Duration.ofMillis(100),
        Duration.ofSeconds(10));
  }

  private List<String> requestsTo(String suffix) {
    return server.requests().stream().filter(r -> r.contains(suffix + " ")).toList();
  }

  private static String shJob(String script) {
    return "{\"name\":\"t\",\"type\":\"etl\",\"input\":{\"date\":\"2026-11-22\"},"
        + "\"command\":[\"sh\",\"-c\","
        + quote(script)
        + "]}";
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static FakeTask awaitStatus(FakeTask task, String status) {
    await().atMost(TIMEOUT).until(() -> task.status.equals(status));
    return task;
  }

  private long awaitPid(Path pidFile) {
    await().atMost(TIMEOUT).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
    try {
      return Long.parseLong(Files.readString(pidFile).strip());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void aSucceedingCommandCompletesWithItsLogsAndProgress() {
    String id = server.submit(shJob("echo hi; echo \"##jobplane progress=50\"; exit 0"));
    startWorker(1);

    FakeTask task = awaitStatus(server.task(id), "SUCCEEDED");

    assertThat(task.workerId).isEqualTo("test-worker");
    assertThat(task.hostname).isEqualTo("test-host");
    await().atMost(TIMEOUT).until(() -> task.logMessages().contains("hi"));
    assertThat(task.logMessages()).noneMatch(m -> m.startsWith("##jobplane"));
    assertThat(task.logLines.get(0).path("level").asText()).isEqualTo("info");
    assertThat(task.logLines.get(0).path("stream").asText()).isEqualTo("stdout");
    assertThat(task.heartbeats).anyMatch(h -> h.path("progress").asInt() == 50);
    // no output: the SDK leaves an unset field out, which the server reads as null
    assertThat(task.completion.path("output").isMissingNode()).isTrue();
  }

  @Test
  void aNonZeroExitFailsRetryablyWithTheExitCodeAndTheLastStderrLine() {
    String id = server.submit(shJob("echo 'ERROR boom' >&2; echo 'almost done' >&2; exit 3"));
    startWorker(1);

    FakeTask task = awaitStatus(server.task(id), "FAILED");

    assertThat(task.failure.path("reason").asText()).isEqualTo("EXIT_CODE");
    assertThat(task.failure.path("retryable").asBoolean()).isTrue();
    assertThat(task.failure.path("exit_code").asInt()).isEqualTo(3);
    assertThat(task.failure.path("message").asText()).isEqualTo("exit code 3: almost done");
    assertThat(task.logLines)
        .extracting(l -> l.path("level").asText() + " " + l.path("stream").asText())
        .containsExactly("error stderr", "warn stderr");
  }

  @Test
  void aStopInTheHeartbeatAnswerTerminatesTheChildAndReportsStopped() {
    Path pidFile = dir.resolve("pid");
    String id = server.submit(shJob("echo $$ > " + pidFile + "; exec sleep 60"));
    startWorker(1);
    long pid = awaitPid(pidFile);

    server.requestStop(id, "immediate", Instant.now());

    FakeTask task = awaitStatus(server.task(id), "STOPPED");
    await().atMost(Duration.ofSeconds(10)).until(() -> !alive(pid));
    assertThat(task.failure).isNull();
    assertThat(task.completion).isNull();
  }

  @Test
  void aGracefulStopGivesTheChildUntilTheDeadlineAfterSigterm() throws IOException {
    Path marker = dir.resolve("trapped");
    String id =
        server.submit(
            shJob(
                "trap 'echo cleaning up; touch "
                    + marker
                    + "; exit 0' TERM; echo ready; while true; do sleep 0.1; done"));
    startWorker(1);
    await().atMost(TIMEOUT).until(() -> server.task(id).logMessages().contains("ready"));

    server.requestStop(id, "graceful", Instant.now().plusSeconds(30));

    FakeTask task = awaitStatus(server.task(id), "STOPPED");
    assertThat(Files.exists(marker)).as("the child's TERM trap ran").isTrue();
    assertThat(task.logMessages())
        .as(task.logLines + " " + server.requests())
        .contains("cleaning up");
  }

  @Test
  void a409OnHeartbeatKillsTheChildAndStopsReporting() {
    Path pidFile = dir.resolve("pid");
    String id =
        server.submit(
            shJob("echo $$ > " + pidFile + "; while true; do echo tick; sleep 0.05; done"));
    startWorker(1);
    long pid = awaitPid(pidFile);

    server.revokeOnNextHeartbeat(id);

    FakeTask task = server.task(id);
    await().atMost(TIMEOUT).until(() -> task.status.equals("REVOKED"));
    await().atMost(Duration.ofSeconds(10)).until(() -> !alive(pid));
    int reportsAtKill = task.requests.size();
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> task.requests.size() == reportsAtKill);
    assertThat(task.failure).isNull();
    assertThat(task.completion).isNull();
    assertThat(worker.running()).isZero();
  }

  @Test
  void aJobWithoutCommandFailsWithNoCommandAndIsNotRetried() {
    String id = server.submit("{\"name\":\"no command\",\"type\":\"etl\",\"input\":{}}");
    startWorker(1);

    FakeTask task = awaitStatus(server.task(id), "FAILED");

    assertThat(task.failure.path("reason").asText()).isEqualTo("NO_COMMAND");
    assertThat(task.failure.path("retryable").asBoolean()).isFalse();
  }

  @Test
  void aCommandThatCannotStartFailsWithStartFailedAndIsNotRetried() {
    String id = server.submit("{\"name\":\"x\",\"command\":[\"/nonexistent/jobplane-nope\"]}");
    startWorker(1);

    FakeTask task = awaitStatus(server.task(id), "FAILED");

    assertThat(task.failure.path("reason").asText()).isEqualTo("START_FAILED");
    assertThat(task.failure.path("retryable").asBoolean()).isFalse();
  }

  @Test
  void aServerAnswering503TwiceIsRetriedUntilItAnswers200() {
    server.answerNext("/api/v1/leases", 2, 503);
    server.answerNext("/complete", 2, 503);
    String id = server.submit(shJob("exit 0"));
    startWorker(1);

    awaitStatus(server.task(id), "SUCCEEDED");

    assertThat(server.requests().stream().filter(r -> r.contains("/api/v1/leases ")))
        .startsWith(
            "POST /api/v1/leases 503", "POST /api/v1/leases 503", "POST /api/v1/leases 200");
    assertThat(server.requests().stream().filter(r -> r.contains("/complete ")))
        .containsExactly(
            "POST /api/v1/leases/" + id + "/tasks/0/complete 503",
            "POST /api/v1/leases/" + id + "/tasks/0/complete 503",
            "POST /api/v1/leases/" + id + "/tasks/0/complete 200");
  }

  @Test
  void a4xxAnswerIsNotRetried() {
    server.answerNext("/complete", 1, 400);
    String id = server.submit(shJob("exit 0"));
    startWorker(1);

    await()
        .atMost(TIMEOUT)
        .until(() -> server.requests().stream().anyMatch(r -> r.contains("/complete ")));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> server.requests().stream().filter(r -> r.contains("/complete ")).count() == 1);
    assertThat(server.task(id).status).isEqualTo("RUNNING");
  }

  @Test
  void neverMoreChildrenThanTheConcurrencyAtOnce() {
    Path starts = dir.resolve("starts");
    List<String> ids =
        java.util.stream.IntStream.range(0, 6)
            .mapToObj(i -> server.submit(shJob("echo x >> " + starts + "; sleep 0.3")))
            .collect(Collectors.toList());
    startWorker(2);

    ids.forEach(id -> awaitStatus(server.task(id), "SUCCEEDED"));

    assertThat(server.maxRunning()).isEqualTo(2);
    assertThat(server.requests().stream().filter(r -> r.contains("/api/v1/leases "))).isNotEmpty();
  }

  @Test
  void theSameTaskIsNeverRunTwiceAtOnce() throws IOException {
    Path starts = dir.resolve("starts");
    server.grantEachLeaseTwice();
    String id = server.submit(shJob("echo x >> " + starts + "; sleep 0.3"));
    startWorker(4);

    awaitStatus(server.task(id), "SUCCEEDED");

    assertThat(Files.readAllLines(starts)).hasSize(1);
  }

  @Test
  void theJobEnvAndTheJobplaneVariablesReachTheChild() throws IOException {
    String id =
        server.submit(
            "{\"name\":\"env\",\"input\":{\"date\":\"2026-11-22\"},\"env\":{\"GREETING\":\"hello\"},"
                + "\"command\":[\"sh\",\"-c\",\"echo"
                + " \\\"$GREETING|$JOBPLANE_JOB_ID|$JOBPLANE_TASK_INDEX|$JOBPLANE_RUN_ID|"
                + "$JOBPLANE_ATTEMPT|$JOBPLANE_PARALLELISM|$JOBPLANE_INPUT|$JOBPLANE_CHECKPOINT\\\"\"]}",
            2);
    // as the server shows a checkpoint: every field, the empty ones as null
    String checkpoint =
        "{\"id\":\"chk-1\",\"job_id\":\""
            + id
            + "\",\"epoch\":3,\"state\":\"completed\",\"started_at\":\"2026-11-22T10:00:00Z\","
            + "\"finished_at\":\"2026-11-22T10:01:30.5Z\",\"size_bytes\":null,\"backend\":null,"
            + "\"location\":\"s3://b/chk-1\",\"task_index\":1,\"operator_states\":[]}";
    server.task(id, 1).checkpoint =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(checkpoint);
    startWorker(2);

    FakeTask t0 = awaitStatus(server.task(id, 0), "SUCCEEDED");
    FakeTask t1 = awaitStatus(server.task(id, 1), "SUCCEEDED");

    await().atMost(TIMEOUT).until(() -> !t0.logLines.isEmpty() && !t1.logLines.isEmpty());
    assertThat(t0.logMessages())
        .containsExactly("hello|" + id + "|0|1|1|2|{\"date\":\"2026-11-22\"}|");
    assertThat(t1.logMessages())
        .containsExactly("hello|" + id + "|1|1|1|2|{\"date\":\"2026-11-22\"}|" + checkpoint);
  }

  @Test
  void theLastOutputLineBecomesTheCompletionOutput() {
    String id =
        server.submit(
            shJob(
                "echo '##jobplane output {\"rows\":3}'; echo '##jobplane output {\"rows\":5}';"
                    + " echo '##jobplane changed=true'; echo done"));
    startWorker(1);

    FakeTask task = awaitStatus(server.task(id), "SUCCEEDED");

    assertThat(task.completion.path("output").toString()).isEqualTo("{\"rows\":5}");
    assertThat(task.completion.path("changed").asBoolean()).isTrue();
    assertThat(task.outputs)
        .extracting(o -> o.path("record").toString())
        .containsExactly("{\"rows\":3}", "{\"rows\":5}");
    assertThat(task.logMessages()).containsExactly("done");
  }

  @Test
  void anOutputThatIsNotAnObjectIsRecordedAsPrintedAndCompletesUnderValue() {
    String id = server.submit(shJob("echo '##jobplane output [1,null,\"x\"]'"));
    startWorker(1);

    FakeTask task = awaitStatus(server.task(id), "SUCCEEDED");

    assertThat(task.outputs)
        .extracting(o -> o.path("record").toString())
        .containsExactly("[1,null,\"x\"]");
    assertThat(task.completion.path("output").toString()).isEqualTo("{\"value\":[1,null,\"x\"]}");
  }

  @Test
  void theChildSeesTheJobInputAsTheLeaseCarriedItNullsIncluded() {
    String input = "{\"note\":null,\"big\":12345678901234567890,\"nested\":{\"a\":[1,null]}}";
    String id =
        server.submit(
            "{\"name\":\"input\",\"input\":"
                + input
                + ",\"command\":[\"sh\",\"-c\",\"echo \\\"$JOBPLANE_INPUT\\\"\"]}");
    startWorker(1);

    FakeTask task = awaitStatus(server.task(id), "SUCCEEDED");

    await().atMost(TIMEOUT).until(() -> !task.logLines.isEmpty());
    assertThat(task.logMessages()).containsExactly(input);
  }

  @Test
  void aFractionalProgressIsReportedAsItsWholePercent() {
    String id = server.submit(shJob("echo '##jobplane progress=99.9'"));
    startWorker(1);

    FakeTask task = awaitStatus(server.task(id), "SUCCEEDED");

    assertThat(task.heartbeats).anyMatch(h -> h.path("progress").isInt());
    assertThat(task.heartbeats)
        .filteredOn(h -> h.has("progress"))
        .allMatch(h -> h.path("progress").asInt() == 99 && h.path("progress").isIntegralNumber());
  }

  @Test
  void itemsMetricsAndCheckpointsAreReportedThroughTheProtocol() {
    String id =
        server.submit(
            shJob(
                "echo '##jobplane items total=1000 completed=420 failed=3';"
                    + " echo '##jobplane metric records_in=1000 throughput=12.5';"
                    + " echo '##jobplane message processed 420 files';"
                    + " echo '##jobplane checkpoint id=chk-3 location=s3://x size_bytes=10'"));
    startWorker(1);

    FakeTask task = awaitStatus(server.task(id), "SUCCEEDED");

    assertThat(task.heartbeats)
        .anySatisfy(
            h -> {
              assertThat(h.path("items").toString())
                  .isEqualTo("{\"total\":1000,\"completed\":420,\"failed\":3}");
              assertThat(h.path("metrics").toString())
                  .isEqualTo("{\"records_in\":1000,\"throughput\":12.5}");
              assertThat(h.path("message").asText()).isEqualTo("processed 420 files");
            });
    assertThat(task.checkpoints).hasSize(1);
    assertThat(task.checkpoints.get(0).path("checkpoint_id").asText()).isEqualTo("chk-3");
    assertThat(task.checkpoints.get(0).path("location").asText()).isEqualTo("s3://x");
    assertThat(task.checkpoints.get(0).path("size_bytes").asLong()).isEqualTo(10);
    assertThat(task.checkpoints.get(0).path("state").asText()).isEqualTo("completed");
    assertThat(task.logLines).isEmpty();
  }

  @Test
  void onShutdownRunningTasksAreFailedAsRetryableWorkerShutdown() {
    Path pidFile = dir.resolve("pid");
    String id = server.submit(shJob("echo $$ > " + pidFile + "; exec sleep 60"));
    Worker w = startWorker(1, Duration.ofMillis(300));
    long pid = awaitPid(pidFile);

    w.close();

    FakeTask task = server.task(id);
    assertThat(task.status).isEqualTo("FAILED");
    assertThat(task.failure.path("reason").asText()).isEqualTo("WORKER_SHUTDOWN");
    assertThat(task.failure.path("retryable").asBoolean()).isTrue();
    assertThat(alive(pid)).isFalse();
  }

  @Test
  void aRejectedTokenStopsTheWorker() throws InterruptedException {
    WorkerSettings settings =
        new WorkerSettings(
            server.uri(),
            "wrong",
            List.of("default"),
            List.of(),
            1,
            5,
            "w",
            null,
            Duration.ofMillis(50),
            Duration.ofMillis(200),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofMillis(10),
            Duration.ofMillis(100),
            Duration.ofSeconds(5));
    worker = new Worker(settings).start();

    assertThat(worker.awaitTermination()).isFalse();
  }

  // ---- batched reports (--report-interval-ms) ----

  @Test
  void reportsOfManyTasksGoOutTogetherInBatchCalls() {
    List<String> ids =
        java.util.stream.IntStream.range(0, 6)
            .mapToObj(i -> server.submit(shJob("echo '##jobplane progress=100'; exit 0")))
            .collect(Collectors.toList());
    startBatchingWorker(6, Duration.ofMillis(300));

    ids.forEach(id -> awaitStatus(server.task(id), "SUCCEEDED"));

    assertThat(requestsTo("/complete")).as("no single-lease completion").isEmpty();
    assertThat(requestsTo("/heartbeat")).isEmpty();
    assertThat(requestsTo("/api/v1/leases/reports")).isNotEmpty().allMatch(r -> r.endsWith(" 200"));
    assertThat(server.batchSizes()).as("several leases in one call").anyMatch(n -> n > 1);
    ids.forEach(id -> assertThat(server.task(id).requests).contains("complete"));
  }

  @Test
  void aLeaseRefusedInABatchKillsOnlyItsChildAndTheOthersCarryOn() {
    Path pidFile = dir.resolve("pid");
    String doomed =
        server.submit(
            shJob("echo $$ > " + pidFile + "; while true; do echo tick; sleep 0.05; done"));
    String fine = server.submit(shJob("sleep 1.5; exit 0"));
    startBatchingWorker(2, Duration.ofMillis(100));
    long pid = awaitPid(pidFile);

    server.revokeOnNextHeartbeat(doomed);

    FakeTask task = server.task(doomed);
    await().atMost(TIMEOUT).until(() -> task.status.equals("REVOKED"));
    await().atMost(Duration.ofSeconds(10)).until(() -> !alive(pid));
    int reportsAtKill = task.requests.size();
    awaitStatus(server.task(fine), "SUCCEEDED");
    await()
        .during(Duration.ofMillis(1000))
        .atMost(Duration.ofSeconds(5))
        .until(() -> task.requests.size() == reportsAtKill);
    assertThat(task.failure).isNull();
    assertThat(task.completion).isNull();
    await().atMost(TIMEOUT).until(() -> worker.running() == 0);
  }

  @Test
  void aFailedFlushIsRetriedUntilTheServerAnswers() {
    server.answerNext("/api/v1/leases/reports", 2, 503);
    String id = server.submit(shJob("exit 0"));
    startBatchingWorker(1, Duration.ofMillis(50));

    awaitStatus(server.task(id), "SUCCEEDED");

    assertThat(requestsTo("/api/v1/leases/reports"))
        .containsExactly(
            "POST /api/v1/leases/reports 503",
            "POST /api/v1/leases/reports 503",
            "POST /api/v1/leases/reports 200");
  }

  @Test
  void aStopInABatchedHeartbeatAnswerTerminatesTheChildAndIsAcknowledgedInABatch() {
    Path pidFile = dir.resolve("pid");
    String id = server.submit(shJob("echo $$ > " + pidFile + "; exec sleep 60"));
    startBatchingWorker(1, Duration.ofMillis(100));
    long pid = awaitPid(pidFile);

    server.requestStop(id, "immediate", Instant.now());

    awaitStatus(server.task(id), "STOPPED");
    await().atMost(Duration.ofSeconds(10)).until(() -> !alive(pid));
    assertThat(server.task(id).requests).contains("heartbeat", "stopped");
    assertThat(requestsTo("/stopped")).isEmpty();
  }

  @Test
  void aServerWithoutBatchReportsGetsSingleLeaseCalls() {
    server.withoutBatchEndpoint();
    String id = server.submit(shJob("echo '##jobplane progress=10'; exit 0"));
    startBatchingWorker(1, Duration.ofMillis(50));

    awaitStatus(server.task(id), "SUCCEEDED");

    assertThat(requestsTo("/api/v1/leases/reports"))
        .containsExactly("POST /api/v1/leases/reports 404");
    assertThat(requestsTo("/complete")).hasSize(1);
  }

  @Test
  void reportIntervalZeroSendsEachReportAtOnceWithItsOwnCall() {
    String id = server.submit(shJob("exit 0"));
    startBatchingWorker(1, Duration.ZERO);

    awaitStatus(server.task(id), "SUCCEEDED");

    assertThat(requestsTo("/api/v1/leases/reports")).isEmpty();
    assertThat(requestsTo("/complete")).hasSize(1);
  }

  @Test
  void anIdleWorkerWaitsAtTheServerWithOneClaimAndStartsASubmittedJobAtOnce() {
    server.longPoll();
    startWorker(2);
    await().atMost(TIMEOUT).until(() -> server.claims.size() == 1);
    assertThat(server.claims.get(0).path("wait_seconds").asInt()).isEqualTo(30);
    assertThat(server.claims.get(0).path("max_tasks").asInt()).isEqualTo(2);

    // idle: the one claim waits, no other is sent
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> server.claims.size() == 1);
    long submitted = System.nanoTime();
    String id = server.submit(shJob("exit 0"));

    awaitStatus(server.task(id), "SUCCEEDED");
    assertThat(Duration.ofNanos(System.nanoTime() - submitted)).isLessThan(Duration.ofSeconds(5));
    assertThat(server.claims.get(0).path("worker_id").asText()).isEqualTo("test-worker");
  }

  @Test
  void aWorkerClosedWhileItsClaimWaitsStopsAtOnceAndEndsTheClaimAtTheServer() {
    server.longPoll();
    startWorker(1);
    await().atMost(TIMEOUT).until(() -> server.claims.size() == 1);

    long closing = System.nanoTime();
    worker.close();

    assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(3));
    assertThat(server.claims).hasSize(1);
    // and tells the server, so that no job is leased to the claim it abandoned
    assertThat(server.released).containsExactly("worker_id=test-worker");
  }

  @Test
  void aServerThatAnswersEmptyClaimsAtOnceIsAskedAgainOnlyAfterThePollInterval() {
    startWorker(1); // the fake ignores wait_seconds, like a server without long-polling

    await().atMost(TIMEOUT).until(() -> server.claims.size() >= 2);
    int before = server.claims.size();
    await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);

    // the poll interval is 50 ms: about 10 claims in 500 ms, not a busy loop
    assertThat(server.claims.size() - before).isLessThan(25);
  }

  // ---- job processes (issue 12): environment, lost leases, stop latency, lease tokens ----

  /** Names of the variables a job printed with {@code env}, one per log line. */
  private static List<String> printedNames(FakeTask task) {
    return task.logMessages().stream()
        .filter(l -> l.contains("="))
        .map(l -> l.substring(0, l.indexOf('=')))
        .toList();
  }

  /** What sh itself adds to the environment it was given. */
  private static final List<String> SHELL_OWN = List.of("PWD", "OLDPWD", "SHLVL", "_");

  @Test
  void aJobsProcessGetsNothingOfTheWorkersEnvironmentButPathHomeLangAndTz() {
    String id = server.submit(shJob("env; echo end-of-env"));
    startWorker(1); // the test JVM's whole environment is the worker's

    FakeTask task = awaitStatus(server.task(id), "SUCCEEDED");

    await().atMost(TIMEOUT).until(() -> task.logMessages().contains("end-of-env"));
    assertThat(printedNames(task))
        .as(task.logMessages().toString())
        .allMatch(
            n ->
                List.of("PATH", "HOME", "LANG", "TZ").contains(n)
                    || n.startsWith("JOBPLANE_")
                    || SHELL_OWN.contains(n))
        .contains("PATH", "JOBPLANE_JOB_ID");
  }

  @Test
  void aJobSeesNoWorkerVariableNorTheWorkersTokenOnlyTheAllowListItsEnvAndPassEnv() {
    String id =
        server.submit(
            "{\"name\":\"env\",\"env\":{\"GREETING\":\"hello\"},"
                + "\"command\":[\"sh\",\"-c\",\"env; echo end-of-env\"]}");
    ChildEnvironment children =
        ChildEnvironment.of(
            java.util.Map.of(
                "PATH", System.getenv("PATH"),
                "HOME", "/home/worker",
                "WORKER_SECRET", "s3cret-of-the-worker",
                "JOBPLANE_TOKEN", FakeJobplaneServer.TOKEN,
                "SHARED_CACHE", "/var/cache/jobs"),
            List.of("SHARED_CACHE"));
    startWorker(settings(1, Duration.ofSeconds(5)).withChildEnvironment(children));

    FakeTask task = awaitStatus(server.task(id), "SUCCEEDED");

    await().atMost(TIMEOUT).until(() -> task.logMessages().contains("end-of-env"));
    assertThat(String.join("\n", task.logMessages()))
        .doesNotContain("s3cret-of-the-worker")
        .doesNotContain(FakeJobplaneServer.TOKEN)
        .contains("GREETING=hello", "SHARED_CACHE=/var/cache/jobs", "HOME=/home/worker");
    assertThat(printedNames(task)).doesNotContain("WORKER_SECRET", "JOBPLANE_TOKEN");
  }

  @Test
  void aDeletedJobsChildAndGrandchildAreStoppedWithinSecondsThoughHeartbeatsAreRare() {
    Path pidFile = dir.resolve("pid");
    Path grandchildPidFile = dir.resolve("grandchild");
    String id =
        server.submit(
            shJob(
                "echo $$ > "
                    + pidFile
                    + "; sh -c 'echo $$ > "
                    + grandchildPidFile
                    + "; exec sleep 300' & wait"));
    // full heartbeats every 10 s, as a 30 s lease has them
    startWorker(
        settings(1, Duration.ofSeconds(5), Duration.ofSeconds(10))
            .withReportInterval(Duration.ofMillis(100)));
    long pid = awaitPid(pidFile);
    long grandchild = awaitPid(grandchildPidFile);

    long deleted = System.nanoTime();
    server.delete(id); // its reports are 404 from now on

    await().atMost(Duration.ofSeconds(5)).until(() -> !alive(pid) && !alive(grandchild));
    assertThat(Duration.ofNanos(System.nanoTime() - deleted)).isLessThan(Duration.ofSeconds(5));
    await().atMost(TIMEOUT).until(() -> worker.running() == 0);
  }

  @Test
  void aLeaseRevokedWhileTheChildIgnoresSigtermEndsWithSigkill() {
    Path pidFile = dir.resolve("pid");
    String id =
        server.submit(
            shJob("trap '' TERM; echo $$ > " + pidFile + "; while true; do sleep 0.1; done"));
    startWorker(1);
    long pid = awaitPid(pidFile);

    server.revokeOnNextHeartbeat(id);

    await().atMost(Duration.ofSeconds(10)).until(() -> !alive(pid));
    assertThat(server.task(id).status).isEqualTo("REVOKED");
  }

  @Test
  void aGracefulStopReachesTheChildWithinTwoSecondsAndLightHeartbeatsCarryNoTelemetry() {
    Path marker = dir.resolve("trapped");
    String id =
        server.submit(
            shJob(
                "trap 'touch "
                    + marker
                    + "; exit 0' TERM; echo '##jobplane progress=50';"
                    + " echo '##jobplane message busy'; echo ready;"
                    + " while true; do sleep 0.1; done"));
    startWorker(settings(1, Duration.ofSeconds(5), Duration.ofSeconds(10)));
    await().atMost(TIMEOUT).until(() -> server.task(id).logMessages().contains("ready"));
    await().atMost(TIMEOUT).until(() -> !server.task(id).heartbeats.isEmpty());

    long asked = System.nanoTime();
    server.requestStop(id, "graceful", Instant.now().plusSeconds(30));

    await().atMost(Duration.ofSeconds(2)).until(() -> Files.exists(marker));
    assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(2));
    FakeTask task = awaitStatus(server.task(id), "STOPPED");
    // the light heartbeats said nothing; the child's progress went once, just before `stopped`
    assertThat(task.heartbeats.subList(0, task.heartbeats.size() - 1))
        .allMatch(h -> !h.has("progress") && !h.has("message"));
    assertThat(task.heartbeats.get(task.heartbeats.size() - 1).path("progress").asInt())
        .isEqualTo(50);
  }

  @Test
  void aJobsTimeoutStopsItsChildAtTheDeadlineEvenWhenTheServerDoesNot() {
    Path pidFile = dir.resolve("pid");
    String id =
        server.submit(
            "{\"name\":\"slow\",\"timeout_seconds\":1,\"command\":[\"sh\",\"-c\","
                + quote("echo $$ > " + pidFile + "; exec sleep 60")
                + "]}");
    startWorker(1);
    long pid = awaitPid(pidFile);

    FakeTask task = awaitStatus(server.task(id), "FAILED");

    assertThat(alive(pid)).isFalse();
    assertThat(task.failure.path("reason").asText()).isEqualTo("TIMEOUT");
    assertThat(task.failure.path("retryable").asBoolean()).isFalse();
  }

  @Test
  void everyReportOfALeaseCarriesTheLeaseTokenItsClaimHandedOut() {
    String id =
        server.submit(
            shJob(
                "echo line; echo '##jobplane progress=40';"
                    + " echo '##jobplane checkpoint id=chk-1 location=s3://x';"
                    + " echo '##jobplane output {\"rows\":1}'; sleep 0.5"));
    startWorker(1); // lease by lease: heartbeat, logs, checkpoints, output, complete

    FakeTask task = awaitStatus(server.task(id), "SUCCEEDED");

    assertThat(task.requests).contains("heartbeat", "logs", "checkpoints", "output", "complete");
    assertThat(server.requests().stream().filter(r -> r.contains(id)))
        .as("the fake refuses (409) a report without the lease's token")
        .allMatch(r -> r.endsWith(" 200"));
    assertThat(task.heartbeats)
        .allMatch(h -> h.path("lease_token").asText().equals(task.leaseToken));
  }

  @Test
  void batchedReportsCarryTheLeaseTokenToo() {
    String id = server.submit(shJob("echo '##jobplane progress=40'; sleep 0.5"));
    startBatchingWorker(1, Duration.ofMillis(50));

    FakeTask task = awaitStatus(server.task(id), "SUCCEEDED");

    assertThat(requestsTo("/complete")).isEmpty();
    assertThat(task.requests).contains("heartbeat", "complete");
    assertThat(task.heartbeats).isNotEmpty();
  }

  @Test
  void aServerWithoutLeaseTokensGetsReportsWithoutThem() {
    server.withoutLeaseTokens(); // and answers 400 to a report that carries one
    String id = server.submit(shJob("echo line; echo '##jobplane progress=40'; sleep 0.5"));
    startWorker(1);

    awaitStatus(server.task(id), "SUCCEEDED");

    assertThat(server.requests().stream().filter(r -> r.contains(id)))
        .allMatch(r -> r.endsWith(" 200"));
  }

  @Test
  void withRunAsAJobRunsAsThatUserAndReadsNeitherTheWorkersTokenFileNorItsEnvironment()
      throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "--run-as needs a worker running as root");
    Path tokenFile = dir.resolve("worker.token");
    Files.writeString(tokenFile, FakeJobplaneServer.TOKEN);
    Files.setPosixFilePermissions(
        tokenFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    RunAs nobody = RunAs.resolve("nobody");
    String id =
        server.submit(
            shJob(
                "echo uid=$(id -u); echo home=$HOME; cat "
                    + tokenFile
                    + " || echo token-unreadable; cat /proc/$PPID/environ || echo environ-unreadable"));
    startWorker(settings(1, Duration.ofSeconds(5)).withRunAs(nobody));

    FakeTask task = awaitStatus(server.task(id), "SUCCEEDED");

    await().atMost(TIMEOUT).until(() -> task.logMessages().contains("environ-unreadable"));
    assertThat(task.logMessages())
        .contains("uid=" + nobody.uid(), "home=" + nobody.home(), "token-unreadable");
    assertThat(String.join("\n", task.logMessages())).doesNotContain(FakeJobplaneServer.TOKEN);
  }

  @Test
  void a404ThatIsNotTheServersNotFoundProblemDoesNotStopTheChild() {
    // a proxy or a server without the route answers 404 too; running jobs must survive it
    server.answerNext("/heartbeat", 3, 404);
    String id = server.submit(shJob("sleep 1.5; echo done"));
    startWorker(1);

    FakeTask task = awaitStatus(server.task(id), "SUCCEEDED");

    assertThat(requestsTo("/heartbeat"))
        .contains("POST /api/v1/leases/" + id + "/tasks/0/heartbeat 404");
    assertThat(task.logMessages()).contains("done");
  }

  @Test
  void aDeletedJobsChildIsStoppedAlsoWhenReportingLeaseByLease() {
    Path pidFile = dir.resolve("pid");
    String id = server.submit(shJob("echo $$ > " + pidFile + "; exec sleep 60"));
    startWorker(1); // --report-interval-ms 0: the single heartbeat call answers the 404
    long pid = awaitPid(pidFile);

    server.delete(id);

    await().atMost(Duration.ofSeconds(5)).until(() -> !alive(pid));
    assertThat(requestsTo("/heartbeat")).last().asString().endsWith(" 404");
    await().atMost(TIMEOUT).until(() -> worker.running() == 0);
  }
}
