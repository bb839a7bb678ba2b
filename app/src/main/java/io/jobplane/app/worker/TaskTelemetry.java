package io.jobplane.app.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.client.model.Items;
import io.jobplane.client.model.LeaseReport;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the child said about itself through its {@code ##jobplane} lines: progress, items, metrics
 * and message (sent with the next full heartbeat), whether it changed anything, and its last output
 * (the completion's output). Written by the child's output reader, read by the heartbeats and the
 * end report.
 */
final class TaskTelemetry {

  private final Object lock = new Object();
  private Double progress;
  private Long itemsTotal;
  private Long itemsCompleted;
  private Long itemsFailed;
  private final Map<String, Number> metrics = new LinkedHashMap<>();
  private String message;
  private boolean dirty;

  private volatile JsonNode lastOutput;
  private volatile Boolean changed;

  /**
   * Takes in a directive about the task's state; true when it was one (progress, items, metrics,
   * message, changed, output), false for any other, which the caller handles.
   */
  boolean record(LineProtocol.Directive d) {
    if (d instanceof LineProtocol.Progress p) {
      synchronized (lock) {
        progress = p.percent();
        dirty = true;
      }
    } else if (d instanceof LineProtocol.Items i) {
      synchronized (lock) {
        if (i.total() != null) {
          itemsTotal = i.total();
        }
        if (i.completed() != null) {
          itemsCompleted = i.completed();
        }
        if (i.failed() != null) {
          itemsFailed = i.failed();
        }
        dirty = true;
      }
    } else if (d instanceof LineProtocol.Metrics m) {
      synchronized (lock) {
        metrics.putAll(m.values());
        dirty = true;
      }
    } else if (d instanceof LineProtocol.Message m) {
      synchronized (lock) {
        message = ChildText.truncate(m.text(), 1000);
        dirty = true;
      }
    } else if (d instanceof LineProtocol.Changed c) {
      changed = c.changed();
    } else if (d instanceof LineProtocol.Output o) {
      lastOutput = o.record();
    } else {
      return false;
    }
    return true;
  }

  /** Whether progress, items, metrics or a message came after the last full heartbeat. */
  boolean unsent() {
    synchronized (lock) {
      return dirty;
    }
  }

  /** A heartbeat with the child's telemetry; it counts as sent from here on. */
  LeaseReport heartbeatReport() {
    LeaseReport report = ReportBuffer.heartbeat();
    synchronized (lock) {
      dirty = false;
      if (progress != null) {
        // the server counts whole percents: 99.9 is not yet done
        report.progress((int) Math.floor(progress));
      }
      if (itemsTotal != null || itemsCompleted != null || itemsFailed != null) {
        report.items(new Items().total(itemsTotal).completed(itemsCompleted).failed(itemsFailed));
      }
      if (!metrics.isEmpty()) {
        report.metrics(LineProtocol.metricsReport(metrics));
      }
      if (message != null) {
        report.message(ChildText.truncate(message, 1000));
      }
    }
    return report;
  }

  /** The completion of a task that exited with 0: its last output and whether it changed things. */
  LeaseReport completeReport() {
    return ReportBuffer.complete(completionOutput(), changed);
  }

  /**
   * The last output line as the completion's object: itself when it is one, else under {@code
   * value}; null when there was none. The values stay JSON trees, so that a null in the child's
   * object is sent as null, not dropped like an unset field.
   */
  private Map<String, Object> completionOutput() {
    JsonNode out = lastOutput;
    if (out == null || out.isNull()) {
      return null;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    if (out.isObject()) {
      out.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
    } else {
      fields.put("value", out);
    }
    return fields;
  }
}
