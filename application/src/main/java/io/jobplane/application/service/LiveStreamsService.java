package io.jobplane.application.service;

import io.jobplane.application.port.in.LiveStreamsUseCase;
import io.jobplane.application.port.out.ChangeSignals;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.TelemetryRepository;
import io.jobplane.application.port.out.TimelineFeed;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.FeedEvent;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.telemetry.LogFilter;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.Stored;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pushes timeline events and log lines to open streams, reading the store once per change signal
 * for all of them (see docs/architecture.md, "Live streams").
 *
 * <p>Threads: one reader thread does every store read of the fan-out and the heartbeat ticks, in
 * order, so a stream registered by the reader is always followed by the reads after it. Each stream
 * has a queue of work (catch-up, batches, heartbeats) that a small delivery pool runs one item at a
 * time; a stream whose queue grows past {@link #MAX_PENDING} has a peer too slow to keep up and is
 * closed (it resumes with {@code Last-Event-ID}).
 *
 * <p>Exactness: streams move a cursor over store ids and never send an id at or below it. The store
 * hands out only settled rows (written by transactions older than every running one), so what a
 * stream's catch-up read and the reader's later reads return together leave no gap.
 */
public final class LiveStreamsService implements LiveStreamsUseCase, AutoCloseable {

  static final int PAGE = 500;
  static final int MAX_PENDING = 1_000;
  static final int DELIVERY_THREADS = 16;
  private static final long FIRST_RECHECK_MILLIS = 50;
  private static final long LAST_RECHECK_MILLIS = 5_000;

  private final JobRepository jobs;
  private final TimelineFeed feed;
  private final TelemetryRepository telemetry;
  private final LiveLimits limits;
  private final ScheduledExecutorService reader;
  private final ExecutorService delivery;

  private final Set<LiveEventStream> eventStreams = ConcurrentHashMap.newKeySet();
  private final Map<JobId, Set<LiveLogStream>> logStreams = new ConcurrentHashMap<>();
  private final LiveStreamAdmission admitted;

  private final AtomicBoolean timelineScheduled = new AtomicBoolean();
  private final AtomicBoolean logsScheduled = new AtomicBoolean();
  private final Set<JobId> dirtyLogs = ConcurrentHashMap.newKeySet();
  // reader thread only
  private long timelineCursor = -1;
  private final Map<JobId, Long> logCursors = new HashMap<>();
  private long recheckMillis = FIRST_RECHECK_MILLIS;
  private boolean recheckScheduled;

  private final LiveStream.Host streams = new Streams();
  private final AutoCloseable signals;
  private volatile boolean closed;

  public LiveStreamsService(
      JobRepository jobs,
      TimelineFeed feed,
      TelemetryRepository telemetry,
      ChangeSignals signals,
      LiveLimits limits) {
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.feed = Objects.requireNonNull(feed, "feed");
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.admitted = new LiveStreamAdmission(limits);
    this.reader =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("jobplane-live-reader"));
    // writes block while a peer's TCP window is full (until the container's idle timeout), so a
    // few slow readers must not hold up everyone else's delivery
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            DELIVERY_THREADS,
            DELIVERY_THREADS,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            DaemonThreads.named("jobplane-live"));
    pool.prestartAllCoreThreads(); // a fixed cost from the start, not a count that grows with load
    this.delivery = pool;
    long beat = limits.heartbeat().toMillis();
    reader.scheduleAtFixedRate(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
    this.signals = Objects.requireNonNull(signals, "signals").listen(new Signals());
  }

  @Override
  public Subscription watch(Caller caller, EventWatch watch, Sink<FeedEvent> sink) {
    AccessPolicy.requireRead(caller);
    if (watch.jobId() != null) {
      AccessPolicy.visible(caller, jobs.findById(watch.jobId()).orElse(null));
    }
    LiveEventStream stream = new LiveEventStream(caller, watch, sink, streams, feed);
    if (watch.afterId() == EventWatch.NOW) {
      // "now" is when the request came: a settled position, so the catch-up read covers whatever
      // commits between here and the stream's registration with the reader
      stream.cursor = feed.settledHead();
    }
    admitted.admit(stream, closed);
    onReader(
        () -> {
          startTimeline();
          eventStreams.add(stream);
          stream.enqueue(stream::catchUp);
        },
        stream);
    return stream::close;
  }

  @Override
  public Subscription follow(Caller caller, LogFollow follow, Sink<Stored<LogLine>> sink) {
    AccessPolicy.requireRead(caller);
    AccessPolicy.visible(caller, jobs.findById(follow.jobId()).orElse(null));
    LiveLogStream stream = new LiveLogStream(caller, follow, sink, streams, telemetry);
    admitted.admit(stream, closed);
    onReader(
        () -> {
          if (follow.untilFinished()) {
            startTimeline();
          }
          if (!logStreams.containsKey(follow.jobId())) {
            // the job's first follower: the reader starts at what is settled now
            logCursors.put(follow.jobId(), telemetry.newestLogId(follow.jobId(), true));
          }
          logStreams
              .computeIfAbsent(follow.jobId(), id -> ConcurrentHashMap.newKeySet())
              .add(stream);
          stream.enqueue(stream::catchUp);
        },
        stream);
    return stream::close;
  }

  @Override
  public int openStreams() {
    return admitted.open();
  }

  /** Ends every stream (clients reconnect elsewhere) and stops the threads. */
  @Override
  public void close() {
    closed = true;
    try {
      signals.close();
    } catch (Exception e) {
      // the signal source is going away with the process anyway
    }
    admitted.closeAll();
    reader.shutdownNow();
    delivery.shutdownNow();
  }

  private void onReader(Runnable task, LiveStream<?> stream) {
    try {
      reader.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              stream.close();
            }
          });
    } catch (RejectedExecutionException e) {
      stream.close();
      throw new DomainException(DomainException.Reason.UNAVAILABLE, "the server is shutting down");
    }
  }

  // ---- the reader: one store read per signal for every stream ----

  private boolean timelineFollowed() {
    return !eventStreams.isEmpty()
        || logStreams.values().stream()
            .flatMap(Set::stream)
            .anyMatch(s -> s.follow.untilFinished());
  }

  /** Reader thread: make sure the timeline cursor stands at a settled position. */
  private void startTimeline() {
    if (timelineCursor < 0) {
      timelineCursor = feed.settledHead();
    }
  }

  private void readTimeline() {
    timelineScheduled.set(false);
    if (!timelineFollowed()) {
      timelineCursor = -1; // nobody listens: read nothing, start afresh with the next stream
      return;
    }
    startTimeline();
    List<FeedEvent> page;
    do {
      page = feed.eventsAfter(timelineCursor, null, null, PAGE);
      if (page.isEmpty()) {
        break;
      }
      timelineCursor = page.get(page.size() - 1).id();
      List<FeedEvent> batch = page;
      eventStreams.forEach(s -> s.enqueue(() -> s.deliver(batch)));
      for (FeedEvent e : batch) {
        if (e.finishesJob()) {
          logStreams.getOrDefault(e.jobId(), Set.of()).forEach(s -> s.enqueue(s::finishIfAsked));
        }
      }
    } while (page.size() == PAGE);
    // Events stored but not settled yet (their transaction, or an older one, still runs) arrive
    // with a later signal; one that commits without signalling again is picked up by a recheck.
    if (feed.head() > timelineCursor) {
      scheduleRecheck();
    } else {
      recheckMillis = FIRST_RECHECK_MILLIS;
    }
  }

  private void scheduleRecheck() {
    if (recheckScheduled) {
      return;
    }
    recheckScheduled = true;
    long delay = recheckMillis;
    recheckMillis = Math.min(LAST_RECHECK_MILLIS, recheckMillis * 2);
    reader.schedule(
        () -> {
          recheckScheduled = false;
          readTimeline();
          readLogs(Set.copyOf(logCursors.keySet()));
        },
        delay,
        TimeUnit.MILLISECONDS);
  }

  private void readLogsSignalled() {
    logsScheduled.set(false);
    Set<JobId> dirty = Set.copyOf(dirtyLogs);
    dirtyLogs.removeAll(dirty);
    readLogs(dirty);
  }

  private void readLogs(Set<JobId> dirty) {
    boolean unsettled = false;
    for (JobId job : dirty) {
      Set<LiveLogStream> followers = logStreams.get(job);
      if (followers == null || followers.isEmpty()) {
        logCursors.remove(job);
        continue;
      }
      long cursor = logCursors.computeIfAbsent(job, id -> telemetry.newestLogId(id, true));
      List<Stored<LogLine>> page;
      do {
        page = telemetry.settledLogs(job, everyLine(cursor));
        if (page.isEmpty()) {
          break;
        }
        cursor = page.get(page.size() - 1).id();
        List<Stored<LogLine>> batch = page;
        followers.forEach(s -> s.enqueue(() -> s.deliver(batch)));
      } while (page.size() == PAGE);
      logCursors.put(job, cursor);
      unsettled |= telemetry.newestLogId(job, false) > cursor;
    }
    if (unsettled) {
      scheduleRecheck();
    }
  }

  private static LogFilter everyLine(long afterId) {
    return new LogFilter(null, null, null, null, null, PAGE, afterId);
  }

  private void heartbeat() {
    eventStreams.forEach(s -> s.enqueue(s::beat));
    logStreams.values().forEach(set -> set.forEach(s -> s.enqueue(s::beat)));
  }

  /** What the streams need of the service: delivery, whether a job ended, their unregistering. */
  private final class Streams implements LiveStream.Host {
    @Override
    public ExecutorService delivery() {
      return delivery;
    }

    @Override
    public int maxPending() {
      return MAX_PENDING;
    }

    @Override
    public boolean jobFinished(JobId id) {
      return jobs.findById(id).map(JobSnapshot::status).map(s -> s.isTerminal()).orElse(true);
    }

    @Override
    public void closed(LiveStream<?> stream) {
      if (stream instanceof LiveEventStream events) {
        eventStreams.remove(events);
      } else if (stream instanceof LiveLogStream logs) {
        logStreams.computeIfPresent(
            logs.follow.jobId(),
            (id, set) -> {
              set.remove(logs);
              return set.isEmpty() ? null : set;
            });
      }
      admitted.release(stream);
    }
  }

  private final class Signals implements ChangeSignals.Listener {
    @Override
    public void timelineChanged() {
      if (!closed && timelineScheduled.compareAndSet(false, true)) {
        submit(LiveStreamsService.this::readTimeline);
      }
    }

    @Override
    public void logsChanged(Set<JobId> jobIds) {
      for (JobId id : jobIds) {
        if (logStreams.containsKey(id)) {
          dirtyLogs.add(id);
        }
      }
      if (!closed && !dirtyLogs.isEmpty() && logsScheduled.compareAndSet(false, true)) {
        submit(LiveStreamsService.this::readLogsSignalled);
      }
    }

    @Override
    public void resync() {
      timelineChanged();
      logsChanged(Set.copyOf(logStreams.keySet()));
    }

    private void submit(Runnable read) {
      try {
        reader.execute(
            () -> {
              try {
                read.run();
              } catch (RuntimeException e) {
                // the store is unreachable: the next signal (or resync) reads again
                scheduleRecheck();
              }
            });
      } catch (RejectedExecutionException e) {
        // shutting down
      }
    }
  }
}
