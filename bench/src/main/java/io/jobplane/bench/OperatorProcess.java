package io.jobplane.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@code jobplane operator} process, launched from the jar with its log in the work
 * directory, and what the benchmark observes of it from outside: readiness, liveness and memory.
 */
final class OperatorProcess implements AutoCloseable {

  // each poll lists every resource from the mock server: often enough, without stealing its CPU
  static final long POLL_MS = 500;

  private final Process process;
  private final Path log;
  private long peakRssKib;
  private long lastRssKib;

  private OperatorProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * @param heap the JVM's -Xmx, or none
   * @param jvmArgs more options for the JVM
   */
  static OperatorProcess start(
      Path jar,
      String heap,
      List<String> jvmArgs,
      String jdbcUrl,
      String databaseUser,
      Path kubeconfig,
      Path workDir)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of("java")));
    if (!"none".equals(heap)) {
      pb.command().add("-Xmx" + heap);
    }
    pb.command().addAll(jvmArgs);
    pb.command()
        .addAll(
            List.of(
                "-jar",
                jar.toString(),
                "operator",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--data-dir",
                workDir.resolve("data").toString(),
                "--database-url",
                jdbcUrl,
                "--database-user",
                databaseUser,
                "--kubernetes-server-side-apply",
                "false",
                "--api-url",
                "http://jobplane.example:8080"));
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.redirectErrorStream(true);
    Path log = workDir.resolve("operator.log");
    pb.redirectOutput(log.toFile());
    return new OperatorProcess(pb.start(), log);
  }

  long pid() {
    return process.pid();
  }

  /** The operator logs the port it bound; its /readyz says the informers have synced. */
  void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("operator exited: " + Files.readString(log));
      }
      Integer port = boundPort(Files.readString(log));
      if (port != null && ready(port)) {
        return;
      }
      Thread.sleep(POLL_MS);
    }
    throw new IllegalStateException("operator not ready: " + Files.readString(log));
  }

  private static Integer boundPort(String log) {
    Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)").matcher(log);
    return m.find() ? Integer.valueOf(m.group(1)) : null;
  }

  private static boolean ready(int port) {
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + port + "/readyz").toURL().openConnection();
      return c.getResponseCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** Polls until {@code done}, sampling the process's memory at each poll. */
  void await(BooleanSupplier done, long timeoutSeconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (!done.getAsBoolean()) {
      sampleMemory();
      if (!process.isAlive()) {
        throw new IllegalStateException("operator exited: " + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not done after " + timeoutSeconds + " s");
      }
      Thread.sleep(POLL_MS);
    }
    sampleMemory();
  }

  private void sampleMemory() throws IOException {
    ProcStatus status = ProcStatus.read(process.pid());
    peakRssKib = status.peakRssKib();
    lastRssKib = status.rssKib();
  }

  /** VmHWM, the kernel's own peak, at the last poll. */
  long peakRssKib() {
    return peakRssKib;
  }

  /** VmRSS at the last poll. */
  long lastRssKib() {
    return lastRssKib;
  }

  /** The JVM's own account of where the RSS goes: total and each area, committed KiB. */
  List<String> nativeMemory() throws Exception {
    Process jcmd =
        new ProcessBuilder("jcmd", Long.toString(process.pid()), "VM.native_memory", "summary")
            .redirectErrorStream(true)
            .start();
    String out = new String(jcmd.getInputStream().readAllBytes());
    jcmd.waitFor();
    Pattern area =
        Pattern.compile(
            "^[-\\s]*(Total|[A-Z][\\w ]+?):?\\s*\\(?reserved=\\d+KB, committed=(\\d+)KB");
    List<String> lines = new ArrayList<>();
    for (String line : out.split("\\R")) {
      Matcher m = area.matcher(line);
      if (m.find() && Long.parseLong(m.group(2)) >= 1024) {
        lines.add("  " + m.group(1).strip() + ": " + Long.parseLong(m.group(2)) / 1024 + " MiB");
      }
    }
    return lines;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
