package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.application.security.Role;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client commands as a user types them (issue 13): {@code jobplane submit --watch}, {@code
 * wait}, {@code logs -f}, {@code list -o json} and the one-line errors, each a separate {@code
 * jobplane} process against a real server and a real {@code jobplane worker}.
 */
class ClientCliE2EIT {

  private static final Path HELLO = Path.of("..", "examples", "hello.yaml").toAbsolutePath();

  @TempDir static Path dir;
  static JobplaneProcess server;
  static Tokens tokens;
  static Process worker;

  @BeforeAll
  static void start() throws Exception {
    tokens = new Tokens().add("admin", Role.ADMIN).add("cli-worker", Role.WORKER, "default");
    Path tokensFile = tokens.write(dir.resolve("tokens"));
    server = JobplaneProcess.start(dir.resolve("data"), "--tokens-file", tokensFile.toString());
    worker =
        JobplaneProcess.startWorker(
            server.baseUrl(),
            dir.resolve("tokens").resolve("cli-worker.token"),
            dir.resolve("worker.log"));
  }

  @AfterAll
  static void stop() throws Exception {
    worker.toHandle().destroyForcibly();
    worker.waitFor(10, TimeUnit.SECONDS);
    server.close();
  }

  record Run(int exitCode, List<String> out, List<String> err) {}

  private static Map<String, String> asAdmin() {
    return Map.of("JOBPLANE_SERVER", server.baseUrl(), "JOBPLANE_TOKEN", tokens.token("admin"));
  }

  private static ProcessBuilder jobplane(Map<String, String> env, String... args) {
    List<String> command = JobplaneProcess.cli("-Xmx128m", args[0]);
    command.addAll(List.of(args).subList(1, args.length));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().remove("JOBPLANE_SERVER");
    builder.environment().remove("JOBPLANE_TOKEN");
    // a user's own contexts must not leak into the test, nor the test's into theirs
    builder.environment().put("JOBPLANE_CONFIG", dir.resolve("config.yaml").toString());
    builder.environment().putAll(env);
    return builder;
  }

