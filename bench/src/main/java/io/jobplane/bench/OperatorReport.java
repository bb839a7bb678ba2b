package io.jobplane.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The operator benchmark's Markdown for docs/benchmarks.md, printed to standard output. */
final class OperatorReport {

  /** What the operator did between two marks: wall time, CPU, and its API requests. */
  record Phase(double seconds, Cpu.Split cpu, Map<String, Long> requests) {
    long requestCount() {
      return requests.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private final int resources;
  private final boolean applyBeforeStart;

  OperatorReport(int resources, boolean applyBeforeStart) {
    this.resources = resources;
    this.applyBeforeStart = applyBeforeStart;
  }

  void printPhases(double applied, double ready, Phase first, double marked, Phase second) {
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

  private static void printPhase(String name, Phase phase) {
    System.out.printf(
        "| %s | %.1f | %.1f | %.1f | %d |%n",
        name,
        phase.seconds(),
        phase.cpu().operatorSeconds(),
        phase.cpu().selfSeconds(),
        phase.requestCount());
  }

  void printOperator(
      int duplicates,
      String heap,
      List<String> jvmArgs,
      OperatorProcess operator,
      Phase first,
      Phase second) {
    System.out.printf(
        "duplicate batch Jobs: %d; operator process (-Xmx%s%s): peak RSS (VmHWM) %d MiB,"
            + " end RSS (VmRSS) %d MiB%n",
        duplicates,
        heap,
        jvmArgs.isEmpty() ? "" : " " + String.join(" ", jvmArgs),
        operator.peakRssKib() / 1024,
        operator.lastRssKib() / 1024);
    System.out.println("operator API requests, first phase: " + first.requests());
    System.out.println("operator API requests, second phase: " + second.requests());
  }

  /**
   * The happy path per applied resource (apply -> run created -> succeeded -> status recorded): the
   * operator's requests of both phases over the number of resources, by kind.
   */
  void printPerResource(Phase first, Phase second, double total) {
    Map<String, Long> all = new TreeMap<>(first.requests());
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
}
