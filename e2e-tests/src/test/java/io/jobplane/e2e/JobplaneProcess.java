package io.jobplane.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jobplane as users run it: {@code jobplane serve} in its own JVM, with the same class path as the
 * runnable jar, on a free port, against a data directory that outlives the process.
 */
final class JobplaneProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on http:\\S*?:(\\d+)");
  private static final Pattern EMBEDDED =
      Pattern.compile("Embedded PostgreSQL started on 127\\.0\\.0\\.1:(\\d+) with data in (\\S+)");

  /** Where a server's embedded PostgreSQL is, for a second server or a tool to share it. */
  record EmbeddedDatabase(String jdbcUrl, Path passwordFile) {

    /** The options that point {@code serve} (or a tool) at this database. */
    List<String> options() {
      return List.of(
          "--database-url",
          jdbcUrl,
          "--database-user",
          "jobplane",
          "--database-password-file",
          passwordFile.toString());
    }
  }

  private final Process process;
  private final int port;
  private final List<String> output;

  private Thread reader;

  private JobplaneProcess(Process process, int port, List<String> output) {
    this.process = process;
    this.port = port;
    this.output = output;
  }

  static JobplaneProcess start(Path dataDir, String... extraArgs) throws IOException {
    return start(dataDir, 0, extraArgs);
  }

  static JobplaneProcess start(Path dataDir, int listenPort, String... extraArgs)
      throws IOException {
    return start(dataDir, listenPort, java.util.Map.of(), extraArgs);
  }

  /** With extra environment variables, e.g. KUBECONFIG. */
  static JobplaneProcess start(
      Path dataDir, int listenPort, java.util.Map<String, String> env, String... extraArgs)
      throws IOException {
    List<String> command = cli("-Xmx256m", "serve");
    command.add("--host");
    command.add("127.0.0.1");
    command.add("--port");
    command.add(Integer.toString(listenPort));
    command.add("--data-dir");
    command.add(dataDir.toString());
    command.addAll(List.of(extraArgs));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  output.add(line);
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                  }
                }
              } catch (IOException e) {
                // the process is gone; the output so far is kept
              }
              port.completeExceptionally(
                  new IllegalStateException("jobplane exited before listening:\n" + output));
            },
            "jobplane-output");
    reader.setDaemon(true);
    reader.start();
    try {
      JobplaneProcess started =
          new JobplaneProcess(process, port.get(60, TimeUnit.SECONDS), output);
      started.reader = reader;
      return started;
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("jobplane did not start: " + String.join("\n", output), e);
    }
  }

  int port() {
    return port;
  }

  /** The embedded PostgreSQL this server started, as it logged it. */
  EmbeddedDatabase embeddedDatabase() {
    Matcher embedded =
        output().stream()
            .map(EMBEDDED::matcher)
            .filter(Matcher::find)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no embedded database in " + output()));
    return new EmbeddedDatabase(
        "jdbc:postgresql://127.0.0.1:" + embedded.group(1) + "/jobplane",
        Path.of(embedded.group(2)).resolve("jobplane.password"));
  }

  /** A second server on this one's database, as behind a load balancer. */
  JobplaneProcess replica(Path otherDataDir, String... extraArgs) throws IOException {
    List<String> args = new ArrayList<>(embeddedDatabase().options());
    args.addAll(List.of(extraArgs));
    return start(otherDataDir, args.toArray(String[]::new));
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  List<String> output() {
    return List.copyOf(output);
  }

  /** SIGKILL: no shutdown hook runs, exactly like a crash or an OOM kill. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: the clean shutdown path. Returns the exit code. */
  int terminate() throws InterruptedException {
    process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of stdout
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("jobplane did not stop within 60 s of SIGTERM");
    }
    reader.join(10_000);
    return process.exitValue();
  }

  /** {@code jobplane worker} as its own process; it needs no readiness, it polls for work. */
  static Process startWorker(String baseUrl, Path tokenFile, Path log, String... extraArgs)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("--token-file", tokenFile.toString()));
    args.addAll(List.of(extraArgs));
    return startWorker(baseUrl, java.util.Map.of(), log, args.toArray(String[]::new));
  }

  /**
   * {@code jobplane worker} with extra environment variables, e.g. its token in {@code
   * JOBPLANE_TOKEN} instead of {@code --token-file}.
   */
  static Process startWorker(
      String baseUrl, java.util.Map<String, String> env, Path log, String... extraArgs)
      throws IOException {
    List<String> command = cli("-Xmx128m", "worker");
    command.add("--server");
    command.add(baseUrl);
    command.add("--poll-interval-ms");
    command.add("200");
    command.addAll(List.of(extraArgs));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  /** The command line of {@code jobplane <subcommand>} on this test's classpath, to add to. */
  static List<String> cli(String maxHeap, String subcommand) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(maxHeap);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.jobplane.app.JobplaneCli");
    command.add(subcommand);
    return command;
  }

  static String adminToken(Path dataDir) throws IOException {
    return Files.readString(dataDir.resolve("admin.token")).strip();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      terminate();
    }
  }
}