  private static Run run(Map<String, String> env, String... args) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p =
        jobplane(env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("jobplane %s finished", List.of(args)).isTrue();
    return new Run(p.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
  }

  private static String submit(Path file) throws Exception {
    Run r = run(asAdmin(), "submit", "-f", file.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r.out().get(0).strip();
  }

  private static String status(String id) throws Exception {
    return new Api(server.baseUrl(), tokens.token("admin"))
        .get("/api/v1/jobs/" + id)
        .body()
        .get("status")
        .asText();
  }

  private static Path jobFile(String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }

  /** One line on stderr, naming the problem, with no Java stack trace. */
  private static void assertOneLineError(Run r, int exitCode, String mentions) {
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(exitCode);
    assertThat(r.err()).as(r.toString()).hasSize(1);
    assertThat(r.err().get(0)).contains(mentions).doesNotContain("Exception", "\tat ");
  }

  @Test
  void aJobFileWithoutACommandSubmitsAJobForWorkersThatGoByItsType() throws Exception {
    Path file = jobFile("typed.yaml", "name: typed report\ntype: report\nqueue: reports\n");

    String id = submit(file);

    assertThat(status(id)).isEqualTo("QUEUED");
  }

  @Test
  void submitWatchFollowsTheExampleJobToSuccessAndShowsItsFinalProgress() throws Exception {
    Run r = run(asAdmin(), "submit", "-f", HELLO.toString(), "--watch");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).anyMatch(l -> l.contains("100%") && l.contains("SUCCEEDED"));
    assertThat(r.out().get(r.out().size() - 1)).endsWith("SUCCEEDED");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void graphSubmitWatchFollowsTheExampleGraphNodeByNodeAndGraphGetShowsIt() throws Exception {
    Path example = Path.of("..", "examples", "etl-graph.yaml").toAbsolutePath();
    Run r = run(asAdmin(), "graph", "submit", "-f", example.toString(), "--watch");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    String id = r.out().get(0).replace("submitted ", "").strip();
    assertThat(r.out()).contains("extract SUCCEEDED", "load SUCCEEDED", "report SUCCEEDED");
    assertThat(r.out().indexOf("extract SUCCEEDED")).isLessThan(r.out().indexOf("load SUCCEEDED"));
    assertThat(r.out().get(r.out().size() - 1)).isEqualTo(id + " SUCCEEDED");

    Run get = run(asAdmin(), "graph", "get", id, "-o", "json");
    assertThat(get.exitCode()).as(get.toString()).isZero();
    assertThat(String.join("\n", get.out())).contains("\"status\" : \"SUCCEEDED\"", "enrich");
  }

  @Test
  void graphSubmitOfACycleIsOneLineNamingIt() throws Exception {
    Path cyclic =
        jobFile(
            "cyclic.yaml",
            "nodes:\n"
                + "  - {name: a, depends_on: [b], job: {name: a, type: shell}}\n"
                + "  - {name: b, depends_on: [a], job: {name: b, type: shell}}\n");
    assertOneLineError(
        run(asAdmin(), "graph", "submit", "-f", cyclic.toString()), 6, "a -> b -> a");
  }

  @Test
  void waitForFinishedOnAFailingJobExitsWithTheJobFailedCode() throws Exception {
    String id =
        submit(
            jobFile(
                "failing.yaml",
                "name: failing\ntype: shell\nmax_attempts: 1\ncommand: [sh, -c, 'echo no; exit 3']\n"));

    Run r = run(asAdmin(), "wait", id, "--for=finished", "--timeout", "2m");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(10);
    assertThat(r.out()).containsExactly(id + " FAILED");
  }

  @Test
  void waitGivesUpWithItsOwnCodeWhenTheTimeoutPassesFirst() throws Exception {
    String id =
        submit(
            jobFile(
                "unserved.yaml",
                "name: unserved\ntype: shell\nqueue: no-worker-here\ncommand: ['true']\n"));

    Run r = run(asAdmin(), "wait", id, "--for=succeeded", "--timeout", "2s");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(13);
  }

  @Test
  void logsFollowPrintsEachLineWhileTheJobIsStillRunning() throws Exception {
    // the job writes its second line only when the test says so: a line the client prints before
    // that was followed live, not read once the job had finished
    Path go = dir.resolve("go");
    String id =
        submit(
            jobFile(
                "slow.yaml",
                "name: slow\ntype: shell\nmax_attempts: 1\ncommand: [sh, -c, 'echo first-line;"
                    + " while [ ! -f "
                    + go
                    + " ]; do sleep 0.2; done; echo last-line']\n"));
    Process follow = jobplane(asAdmin(), "logs", "-f", id).start();
    List<String> lines = new ArrayList<>();
    Thread reader = readLines(follow, lines);

    await().atMost(Duration.ofSeconds(60)).until(() -> snapshot(lines).contains("first-line"));
    assertThat(status(id)).isEqualTo("RUNNING");
    assertThat(follow.isAlive()).isTrue();
    Files.createFile(go);

    await().atMost(Duration.ofSeconds(60)).until(() -> snapshot(lines).contains("last-line"));
    assertThat(follow.waitFor(60, TimeUnit.SECONDS)).isTrue();
    reader.join(5_000);
    assertThat(follow.exitValue()).isZero();
    assertThat(snapshot(lines)).containsExactly("first-line", "last-line");
  }

  /** Collects the process's stdout, line by line, as it prints them. */
  private static Thread readLines(Process process, List<String> lines) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  synchronized (lines) {
                    lines.add(line);
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
            });
    reader.start();
    return reader;
  }

  @Test
  void listWatchPrintsALineEachTimeAListedJobChanges() throws Exception {
    Process watch = jobplane(asAdmin(), "list", "-w", "--queue", "watched").start();
    List<String> lines = new ArrayList<>();
    Thread reader = readLines(watch, lines);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> snapshot(lines).stream().anyMatch(l -> l.startsWith("ID ")));

      // no worker serves this queue: the job stays QUEUED until the test stops it
      String id =
          submit(
              jobFile(
                  "watched.yaml",
                  "name: watched\ntype: shell\nqueue: watched\ncommand: ['true']\n"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  snapshot(lines).stream().anyMatch(l -> l.startsWith(id) && l.contains("QUEUED")));
      Api.Response stop =
          new Api(server.baseUrl(), tokens.token("admin"))
              .post("/api/v1/jobs/" + id + "/stop", "{}");
      assertThat(stop.status()).as(stop.raw()).isIn(200, 202);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  snapshot(lines).stream()
                      .anyMatch(l -> l.startsWith(id) && l.contains("STOPPED")));

