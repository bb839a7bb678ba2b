package io.jobplane.domain.telemetry;

import java.util.List;

/**
 * The values a task reports for the whole task or for one operator. Counters are totals since the
 * task started; gauges are null when not reported. Aggregating over tasks sums counters and
 * throughput, takes the maximum of latencies and backpressure and averages the idle time.
 */
public record Counters(
    long recordsIn,
    long recordsOut,
    long bytesIn,
    long bytesOut,
    long errors,
    long warnings,
    Double throughput,
    Double latencyP50,
    Double latencyP95,
    Double latencyP99,
    Double backpressure,
    Double idleTimePercent) {

  /** Nothing counted and no gauge reported: what the aggregate of no task is. */
  public static final Counters ZERO = aggregate(List.of());

  public Counters {
    Telemetry.nonNegative(recordsIn, "records_in");
    Telemetry.nonNegative(recordsOut, "records_out");
    Telemetry.nonNegative(bytesIn, "bytes_in");
    Telemetry.nonNegative(bytesOut, "bytes_out");
    Telemetry.nonNegative(errors, "errors");
    Telemetry.nonNegative(warnings, "warnings");
    Telemetry.nonNegative(throughput, "throughput");
    Telemetry.nonNegative(latencyP50, "latency_p50");
    Telemetry.nonNegative(latencyP95, "latency_p95");
    Telemetry.nonNegative(latencyP99, "latency_p99");
    Telemetry.fraction(backpressure, "backpressure", 1.0);
    Telemetry.fraction(idleTimePercent, "idle_time_percent", 100.0);
  }

  /** Combines the values of several tasks (see the class comment for the rules). */
  public static Counters aggregate(Iterable<Counters> parts) {
    long in = 0;
    long out = 0;
    long bin = 0;
    long bout = 0;
    long err = 0;
    long warn = 0;
    Double thr = null;
    Double p50 = null;
    Double p95 = null;
    Double p99 = null;
    Double bp = null;
    double idleSum = 0;
    int idleN = 0;
    for (Counters c : parts) {
      in = Math.addExact(in, c.recordsIn);
      out = Math.addExact(out, c.recordsOut);
      bin = Math.addExact(bin, c.bytesIn);
      bout = Math.addExact(bout, c.bytesOut);
      err = Math.addExact(err, c.errors);
      warn = Math.addExact(warn, c.warnings);
      thr = sum(thr, c.throughput);
      p50 = max(p50, c.latencyP50);
      p95 = max(p95, c.latencyP95);
      p99 = max(p99, c.latencyP99);
      bp = max(bp, c.backpressure);
      if (c.idleTimePercent != null) {
        idleSum += c.idleTimePercent;
        idleN++;
      }
    }
    return new Counters(
        in, out, bin, bout, err, warn, thr, p50, p95, p99, bp, idleN == 0 ? null : idleSum / idleN);
  }

  private static Double sum(Double a, Double b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return Double.valueOf(a + b);
  }

  private static Double max(Double a, Double b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return Double.valueOf(Math.max(a, b));
  }
}
