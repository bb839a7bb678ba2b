package io.jobplane.app.worker;

import io.jobplane.app.worker.WorkerApi.ApiException;
import io.jobplane.client.model.CheckpointReport;
import io.jobplane.client.model.OutputRecordReport;
import io.jobplane.client.model.OutputReport;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the child prints, line by line: a {@code ##jobplane} line on stdout is a directive ({@link
 * LineProtocol}) that updates the {@link TaskTelemetry} or is reported at once (an output record, a
 * checkpoint); every other line, and a malformed directive, is a log line for the {@link
 * LogShipper}. The last stderr line is kept for the failure message of a non-zero exit.
 */
final class ChildOutput {

  private static final Logger log = LoggerFactory.getLogger(ChildOutput.class);

  private final Lease lease;
  private final WorkerApi api;
  private final TaskTelemetry telemetry;
  private final LogShipper logs;
  private final BooleanSupplier closed;
  private final AtomicLong checkpointsReported = new AtomicLong();
  private volatile String lastStderr;

  /**
   * @param closed true once nothing more may be reported for the task (lease lost, end reported)
   */
  ChildOutput(
      Lease lease,
      WorkerApi api,
      TaskTelemetry telemetry,
      LogShipper logs,
      BooleanSupplier closed) {
    this.lease = lease;
    this.api = api;
    this.telemetry = telemetry;
    this.logs = logs;
    this.closed = closed;
  }

  /** The last line the child wrote to stderr (made storable, at most 500 characters), or null. */
  String lastStderr() {
    return lastStderr;
  }

  /** One line of {@code stream} ({@code stdout} or {@code stderr}). */
  void line(String stream, String line) {
    if (closed.getAsBoolean()) {
      return;
    }
    boolean stdout = stream.equals("stdout");
    if (stdout && LineProtocol.isDirective(line)) {
      try {
        apply(LineProtocol.parse(line));
        return;
      } catch (IllegalArgumentException e) {
        log.warn(
            "{}: malformed ##jobplane line ({}), logged as is: {}", lease, e.getMessage(), line);
      }
    }
    if (!stdout) {
      lastStderr = ChildText.truncate(line, 500);
    }
    logs.add(stdout, line);
  }

  private void apply(LineProtocol.Directive d) {
    telemetry.record(d);
    if (d instanceof LineProtocol.Output o) {
      // the tree itself: any JSON value, written as the child printed it
      OutputReport body =
          new OutputReport()
              .records(List.of(new OutputRecordReport().timestamp(now()).record(o.record())));
      reportQuietly("output", () -> api.output(lease, body));
    } else if (d instanceof LineProtocol.Checkpoint c) {
      CheckpointReport body = checkpointBody(c.fields());
      reportQuietly("checkpoints", () -> api.checkpoint(lease, body));
    }
  }

  /**
   * The checkpoint line's fields as the report takes them (the state is checked by {@link
   * LineProtocol}). A field the server could not read (not a whole number, not a time) is left out
   * with a warning rather than failing the whole report.
   */
  private CheckpointReport checkpointBody(Map<String, String> fields) {
    CheckpointReport body = new CheckpointReport().checkpointId(fields.get("id"));
    String state = fields.getOrDefault("state", "completed");
    for (Map.Entry<String, String> e : fields.entrySet()) {
      String k = e.getKey();
      String v = e.getValue();
      try {
        switch (k) {
          case "id" -> {}
          case "state" -> body.state(CheckpointReport.StateEnum.fromValue(v));
          case "epoch" -> body.checkpointEpoch(Long.parseLong(v));
          case "size_bytes" -> body.sizeBytes(Long.parseLong(v));
          case "location" -> body.location(v);
          case "backend" -> body.backend(v);
          case "started_at" -> body.startedAt(OffsetDateTime.parse(v));
          case "finished_at" -> body.finishedAt(OffsetDateTime.parse(v));
          default -> log.warn("{}: unknown checkpoint field {} ignored", lease, k);
        }
      } catch (NumberFormatException ex) {
        log.warn("{}: checkpoint field {}={} is not a whole number; ignored", lease, k, v);
      } catch (DateTimeParseException ex) {
        log.warn("{}: checkpoint field {}={} is not an ISO-8601 time; ignored", lease, k, v);
      }
    }
    if (body.getState() == null) {
      body.state(CheckpointReport.StateEnum.COMPLETED);
    }
    if (body.getCheckpointEpoch() == null) {
      // without an explicit epoch, checkpoints of this task are numbered in the order reported
      body.checkpointEpoch(checkpointsReported.incrementAndGet());
    }
    if (body.getFinishedAt() == null && !state.equals("in_progress")) {
      body.finishedAt(now());
    }
    return body;
  }

  /** Now, as the SDK's time fields take it. */
  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }

  private void reportQuietly(String what, Runnable call) {
    if (closed.getAsBoolean()) {
      return;
    }
    try {
      call.run();
    } catch (ApiException e) {
      log.warn("{}: could not report {}: {}", lease, what, e.getMessage());
    }
  }
}
