package io.jobplane.application.port.in;

import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.FeedEvent;
import io.jobplane.domain.JobId;
import io.jobplane.domain.query.StreamFilter;
import io.jobplane.domain.telemetry.LogFilter;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.Stored;
import java.io.IOException;
import java.util.Objects;

/**
 * Live streams: timeline events of one job or of every visible job, and a job's log lines as they
 * are written. Opening checks access and limits at once (NOT_FOUND, FORBIDDEN, TOO_MANY_REQUESTS
 * per caller, UNAVAILABLE for the whole server), so a refusal is an ordinary error answer; after
 * that items are pushed to the sink from the service's own threads, one at a time per stream.
 */
public interface LiveStreamsUseCase {

  /** Where a stream's items go. Any method may throw when the peer went away; the stream ends. */
  interface Sink<T> {
    void send(T item) throws IOException;

    /** Nothing to send for a while: proves the peer is still there. */
    void heartbeat() throws IOException;

    /** The stream is complete (the job finished and the client asked to stop then). */
    void end() throws IOException;

    /** Releases the connection; called exactly once, after which nothing else is called. */
    void close();
  }

  /** An open stream; closing it releases its place under the limits. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Timeline events after {@code afterId} ({@code Last-Event-ID}), of one job when {@code jobId} is
   * set (and only until it finishes when {@code untilFinished}), else of every job the caller can
   * see that matches {@code filter}.
   */
  record EventWatch(JobId jobId, StreamFilter filter, long afterId, boolean untilFinished) {

    /**
     * {@code afterId} of a list stream without {@code Last-Event-ID}: changes from now on. (A list
     * stream does not replay the store's whole history; a job's stream does replay the job's.)
     */
    public static final long NOW = -1;

    public EventWatch {
      filter = filter == null ? StreamFilter.ALL : filter;
      if (afterId == NOW && jobId != null) {
        afterId = 0;
      }
      if (afterId < NOW) {
        throw DomainException.invalid("Last-Event-ID", "must be an event id this server sent");
      }
      if (untilFinished && jobId == null) {
        throw DomainException.invalid("until", "applies to the stream of one job only");
      }
    }

    public static EventWatch everyJob(StreamFilter filter, long afterId) {
      return new EventWatch(null, filter, afterId, false);
    }

    public static EventWatch oneJob(JobId jobId, long afterId, boolean untilFinished) {
      return new EventWatch(Objects.requireNonNull(jobId, "jobId"), null, afterId, untilFinished);
    }
  }

  /**
   * Log lines of a job matching {@code filter} after its cursor; with {@code tail} set, first the
   * newest {@code tail} lines instead of all earlier ones.
   */
  record LogFollow(JobId jobId, LogFilter filter, Integer tail, boolean untilFinished) {
    public static final int MAX_TAIL = LogFilter.MAX_LIMIT;

    public LogFollow {
      Objects.requireNonNull(jobId, "jobId");
      Objects.requireNonNull(filter, "filter");
      if (tail != null && (tail < 0 || tail > MAX_TAIL)) {
        throw DomainException.invalid("tail", "must be between 0 and " + MAX_TAIL);
      }
    }
  }

  Subscription watch(Caller caller, EventWatch watch, Sink<FeedEvent> sink);

  Subscription follow(Caller caller, LogFollow follow, Sink<Stored<LogLine>> sink);

  /** Streams open now, for metrics and tests. */
  int openStreams();
}
