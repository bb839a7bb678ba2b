package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.application.security.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a job's process gets and how long it lives (issue 12, "Job processes"), with a real server
 * and real {@code jobplane worker} processes: no worker secret in its environment, and a stop, a
 * force stop or a delete reaches it within seconds although the worker's lease is 30 s long.
 */
class JobProcessesE2EIT {

  private static final String WORKER_SECRET = "worker-only-secret-4f1c";

  @TempDir static Path dir;
  @TempDir Path scratch;
  static JobplaneProcess server;
  static Tokens tokens;
  static Api admin;
  private final List<Process> workers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    tokens = new Tokens().add("admin", Role.ADMIN).add("team-worker", Role.WORKER, "team-a");
    Path tokensFile = tokens.write(dir.resolve("tokens"));
    server =
        JobplaneProcess.start(
            dir.resolve("data"),
            "--tokens-file",
            tokensFile.toString(),
            "--sweep-interval-ms",
            "200");
    admin = new Api(server.baseUrl(), tokens.token("admin"));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @AfterEach
  void stopWorkers() throws Exception {
    for (Process w : workers) {
      w.toHandle().destroyForcibly();
      w.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * A worker as the README recommends it: a worker token limited to its project, here given in
   * {@code JOBPLANE_TOKEN} (no token file), with variables of its own next to it.
   */
  private Path workerWithTokenInEnvironment(String queue, String... args) throws IOException {
    return worker(
        Map.of(
            "JOBPLANE_TOKEN",
            tokens.token("team-worker"),
            "WORKER_SECRET",
            WORKER_SECRET,
            "SHARED_CACHE",
            "/var/cache/team-a"),
        queue,
        args);
  }

  /** The same worker reading its token from a file, the way workers started before issue 12. */
  private Path workerWithTokenFile(String queue, String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("--token-file", tokenFile().toString()));
    all.addAll(List.of(args));
    return worker(Map.of("WORKER_SECRET", WORKER_SECRET), queue, all.toArray(String[]::new));
  }

  private static Path tokenFile() {
    return dir.resolve("tokens").resolve("team-worker.token");
  }

  private Path worker(Map<String, String> env, String queue, String... args) throws IOException {
    Path log = scratch.resolve("worker-" + workers.size() + ".log");
    List<String> all = new ArrayList<>(List.of("--queue", queue));
    all.addAll(List.of(args));
    workers.add(
        JobplaneProcess.startWorker(server.baseUrl(), env, log, all.toArray(String[]::new)));
    return log;
  }

  private static String submit(String queue, String script) throws Exception {
    String body =
        "{\"name\":\"processes\",\"type\":\"shell\",\"project\":\"team-a\",\"queue\":\""
            + queue
            + "\",\"env\":{\"GREETING\":\"hello\"},\"command\":[\"sh\",\"-c\","
            + Api.JSON.writeValueAsString(script)
            + "]}";
    Api.Response r = admin.post("/api/v1/jobs", body);
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().get("id").asText();
  }

  private static String status(String id) throws Exception {
    return admin.get("/api/v1/jobs/" + id).body().get("status").asText();
  }

  private static List<String> logLines(String id) throws Exception {
    List<String> lines = new ArrayList<>();
    JsonNode data = admin.get("/api/v1/jobs/" + id + "/logs?limit=1000").body().get("data");
    data.forEach(l -> lines.add(l.get("message").asText()));
    return lines;
  }

  private static long pid(Path file) throws IOException {
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(file) && Files.size(file) > 0);
    return Long.parseLong(Files.readString(file).strip());
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void aJobThatPrintsItsEnvironmentShowsNoWorkerTokenAndNoWorkerVariable() throws Exception {
    Path workerLog = workerWithTokenInEnvironment("env-print", "--pass-env", "SHARED_CACHE");
    String id = submit("env-print", "env; echo end-of-env");

    await().atMost(Duration.ofSeconds(60)).until(() -> status(id).equals("SUCCEEDED"));
    await().atMost(Duration.ofSeconds(10)).until(() -> logLines(id).contains("end-of-env"));

    String printed = String.join("\n", logLines(id));
    assertThat(printed)
        .doesNotContain(tokens.token("team-worker"))
        .doesNotContain(WORKER_SECRET)
        .doesNotContain("JOBPLANE_TOKEN")
        .contains("GREETING=hello", "SHARED_CACHE=/var/cache/team-a", "JOBPLANE_JOB_ID=" + id);
    // nothing of the worker's environment (the test JVM's, plus its own variables) but the
    // allow-list: every printed name is PATH, HOME, LANG, TZ, --pass-env, the job's or ours
    List<String> names =
        logLines(id).stream()
            .filter(l -> l.contains("="))
            .map(l -> l.substring(0, l.indexOf('=')))
            .toList();
    assertThat(names)
        .allMatch(
            n ->
                List.of("PATH", "HOME", "LANG", "TZ", "SHARED_CACHE", "GREETING").contains(n)
                    || n.startsWith("JOBPLANE_")
                    || List.of("PWD", "OLDPWD", "SHLVL", "_").contains(n),
            "an allowed name");
    assertThat(Files.readString(workerLog)).doesNotContain(tokens.token("team-worker"));
  }

  @Test
  void theForceStoppedThenDeletedJobsChildAndGrandchildAreDeadWithinFiveSeconds() throws Exception {
    workerWithTokenFile("orphans");
    Path child = scratch.resolve("child.pid");
    Path grandchild = scratch.resolve("grandchild.pid");
    String id =
        submit(
            "orphans",
            "echo $$ > " + child + "; sh -c 'echo $$ > " + grandchild + "; exec sleep 300' & wait");
    long childPid = pid(child);
    long grandchildPid = pid(grandchild);
    await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals("RUNNING"));

    // a force stop ends the job at once (200, STOPPED): the lease is revoked, the child runs on
    assertThat(admin.post("/api/v1/jobs/" + id + "/stop", "{\"mode\":\"force\"}").status())
        .isEqualTo(200);
    assertThat(status(id)).isEqualTo("STOPPED");
    long deleted = System.nanoTime();
    assertThat(admin.delete("/api/v1/jobs/" + id).status()).isEqualTo(204);

    await().atMost(Duration.ofSeconds(5)).until(() -> !alive(childPid) && !alive(grandchildPid));
    assertThat(Duration.ofNanos(System.nanoTime() - deleted)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aGracefulStopReachesTheChildWithinTwoSecondsThoughTheLeaseIs30Seconds() throws Exception {
    workerWithTokenFile("graceful", "--lease-seconds", "30");
    Path started = scratch.resolve("started");
    Path trapped = scratch.resolve("trapped");
    String id =
        submit(
            "graceful",
            "trap 'touch "
                + trapped
                + "; exit 0' TERM; touch "
                + started
                + "; while true; do sleep 0.1; done");
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(started));
    await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals("RUNNING"));

    long asked = System.nanoTime();
    Api.Response stop =
        admin.post(
            "/api/v1/jobs/" + id + "/stop", "{\"mode\":\"graceful\",\"timeout_seconds\":30}");
    assertThat(stop.status()).isEqualTo(202);

    await().atMost(Duration.ofSeconds(2)).until(() -> Files.exists(trapped));
    assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(2));
    await().atMost(Duration.ofSeconds(10)).until(() -> status(id).equals("STOPPED"));
  }

  @Test
  void aJobRunAsAnotherUserCannotReadTheWorkersEnvironmentThroughProc() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "--run-as needs a worker running as root");
    workerWithTokenInEnvironment("run-as", "--run-as", "nobody");
    // as the worker's own user this prints the worker's whole environment, token included
    String id =
        submit(
            "run-as",
            "echo uid=$(id -u); tr '\\0' '\\n' < /proc/$PPID/environ || echo environ-unreadable");

    await().atMost(Duration.ofSeconds(60)).until(() -> status(id).equals("SUCCEEDED"));
    await().atMost(Duration.ofSeconds(10)).until(() -> logLines(id).contains("environ-unreadable"));

    assertThat(logLines(id)).doesNotContain("uid=0");
    assertThat(String.join("\n", logLines(id)))
        .doesNotContain(tokens.token("team-worker"))
        .doesNotContain(WORKER_SECRET);
  }
}