      List<String> header = List.of(snapshot(lines).get(0).split(" +"));
      assertThat(header).startsWith("ID", "NAME", "STATUS");
      String stopped =
          snapshot(lines).stream()
              .filter(l -> l.startsWith(id) && l.contains("STOPPED"))
              .findFirst()
              .orElseThrow();
      assertThat(stopped.indexOf("STOPPED"))
          .as("a later row lines up under the header it was printed with")
          .isEqualTo(snapshot(lines).get(0).indexOf("STATUS"));
      assertThat(watch.isAlive()).as("-w keeps watching until interrupted").isTrue();
    } finally {
      watch.destroy();
      watch.waitFor(10, TimeUnit.SECONDS);
      reader.join(5_000);
    }
  }

  private static List<String> snapshot(List<String> lines) {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  @Test
  void listWideShowsEachJobsTasksAndItemsFromTheExpandedList() throws Exception {
    String id =
        submit(
            jobFile(
                "wide.yaml",
                "name: wide\ntype: shell\nqueue: wide-only\nparallelism: 3\ncommand: ['true']\n"));

    Run r = run(asAdmin(), "list", "--queue", "wide-only", "-o", "wide");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out().get(0)).contains("TASKS", "ITEMS", "LABELS");
    String row = r.out().stream().filter(l -> l.startsWith(id)).findFirst().orElseThrow();
    // no worker serves the queue: none of its 3 tasks has finished
    assertThat(row.split("\\s+")).contains("0/3");
  }

  @Test
  void listAsJsonIsTheApiPageAndParses() throws Exception {
    String id =
        submit(
            jobFile(
                "listed.yaml", "name: listed\ntype: shell\nqueue: list-only\ncommand: ['true']\n"));

    Run r = run(asAdmin(), "list", "--queue", "list-only", "-o", "json");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode page = Api.JSON.readTree(String.join("\n", r.out()));
    assertThat(page.get("items")).hasSize(1);
    assertThat(page.at("/items/0/id").asText()).isEqualTo(id);
    assertThat(page.at("/items/0/status").asText()).isEqualTo("QUEUED");
  }

  @Test
  void anUnknownFlagIsOneLineAndTheUsageCode() throws Exception {
    assertOneLineError(run(asAdmin(), "list", "--bogus"), 2, "Unknown option: '--bogus'");
  }

  @Test
  void anUnknownFieldInTheJobFileIsOneLineAndNothingIsSubmitted() throws Exception {
    Path file = jobFile("typo.yaml", "name: typo\ntype: shell\ncomand: [echo, hi]\n");

    assertOneLineError(
        run(asAdmin(), "submit", "-f", file.toString()), 2, "unknown field 'comand'");
    JsonNode page =
        new Api(server.baseUrl(), tokens.token("admin")).get("/api/v1/jobs?search=typo").body();
    assertThat(page.get("items")).isEmpty();
  }

  @Test
  void aServerThatIsDownIsOneLineAndTheUnreachableCode() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Map<String, String> env = new HashMap<>(asAdmin());
    env.put("JOBPLANE_SERVER", "http://127.0.0.1:" + closed);

    assertOneLineError(
        run(env, "list"), 3, "cannot reach the server at http://127.0.0.1:" + closed);
  }

  @Test
  void aBadTokenIsOneLineAndTheUnauthorizedCodeAndIsNeverPrinted() throws Exception {
    String bad = "jpt_not-a-real-token-7d1e";
    Map<String, String> env = Map.of("JOBPLANE_SERVER", server.baseUrl(), "JOBPLANE_TOKEN", bad);

    Run r = run(env, "list");

    assertOneLineError(r, 4, "Unauthorized");
    assertThat(r.err().get(0)).doesNotContain(bad);
  }

  @Test
  void aTokenIssuedByTheCliWorksUntilTheCliRevokesIt() throws Exception {
    Run created = run(asAdmin(), "tokens", "create", "cli-viewer", "--role", "viewer");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.out()).as("the secret alone on stdout").hasSize(1);
    String secret = created.out().get(0);
    assertThat(created.err()).singleElement().asString().doesNotContain(secret);
    Map<String, String> asViewer =
        Map.of("JOBPLANE_SERVER", server.baseUrl(), "JOBPLANE_TOKEN", secret);
    assertThat(run(asViewer, "list").exitCode()).isZero();

    Run listed = run(asAdmin(), "tokens", "list", "-o", "json");
    assertThat(listed.exitCode()).as(listed.toString()).isZero();
    assertThat(String.join("\n", listed.out())).doesNotContain(secret);
    JsonNode token = null;
    for (JsonNode t : Api.JSON.readTree(String.join("\n", listed.out())).get("items")) {
      if (t.get("name").asText().equals("cli-viewer")) {
        token = t;
      }
    }
    assertThat(token).as(listed.toString()).isNotNull();
    assertThat(token.get("roles")).extracting(JsonNode::asText).containsExactly("viewer");

    Run revoked = run(asAdmin(), "tokens", "revoke", token.get("id").asText());
    assertThat(revoked.exitCode()).as(revoked.toString()).isZero();
    assertOneLineError(run(asViewer, "list"), 4, "Unauthorized");
  }
}
