package io.jobplane.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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

  public static void main(String[] args) {
    System.exit(new CommandLine(new OperatorBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    try (MockCluster cluster = MockCluster.start(crd, schedulesCrd)) {
      CountingDispatcher requests = cluster.requests();
      ClusterLoad load = new ClusterLoad(cluster.client(), resources);
      OperatorReport report = new OperatorReport(resources, applyBeforeStart);
      Path kubeconfig = cluster.writeKubeconfig(workDir.resolve("kubeconfig"));
      double applied = 0;
      if (applyBeforeStart) {
        long a0 = System.nanoTime();
        load.apply();
        applied = seconds(a0);
      }
      long launched = System.nanoTime();
      try (OperatorProcess operator =
          OperatorProcess.start(jar, heap, jvmArgs, jdbcUrl, databaseUser, kubeconfig, workDir)) {
        Cpu cpu = new Cpu(operator.pid());
        operator.awaitReady();
        double ready = seconds(launched);
        if (!applyBeforeStart) {
          cpu.split(); // the phase starts now: the JVM's start-up is not part of it
          requests.clearCounts();
        }

        long t0 = applyBeforeStart ? launched : System.nanoTime();
        if (!applyBeforeStart) {
          load.apply();
          applied = seconds(t0);
        }
        operator.await(load::allQueuedWithOneBatchJob, timeoutSeconds);
        OperatorReport.Phase first =
            new OperatorReport.Phase(seconds(t0), cpu.split(), requests.snapshotAndReset());
        int duplicates = load.duplicateBatchJobs();

        long t1 = System.nanoTime();
        load.completeAllBatchJobs();
        double marked = seconds(t1);
        operator.await(() -> load.allSucceeded() && storeSucceeded() == resources, timeoutSeconds);
        OperatorReport.Phase second =
            new OperatorReport.Phase(seconds(t1), cpu.split(), requests.snapshotAndReset());
        double total = seconds(t0);

        report.printPhases(applied, ready, first, marked, second);
        report.printOperator(duplicates, heap, jvmArgs, operator, first, second);
        report.printPerResource(first, second, total);
        if (jvmArgs.stream().anyMatch(a -> a.startsWith("-XX:NativeMemoryTracking"))) {
          System.out.println("operator native memory (jcmd VM.native_memory summary, committed):");
          operator.nativeMemory().forEach(System.out::println);
        }
        return 0;
      }
    }
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

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
