package io.jobplane.app.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobplane.client.model.CheckpointReport;
import io.jobplane.client.model.TaskMetricsReport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The line protocol a child speaks on its stdout to report through the worker (documented in
 * docs/worker-protocol.md, "The bundled worker"). A line starting with {@code ##jobplane } is a
 * directive; anything else is a plain log line.
 */
final class LineProtocol {

  static final String PREFIX = "##jobplane";

  sealed interface Directive
      permits Progress, Items, Metrics, Checkpoint, Output, Changed, Message {}

  /** {@code ##jobplane progress=42} (0..100). */
  record Progress(double percent) implements Directive {}

  /** {@code ##jobplane items total=1000 completed=420 failed=3} (each optional). */
  record Items(Long total, Long completed, Long failed) implements Directive {}

  /**
   * {@code ##jobplane metric records_in=1000 bytes_out=5}: the task metrics the server keeps
   * ({@link #COUNTERS}, whole numbers, and {@link #GAUGES}), by their names in the report.
   */
  record Metrics(Map<String, Number> values) implements Directive {}

  /** {@code ##jobplane checkpoint id=chk-3 location=s3://x size_bytes=10}. */
  record Checkpoint(Map<String, String> fields) implements Directive {}

  /** {@code ##jobplane output {"any":"json"}}. */
  record Output(JsonNode record) implements Directive {}

  /** {@code ##jobplane changed=true}. */
  record Changed(boolean changed) implements Directive {}

  /** {@code ##jobplane message processed 420 files}. */
  record Message(String text) implements Directive {}

  /** Metrics that count, in whole numbers. */
  static final Set<String> COUNTERS =
      Set.of(
          TaskMetricsReport.JSON_PROPERTY_RECORDS_IN,
          TaskMetricsReport.JSON_PROPERTY_RECORDS_OUT,
          TaskMetricsReport.JSON_PROPERTY_BYTES_IN,
          TaskMetricsReport.JSON_PROPERTY_BYTES_OUT,
          TaskMetricsReport.JSON_PROPERTY_ERRORS,
          TaskMetricsReport.JSON_PROPERTY_WARNINGS);

  /** Metrics that measure, in any number. */
  static final Set<String> GAUGES =
      Set.of(
          TaskMetricsReport.JSON_PROPERTY_THROUGHPUT,
          TaskMetricsReport.JSON_PROPERTY_LATENCY_P50,
          TaskMetricsReport.JSON_PROPERTY_LATENCY_P95,
          TaskMetricsReport.JSON_PROPERTY_LATENCY_P99,
          TaskMetricsReport.JSON_PROPERTY_BACKPRESSURE,
          TaskMetricsReport.JSON_PROPERTY_IDLE_TIME_PERCENT);

  private static final ObjectMapper JSON = new ObjectMapper();

  private LineProtocol() {}

  /** Metrics of {@link Metrics} lines, merged, as a heartbeat carries them. */
  static TaskMetricsReport metricsReport(Map<String, Number> values) {
    return JSON.convertValue(values, TaskMetricsReport.class);
  }

  static boolean isDirective(String line) {
    return line.equals(PREFIX) || line.startsWith(PREFIX + " ");
  }

  /**
   * Parses a directive line.
   *
   * @throws IllegalArgumentException when the line starts with the prefix but is not a valid
   *     directive (the caller then logs it as a plain line)
   */
  static Directive parse(String line) {
    if (!isDirective(line)) {
      throw new IllegalArgumentException("not a directive");
    }
    String rest = line.substring(PREFIX.length()).strip();
    int space = rest.indexOf(' ');
    String word = space < 0 ? rest : rest.substring(0, space);
    String args = space < 0 ? "" : rest.substring(space + 1).strip();
    switch (word) {
      case "items":
        {
          Map<String, String> kv = keyValues(args);
          for (String k : kv.keySet()) {
            if (!k.equals("total") && !k.equals("completed") && !k.equals("failed")) {
              throw new IllegalArgumentException("unknown items field " + k);
            }
          }
          if (kv.isEmpty()) {
            throw new IllegalArgumentException("items needs total, completed or failed");
          }
          return new Items(
              count(kv.get("total")), count(kv.get("completed")), count(kv.get("failed")));
        }
      case "metric":
      case "metrics":
        {
          // checked here: the server refuses a heartbeat with a metric it does not know, and a
          // child's typo must not cost the lease its heartbeats
          Map<String, Number> values = new LinkedHashMap<>();
          keyValues(args)
              .forEach(
                  (k, v) -> {
                    if (COUNTERS.contains(k)) {
                      values.put(k, count(v));
                    } else if (GAUGES.contains(k)) {
                      values.put(k, number(v));
                    } else {
                      throw new IllegalArgumentException("unknown metric " + k);
                    }
                  });
          if (values.isEmpty()) {
            throw new IllegalArgumentException("metric needs name=value pairs");
          }
          return new Metrics(values);
        }
      case "checkpoint":
        {
          Map<String, String> kv = keyValues(args);
          if (!kv.containsKey("id")) {
            throw new IllegalArgumentException("checkpoint needs id=");
          }
          if (kv.containsKey("state")) {
            try {
              CheckpointReport.StateEnum.fromValue(kv.get("state"));
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException(
                  "checkpoint state must be in_progress, completed or failed");
            }
          }
          return new Checkpoint(kv);
        }
      case "output":
        try {
          JsonNode node = JSON.readTree(args);
          if (node == null || node.isMissingNode()) {
            throw new IllegalArgumentException("output needs a JSON value");
          }
          return new Output(node);
        } catch (JsonProcessingException e) {
          throw new IllegalArgumentException("output is not valid JSON");
        }
      case "message":
        return new Message(args);
      default:
        break;
    }
    // single key=value forms
    Map<String, String> kv = keyValues(rest);
    if (kv.size() == 1 && kv.containsKey("progress")) {
      double p = number(kv.get("progress")).doubleValue();
      if (p < 0 || p > 100) {
        throw new IllegalArgumentException("progress must be between 0 and 100");
      }
      return new Progress(p);
    }
    if (kv.size() == 1 && kv.containsKey("changed")) {
      String v = kv.get("changed");
      if (!v.equals("true") && !v.equals("false")) {
        throw new IllegalArgumentException("changed must be true or false");
      }
      return new Changed(Boolean.parseBoolean(v));
    }
    throw new IllegalArgumentException("unknown directive: " + rest);
  }

  private static Map<String, String> keyValues(String text) {
    Map<String, String> kv = new LinkedHashMap<>();
    if (text.isBlank()) {
      return kv;
    }
    for (String token : text.strip().split("\\s+")) {
      int eq = token.indexOf('=');
      if (eq <= 0 || eq == token.length() - 1) {
        throw new IllegalArgumentException("expected key=value, got " + token);
      }
      kv.put(token.substring(0, eq), token.substring(eq + 1));
    }
    return kv;
  }

  private static Long count(String v) {
    if (v == null) {
      return null;
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new IllegalArgumentException("counts must not be negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a whole number: " + v);
    }
  }

  private static Number number(String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      try {
        double d = Double.parseDouble(v);
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw new IllegalArgumentException("not a finite number: " + v);
        }
        return d;
      } catch (NumberFormatException e2) {
        throw new IllegalArgumentException("not a number: " + v);
      }
    }
  }
}
