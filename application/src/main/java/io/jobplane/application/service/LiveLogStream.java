package io.jobplane.application.service;

import io.jobplane.application.port.in.LiveStreamsUseCase.LogFollow;
import io.jobplane.application.port.in.LiveStreamsUseCase.Sink;
import io.jobplane.application.port.out.TelemetryRepository;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.Stored;
import java.util.List;

/** A stream of one job's log lines: an optional tail, then every settled line as it comes. */
final class LiveLogStream extends LiveStream<Stored<LogLine>> {
  final LogFollow follow;
  private final TelemetryRepository telemetry;

  LiveLogStream(
      Caller caller,
      LogFollow follow,
      Sink<Stored<LogLine>> sink,
      Host host,
      TelemetryRepository telemetry) {
    super(caller, sink, host);
    this.follow = follow;
    this.telemetry = telemetry;
    this.cursor = follow.filter().afterId();
  }

  void catchUp() {
    if (follow.tail() != null && cursor == 0) {
      List<Stored<LogLine>> last =
          follow.tail() == 0
              ? List.of()
              : telemetry.lastLogs(follow.jobId(), follow.filter(), follow.tail());
      deliver(last);
      cursor = Math.max(cursor, telemetry.newestLogId(follow.jobId(), true));
    }
    readSettled();
    if (follow.untilFinished() && host.jobFinished(follow.jobId())) {
      end();
    }
  }

  private void readSettled() {
    List<Stored<LogLine>> page;
    do {
      page =
          telemetry.settledLogs(
              follow.jobId(), follow.filter().after(cursor).withLimit(LiveStreamsService.PAGE));
      deliver(page);
    } while (page.size() == LiveStreamsService.PAGE);
  }

  void deliver(List<Stored<LogLine>> batch) {
    for (Stored<LogLine> line : batch) {
      if (line.id() <= cursor) {
        continue;
      }
      cursor = line.id();
      if (follow.filter().matches(line)) {
        send(line);
      }
    }
  }

  /** The job finished: send what it wrote last, then end if the client asked to. */
  void finishIfAsked() {
    if (follow.untilFinished()) {
      readSettled();
      end();
    }
  }
}
