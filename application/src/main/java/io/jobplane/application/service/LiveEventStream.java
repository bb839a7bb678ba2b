package io.jobplane.application.service;

import io.jobplane.application.port.in.LiveStreamsUseCase.EventWatch;
import io.jobplane.application.port.in.LiveStreamsUseCase.Sink;
import io.jobplane.application.port.out.TimelineFeed;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.FeedEvent;
import java.util.List;

/** A stream of timeline events: of one job, or of the caller's jobs that match a filter. */
final class LiveEventStream extends LiveStream<FeedEvent> {
  final EventWatch watch;
  private final TimelineFeed feed;

  LiveEventStream(
      Caller caller, EventWatch watch, Sink<FeedEvent> sink, Host host, TimelineFeed feed) {
    super(caller, sink, host);
    this.watch = watch;
    this.feed = feed;
    this.cursor = watch.afterId();
  }

  void catchUp() {
    List<FeedEvent> page;
    do {
      page = feed.eventsAfter(cursor, watch.jobId(), who.projects(), LiveStreamsService.PAGE);
      if (!deliver(page)) {
        return;
      }
    } while (page.size() == LiveStreamsService.PAGE);
    if (watch.untilFinished() && host.jobFinished(watch.jobId())) {
      end();
    }
  }

  /** False once the stream ended. */
  boolean deliver(List<FeedEvent> batch) {
    for (FeedEvent e : batch) {
      if (e.id() <= cursor) {
        continue;
      }
      cursor = e.id();
      if (wanted(e)) {
        send(e);
        if (watch.untilFinished() && e.finishesJob()) {
          end();
          return false;
        }
      }
    }
    return true;
  }

  private boolean wanted(FeedEvent e) {
    if (watch.jobId() != null) {
      return watch.jobId().equals(e.jobId());
    }
    return visible(e.project()) && watch.filter().matches(e);
  }
}
