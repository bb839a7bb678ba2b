package io.jobplane.application.service;

import io.jobplane.application.port.in.LiveStreamsUseCase.Sink;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.JobId;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One open live stream of {@link LiveStreamsService}: its peer, its cursor over store ids and its
 * queue of work (catch-up, batches, heartbeats), run one item at a time on the delivery pool. A
 * peer that reads slower than the store changes is closed; it resumes by {@code Last-Event-ID}.
 */
abstract class LiveStream<T> {

  /** What a stream needs of the service that holds it. */
  interface Host {
    ExecutorService delivery();

    /** Queued work items past which the peer counts as too slow and is closed. */
    int maxPending();

    boolean jobFinished(JobId id);

    /** The stream closed: forget it and give its place back. */
    void closed(LiveStream<?> stream);
  }

  final Caller who;
  private final Sink<T> sink;
  final Host host;
  private final SerialWork work;
  private final AtomicBoolean done = new AtomicBoolean();
  long cursor;

  LiveStream(Caller caller, Sink<T> sink, Host host) {
    this.who = caller;
    this.sink = Objects.requireNonNull(sink, "sink");
    this.host = host;
    this.work = new SerialWork(host.delivery(), host.maxPending(), this::close);
  }

  /** Runs after what was enqueued before; a task that throws (PeerGone, a read) ends it. */
  final void enqueue(Runnable task) {
    work.submit(task);
  }

  final void beat() {
    try {
      sink.heartbeat();
    } catch (IOException e) {
      throw new PeerGone();
    }
  }

  final void send(T item) {
    try {
      sink.send(item);
    } catch (IOException e) {
      throw new PeerGone();
    }
  }

  final void end() {
    try {
      sink.end();
    } catch (IOException e) {
      // the peer left first; nothing else to say
    }
    close();
  }

  final boolean visible(String project) {
    return who.projects() == null || who.projects().contains(project);
  }

  final void close() {
    if (done.compareAndSet(false, true)) {
      host.closed(this);
      work.stop();
      sink.close();
    }
  }

  /** Unchecked marker for a write the peer did not take. */
  private static final class PeerGone extends RuntimeException {
    PeerGone() {
      super(null, null, false, false);
    }
  }
}
