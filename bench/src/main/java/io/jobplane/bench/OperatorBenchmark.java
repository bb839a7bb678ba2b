package io.jobplane.bench;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How long the real operator process takes to bring N applied {@code Job} resources to one batch
 * Job each with status written, and then, once every batch Job is marked Complete (this process
 * plays the cluster's batch controller, as the e2e scenarios do), to bring them all to SUCCEEDED in
 * the resources and in the store. The API server is fabric8's mock server in CRUD mode, run in this
 * JVM so that the operator's whole-process memory is its own. Prints Markdown for
 * docs/benchmarks.md.
 */
@Command(name = "operator-benchmark", mixinStandardHelpOptions = true)
public final class OperatorBenchmark implements Callable<Integer> {

  private static final String NAMESPACE = "bench";
  // each poll lists every resource from the mock server: often enough, without stealing its CPU
  private static final long POLL_MS = 500;

  /**
   * The mock server logs every request through java.util.logging; at thousands of requests that
   * would cost the benchmark JVM more than serving them. Held here so the level sticks.
   */
  private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  @Option(names = "--jar", defaultValue = "app/target/jobplane.jar")
  Path jar;

  @Option(names = "--crd", defaultValue = "charts/jobplane/crds/jobs.jobplane.io-v1.yml")
  Path crd;

  /**
   * The operator watches JobSchedule resources too, so their CRD is installed as the chart does.
   */
  @Option(
      names = "--schedules-crd",
      defaultValue = "charts/jobplane/crds/jobschedules.jobplane.io-v1.yml")
  Path schedulesCrd;

  @Option(names = "--jdbc-url", required = true, description = "A fresh database for the operator.")
  String jdbcUrl;

  @Option(names = "--database-user", defaultValue = "postgres")
  String databaseUser;

  @Option(names = "--resources", defaultValue = "1000")
  int resources;

  @Option(
      names = "--heap",
      defaultValue = "256m",
      description = "The operator JVM's -Xmx; none: no -Xmx (the JVM or --jvm-arg decides).")
  String heap;

  @Option(
      names = "--apply-before-start",
      description =
          "Apply every resource before the operator starts, and time from its launch: what the"
              + " operator alone sustains, without waiting for the apply calls.")
  boolean applyBeforeStart;

  @Option(names = "--jvm-arg", description = "More options for the operator JVM.")
  List<String> jvmArgs = new ArrayList<>();

  @Option(names = "--timeout-seconds", defaultValue = "600")
  long timeoutSeconds;

  @Option(names = "--work-dir", required = true)
  Path workDir;

  private final String manifest = readManifest();

  public static void main(String[] args) {
    MOCK_LOG.setLevel(Level.WARNING);
    System.exit(new CommandLine(new OperatorBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    CountingDispatcher requests = new CountingDispatcher();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), requests, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    Process operator = null;
    try (KubernetesClient client =
        server.createClient(
            b ->
                b.withHttpClientFactory(new JdkHttpClientFactory())
                    .editOrNewConfig()
                    .withUserAgent(CountingDispatcher.BENCH_AGENT)
                    .endConfig())) {
      client.apiextensions().v1().customResourceDefinitions().load(crd.toFile()).create();
      client.apiextensions().v1().customResourceDefinitions().load(schedulesCrd.toFile()).create();
      Path kubeconfig = writeKubeconfig(server);
      double applied = 0;
      if (applyBeforeStart) {
        long a0 = System.nanoTime();
        apply(client);
        applied = seconds(a0);
      }
      long launched = System.nanoTime();
      operator = startOperator(kubeconfig);
      Cpu cpu = new Cpu(operator.pid());
      awaitOperatorReady(operator);
      double ready = seconds(launched);
      MemoryWatch memory = new MemoryWatch(operator.pid());
      if (!applyBeforeStart) {
        cpu.split(); // the phase starts now: the JVM's start-up is not part of it
        requests.clearCounts();
      }

      long t0 = applyBeforeStart ? launched : System.nanoTime();
      if (!applyBeforeStart) {
        apply(client);
        applied = seconds(t0);
      }
      await(operator, memory, () -> allQueuedWithOneBatchJob(client));
      Phase first = new Phase(seconds(t0), cpu.split(), requests.snapshotAndReset());
      int duplicates = duplicateBatchJobs(client);

      long t1 = System.nanoTime();
      completeAllBatchJobs(client);
      double marked = seconds(t1);
      await(operator, memory, () -> allSucceeded(client) && storeSucceeded() == resources);
      Phase second = new Phase(seconds(t1), cpu.split(), requests.snapshotAndReset());
      double total = seconds(t0);

      printPhases(applied, ready, first, marked, second);
      System.out.printf(
          "duplicate batch Jobs: %d; operator process (-Xmx%s%s): peak RSS (VmHWM) %d MiB,"
              + " end RSS (VmRSS) %d MiB%n",
          duplicates,
          heap,
          jvmArgs.isEmpty() ? "" : " " + String.join(" ", jvmArgs),
          memory.peakKib / 1024,
          memory.lastKib / 1024);
      System.out.println("operator API requests, first phase: " + first.requests());
      System.out.println("operator API requests, second phase: " + second.requests());
      printPerResource(first, second, total);
      if (jvmArgs.stream().anyMatch(a -> a.startsWith("-XX:NativeMemoryTracking"))) {
        System.out.println("operator native memory (jcmd VM.native_memory summary, committed):");
        nativeMemory(operator.pid()).forEach(System.out::println);
      }
      return 0;
    } finally {
      if (operator != null) {
        operator.destroy();
        if (!operator.waitFor(30, TimeUnit.SECONDS)) {
          operator.destroyForcibly();
        }
      }
      server.destroy();
    }
  }

  /** What the operator did between two marks: wall time, CPU, and its API requests. */
  private record Phase(double seconds, Cpu.Split cpu, Map<String, Long> requests) {
    long requestCount() {
      return requests.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private void printPhases(double applied, double ready, Phase first, double marked, Phase second) {
    System.out.printf(
        "| phase (%,d resources) | seconds | operator CPU s | mock server + benchmark CPU s"
            + " | operator API requests |%n",
        resources);
    System.out.println("|---|---:|---:|---:|---:|");
    System.out.printf(
        "| apply (create calls from the benchmark%s) | %.1f | | | |%n",
        applyBeforeStart ? ", before the operator starts" : ", while it runs", applied);
    System.out.printf("| operator launch → /readyz | %.1f | | | |%n", ready);
    printPhase(
        (applyBeforeStart ? "operator launch" : "first apply")
            + " → one batch Job each, status QUEUED written",
        first);
    System.out.printf(
        "| batch Jobs marked Complete (updateStatus calls from the benchmark) | %.1f | | | |%n",
        marked);
    printPhase("Complete → resources SUCCEEDED and store SUCCEEDED", second);
    System.out.println();
  }

  /**
   * The happy path per applied resource (apply -> run created -> succeeded -> status recorded): the
   * operator's requests of both phases over the number of resources, by kind.
   */
  private void printPerResource(Phase first, Phase second, double total) {
    Map<String, Long> all = new java.util.TreeMap<>(first.requests());
    second.requests().forEach((k, v) -> all.merge(k, v, Long::sum));
    all.keySet().removeIf(k -> k.contains("(watch)"));
    long count = all.values().stream().mapToLong(Long::longValue).sum();
    System.out.printf(
        "operator API requests per resource (watches left out): %.2f (first phase %.2f, second"
            + " phase %.2f)%n",
        count / (double) resources,
        (first.requestCount() - watches(first)) / (double) resources,
        (second.requestCount() - watches(second)) / (double) resources);
    all.forEach((k, v) -> System.out.printf("  %s: %.2f%n", k, v / (double) resources));
    System.out.printf(
        "time for %,d resources, apply to all SUCCEEDED in resources and store: %.1f s%n",
        resources, total);
  }

  private static long watches(Phase phase) {
    return phase.requests().entrySet().stream()
        .filter(e -> e.getKey().contains("(watch)"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private static void printPhase(String name, Phase phase) {
    System.out.printf(
        "| %s | %.1f | %.1f | %.1f | %d |%n",
        name,
        phase.seconds(),
        phase.cpu().operatorSeconds(),
        phase.cpu().selfSeconds(),
        phase.requestCount());
  }

  private Path writeKubeconfig(KubernetesMockServer server) throws Exception {
    Config config =
        new ConfigBuilder()
            .addNewCluster()
            .withName("mock")
            .withNewCluster()
            .withServer("http://" + server.getHostName() + ":" + server.getPort())
            .endCluster()
            .endCluster()
            .addNewUser()
            .withName("operator")
            .withNewUser()
            .withToken("not-checked-by-the-mock")
            .endUser()
            .endUser()
            .addNewContext()
            .withName("mock")
            .withNewContext()
            .withCluster("mock")
            .withUser("operator")
            .withNamespace("default")
            .endContext()
            .endContext()
            .withCurrentContext("mock")
            .build();
    Path kubeconfig = workDir.resolve("kubeconfig");
    Files.writeString(kubeconfig, Serialization.asYaml(config));
    return kubeconfig;
  }

  private Process startOperator(Path kubeconfig) throws Exception {
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
    pb.redirectOutput(workDir.resolve("operator.log").toFile());
    return pb.start();
  }

  /** The operator logs the port it bound; its /readyz says the informers have synced. */
  private void awaitOperatorReady(Process operator) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    Path log = workDir.resolve("operator.log");
    while (System.nanoTime() < deadline) {
      if (!operator.isAlive()) {
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

  private void apply(KubernetesClient client) throws Exception {
    parallel(
        resources,
        i -> client.resources(JobResource.class).resource(resource("bench-" + i)).create());
  }

  private boolean allQueuedWithOneBatchJob(KubernetesClient client) {
    List<JobResource> all =
        client.resources(JobResource.class).inNamespace(NAMESPACE).list().getItems();
    long queued =
        all.stream()
            .filter(r -> r.getStatus() != null)
            .filter(r -> r.getStatus().getPhase() == JobPhase.QUEUED)
            .filter(r -> r.getStatus().getBatchJob() != null)
            .count();
    return queued == resources
        && client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems().size() == resources;
  }

  private boolean allSucceeded(KubernetesClient client) {
    return client.resources(JobResource.class).inNamespace(NAMESPACE).list().getItems().stream()
            .filter(r -> r.getStatus() != null && r.getStatus().getPhase() == JobPhase.SUCCEEDED)
            .count()
        == resources;
  }

  private long storeSucceeded() {
    try (Connection c = DriverManager.getConnection(jdbcUrl + "?user=" + databaseUser);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT count(*) FROM jobs WHERE runtime = 'KUBERNETES' AND status = 'SUCCEEDED'")) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int duplicateBatchJobs(KubernetesClient client) {
    Map<String, Integer> perOwner = new HashMap<>();
    for (Job j : client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()) {
      for (OwnerReference o : j.getMetadata().getOwnerReferences()) {
        perOwner.merge(o.getUid(), 1, Integer::sum);
      }
    }
    return perOwner.values().stream().mapToInt(n -> n - 1).sum();
  }

  private void completeAllBatchJobs(KubernetesClient client) throws Exception {
    List<Job> batches = client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems();
    parallel(batches.size(), i -> complete(client, batches.get(i)));
  }

  /** What the batch controller would write; a conflict means the operator touched it: re-read. */
  private static void complete(KubernetesClient client, Job batch) {
    Job current = batch;
    for (int attempt = 0; ; attempt++) {
      current.setStatus(
          new JobStatusBuilder()
              .withSucceeded(1)
              .withConditions(
                  new JobConditionBuilder().withType("Complete").withStatus("True").build())
              .build());
      try {
        client.batch().v1().jobs().resource(current).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt > 10) {
          throw e;
        }
        current = client.batch().v1().jobs().resource(current).get();
      }
    }
  }

  private void await(Process operator, MemoryWatch memory, BooleanSupplier done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (!done.getAsBoolean()) {
      memory.sample();
      if (!operator.isAlive()) {
        throw new IllegalStateException(
            "operator exited: " + Files.readString(workDir.resolve("operator.log")));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not done after " + timeoutSeconds + " s");
      }
      Thread.sleep(POLL_MS);
    }
    memory.sample();
  }

  private interface Step {
    void run(int i) throws Exception;
  }

  /** Four client threads, as a CI pipeline applying manifests in parallel would. */
  private static void parallel(int n, Step step) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        fs.add(
            pool.submit(
                () -> {
                  step.run(index);
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  /** The manifest under another name, as `kubectl apply` of N copies would send it. */
  private JobResource resource(String name) {
    JobResource resource = Serialization.unmarshal(manifest, JobResource.class);
    resource.getMetadata().setName(name);
    return resource;
  }

  /** The JVM's own account of where the RSS goes: total and each area, committed KiB. */
  private static List<String> nativeMemory(long pid) throws Exception {
    Process jcmd =
        new ProcessBuilder("jcmd", Long.toString(pid), "VM.native_memory", "summary")
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

  private static String readManifest() {
    try (var in = OperatorBenchmark.class.getResourceAsStream("/bench-job.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  /** VmHWM is the kernel's own peak; VmRSS is read at each poll. */
  private static final class MemoryWatch {
    private final long pid;
    long peakKib;
    long lastKib;

    MemoryWatch(long pid) {
      this.pid = pid;
    }

    void sample() throws Exception {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          peakKib = kib(line);
        } else if (line.startsWith("VmRSS:")) {
          lastKib = kib(line);
        }
      }
    }

    private static long kib(String line) {
      return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
  }
}
