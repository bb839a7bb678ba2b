package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server-side commands failing as a user meets them, in their own JVM: one line that says what
 * is wrong, a non-zero exit, no stack trace.
 */
class CommandLineErrorsE2EIT {

  @TempDir Path dir;

  /** What a finished command printed (stdout and stderr) and its exit code. */
  record Outcome(int exit, List<String> lines) {
    boolean hasStackTrace() {
      return lines.stream().anyMatch(l -> l.strip().startsWith("at ") || l.contains("Exception"));
    }
  }

  private static Outcome run(String subcommand, String... args) throws Exception {
    List<String> command = JobplaneProcess.cli("-Xmx128m", subcommand);
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (!line.isBlank()) {
          lines.add(line);
        }
      }
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("jobplane " + subcommand + " did not end: " + lines);
    }
    return new Outcome(process.exitValue(), lines);
  }

  @Test
  void serveOnAPortInUseSaysSoInOneLineBeforeTheDatabaseStarts() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();
      Path data = dir.resolve("data");

      Outcome outcome =
          run("serve", "--host", "127.0.0.1", "--port", "" + port, "--data-dir", data.toString());

      assertThat(outcome.exit()).isNotZero();
      assertThat(outcome.lines())
          .containsExactly("jobplane serve: port " + port + " is in use (use --port)");
      assertThat(outcome.hasStackTrace()).isFalse();
      assertThat(data.resolve("postgres")).as("no embedded database was started").doesNotExist();
    }
  }

  @Test
  void aWorkerWithAMissingTokenFileNamesTheFileInOneLine() throws Exception {
    Path missing = dir.resolve("worker.token");

    Outcome outcome =
        run("worker", "--server", "http://127.0.0.1:1", "--token-file", missing.toString());

    assertThat(outcome.exit()).isNotZero();
    assertThat(outcome.lines())
        .containsExactly("jobplane worker: --token-file " + missing + ": no such file");
  }

  @Test
  void debugShowsTheStackTraceToo() throws Exception {
    Outcome outcome =
        run(
            "worker",
            "--server",
            "http://127.0.0.1:1",
            "--token-file",
            dir.resolve("worker.token").toString(),
            "--debug");

    assertThat(outcome.exit()).isNotZero();
    assertThat(outcome.hasStackTrace()).isTrue();
  }

  @Test
  void versionPrintsTheProjectVersionAndTheGitCommit() throws Exception {
    Outcome outcome = run("--version");

    assertThat(outcome.exit()).isZero();
    assertThat(outcome.lines())
        .singleElement()
        .asString()
        .matches("jobplane \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?( \\(commit [0-9a-f]{7,}\\))?");
    if (Files.exists(Path.of("..", ".git"))) {
      assertThat(outcome.lines().get(0)).as("built in a git checkout").contains("(commit ");
    }
  }

  @Test
  void aWorkerPointedAtADeadServerSaysSoOncePerRetryWindow() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      port = probe.getLocalPort(); // closed again: nothing listens there
    }
    Path token = Files.writeString(dir.resolve("worker.token"), "jpt_not-checked-here");
    List<String> command = JobplaneProcess.cli("-Xmx128m", "worker");
    command.addAll(
        List.of("--server", "http://127.0.0.1:" + port, "--token-file", token.toString()));
    Path log = dir.resolve("worker.log");
    Process worker =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> unreachableLines(log) >= 1);
      // the first retry window lasts a minute, with a retry every few seconds at most: no
      // second line while it lasts
      await()
          .during(Duration.ofSeconds(5))
          .atMost(Duration.ofSeconds(10))
          .until(() -> unreachableLines(log) == 1);
    } finally {
      worker.destroyForcibly();
      worker.waitFor(30, TimeUnit.SECONDS);
    }

    List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
    assertThat(lines)
        .filteredOn(l -> l.contains("cannot reach"))
        .singleElement()
        .asString()
        .contains("cannot reach http://127.0.0.1:" + port + "/ (connection refused)")
        .contains("retrying for up to 60 s");
    assertThat(lines).noneMatch(l -> l.contains("Exception") || l.strip().startsWith("at "));
  }

  private static long unreachableLines(Path log) throws IOException {
    return Files.readAllLines(log).stream().filter(l -> l.contains("cannot reach")).count();
  }
}
