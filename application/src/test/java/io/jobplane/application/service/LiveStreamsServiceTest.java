package io.jobplane.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jobplane.application.port.in.LiveStreamsUseCase.EventWatch;
import io.jobplane.application.port.in.LiveStreamsUseCase.LogFollow;
import io.jobplane.application.port.in.LiveStreamsUseCase.Sink;
import io.jobplane.application.port.in.LiveStreamsUseCase.Subscription;
import io.jobplane.application.port.in.StopJobCommand;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.testing.DirectTransactionRunner;
import io.jobplane.application.testing.InMemoryChangeSignals;
import io.jobplane.application.testing.InMemoryJobRepository;
import io.jobplane.application.testing.InMemoryTaskRepository;
import io.jobplane.application.testing.InMemoryTelemetryRepository;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.FeedEvent;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.StopMode;
import io.jobplane.domain.query.LabelSelector;
import io.jobplane.domain.query.StreamFilter;
import io.jobplane.domain.telemetry.LogFilter;
import io.jobplane.domain.telemetry.LogLevel;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.Stored;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LiveStreamsServiceTest {

  private static final Caller VIEWER = new Caller("viewer", Set.of(Role.VIEWER), null);
  private static final Caller ADMIN = Caller.admin("admin");
  private static final Caller ETL_ONLY = new Caller("etl", Set.of(Role.VIEWER), Set.of("etl"));
  private static final Caller WORKER = new Caller("w", Set.of(Role.WORKER), null);

  private final InMemoryChangeSignals signals = new InMemoryChangeSignals();
  private final InMemoryJobRepository jobs = new InMemoryJobRepository().signalTo(signals);
  private final InMemoryTelemetryRepository telemetry =
      new InMemoryTelemetryRepository(jobs).signalTo(signals);
  private final MutableClock clock = new MutableClock(MutableClock.DEFAULT_START);
  private final ControlJobService control =
      new ControlJobService(
          jobs,
          new InMemoryTaskRepository(jobs, clock),
          new InMemoryTaskRepository(jobs, clock),
          new InMemoryTaskRepository(jobs, clock),
          telemetry,
          new DirectTransactionRunner(),
          clock,
          WorkloadOutbox.disabled());
  private LiveStreamsService live =
      new LiveStreamsService(
          jobs, jobs, telemetry, signals, new LiveLimits(5, 3, Duration.ofSeconds(15)));

  @AfterEach
  void close() {
    live.close();
  }

  /** Collects what a stream pushes. */
  static final class Recording<T> implements Sink<T> {
    final List<T> items = new CopyOnWriteArrayList<>();
    final AtomicInteger heartbeats = new AtomicInteger();
    final AtomicBoolean ended = new AtomicBoolean();
    final AtomicBoolean closed = new AtomicBoolean();
    volatile boolean broken;

    @Override
    public void send(T item) throws IOException {
      if (broken) {
        throw new IOException("gone");
      }
      items.add(item);
    }

    @Override
    public void heartbeat() throws IOException {
      if (broken) {
        throw new IOException("gone");
      }
      heartbeats.incrementAndGet();
    }

    @Override
    public void end() {
      ended.set(true);
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  private JobSnapshot queued(String project) {
    return jobs.insert(
        JobTestData.aJob().inProject(project).withStatus(JobStatus.QUEUED).buildJob());
  }

  private void stop(JobSnapshot job) {
    control.stop(new StopJobCommand(ADMIN, job.id(), StopMode.FORCE, null));
  }

  private static LogLine line(String message) {
    return new LogLine(
        Instant.parse("2026-11-23T12:00:00Z"), LogLevel.INFO, null, message, null, 0);
  }

  @Test
  void aListStreamReplaysWhatItMissedThenPushesNewEventsOfVisibleJobsOnly() {
    JobSnapshot etl = queued("etl");
    queued("analytics");
    Recording<FeedEvent> all = new Recording<>();
    Recording<FeedEvent> etlOnly = new Recording<>();
    live.watch(VIEWER, EventWatch.everyJob(StreamFilter.ALL, 0), all);
    live.watch(ETL_ONLY, EventWatch.everyJob(StreamFilter.ALL, 0), etlOnly);
    // submitted + queued per job
    await().until(() -> all.items.size() == 4 && etlOnly.items.size() == 2);

    stop(etl);

    await().until(() -> all.items.size() == 5 && etlOnly.items.size() == 3);
    assertThat(all.items).extracting(FeedEvent::id).isSorted().doesNotHaveDuplicates();
    assertThat(etlOnly.items).allSatisfy(e -> assertThat(e.project()).isEqualTo("etl"));
  }

  @Test
  void aListStreamWithoutALastEventIdStartsNow() {
    queued("etl");
    Recording<FeedEvent> fromNow = new Recording<>();
    live.watch(VIEWER, EventWatch.everyJob(StreamFilter.ALL, EventWatch.NOW), fromNow);
    JobSnapshot later = queued("etl");
    await().until(() -> fromNow.items.size() == 2); // submitted, queued
    assertThat(fromNow.items).allSatisfy(e -> assertThat(e.jobId()).isEqualTo(later.id()));
  }

  @Test
  void aListStreamResumesAfterTheLastEventIdAndAppliesItsFilters() {
    JobSnapshot a = queued("etl");
    JobSnapshot b =
        jobs.insert(
            JobTestData.aJob()
                .inProject("etl")
                .withLabel("env", "prod")
                .withStatus(JobStatus.QUEUED)
                .buildJob());
    long afterFirst = jobs.eventsAfter(0, null, null, 1).get(0).id();
    Recording<FeedEvent> prodStops = new Recording<>();
    live.watch(
        VIEWER,
        EventWatch.everyJob(
            new StreamFilter(
                Set.of(JobStatus.STOPPED), null, null, null, LabelSelector.parse("env=prod")),
            afterFirst),
        prodStops);
    stop(a);
    stop(b);
    await().until(() -> prodStops.items.size() == 1);
    assertThat(prodStops.items.get(0).jobId()).isEqualTo(b.id());
    assertThat(prodStops.items.get(0).event().to()).isEqualTo(JobStatus.STOPPED);
  }

  @Test
  void aJobStreamUntilFinishedEndsAfterTheTerminalEvent() {
    JobSnapshot job = queued("etl");
    Recording<FeedEvent> events = new Recording<>();
    live.watch(VIEWER, EventWatch.oneJob(job.id(), 0, true), events);
    await().until(() -> events.items.size() == 2); // submitted, queued
    assertThat(events.ended).isFalse();

    stop(job);

    await().until(events.ended::get);
    assertThat(events.closed).isTrue();
    assertThat(events.items.get(events.items.size() - 1).event().to()).isEqualTo(JobStatus.STOPPED);
    assertThat(live.openStreams()).isZero();
  }

  @Test
  void aJobStreamOfAFinishedJobEndsAfterItsHistory() {
    JobSnapshot job = queued("etl");
    stop(job);
    Recording<FeedEvent> events = new Recording<>();
    live.watch(VIEWER, EventWatch.oneJob(job.id(), 0, true), events);
    await().until(events.ended::get);
    assertThat(events.items).hasSize(3); // submitted, queued, stopped
  }

  @Test
  void aJobTheCallerCannotSeeIsNotFoundAndHoldsNoPlace() {
    JobSnapshot job = queued("analytics");
    assertThatThrownBy(
            () -> live.watch(ETL_ONLY, EventWatch.oneJob(job.id(), 0, false), new Recording<>()))
        .isInstanceOf(DomainException.class)
        .extracting(e -> ((DomainException) e).reason())
        .isEqualTo(DomainException.Reason.NOT_FOUND);
    assertThatThrownBy(() -> live.watch(WORKER, EventWatch.everyJob(null, 0), new Recording<>()))
        .isInstanceOf(DomainException.class);
    assertThat(live.openStreams()).isZero();
  }

  @Test
  void limitsRefuseAPerCallerAndAServerWideExcess() {
    for (int i = 0; i < 3; i++) {
      live.watch(VIEWER, EventWatch.everyJob(null, 0), new Recording<>());
    }
    assertThatThrownBy(() -> live.watch(VIEWER, EventWatch.everyJob(null, 0), new Recording<>()))
        .extracting(e -> ((DomainException) e).reason())
        .isEqualTo(DomainException.Reason.TOO_MANY_REQUESTS);
    Subscription fourth = live.watch(ADMIN, EventWatch.everyJob(null, 0), new Recording<>());
    live.watch(ADMIN, EventWatch.everyJob(null, 0), new Recording<>());
    assertThatThrownBy(() -> live.watch(ETL_ONLY, EventWatch.everyJob(null, 0), new Recording<>()))
        .extracting(e -> ((DomainException) e).reason())
        .isEqualTo(DomainException.Reason.UNAVAILABLE);

    fourth.close();

    live.watch(ETL_ONLY, EventWatch.everyJob(null, 0), new Recording<>());
    assertThat(live.openStreams()).isEqualTo(5);
  }

  @Test
  void heartbeatsFindAPeerThatWentAwayAndFreeItsPlace() {
    live.close();
    live =
        new LiveStreamsService(
            jobs, jobs, telemetry, signals, new LiveLimits(5, 3, Duration.ofMillis(50)));
    Recording<FeedEvent> stream = new Recording<>();
    live.watch(VIEWER, EventWatch.everyJob(null, 0), stream);
    await().until(() -> stream.heartbeats.get() >= 2);
    stream.broken = true;
    await().until(stream.closed::get);
    assertThat(live.openStreams()).isZero();
  }

  @Test
  void followingLogsStartsWithTheTailThenPushesNewLines() {
    JobSnapshot job = queued("etl");
    telemetry.appendLogs(
        job.id(), 1, IntStream.range(0, 10).mapToObj(i -> line("old " + i)).toList());
    Recording<Stored<LogLine>> lines = new Recording<>();
    live.follow(
        VIEWER,
        new LogFollow(job.id(), new LogFilter(null, null, null, null, null, 1000, 0), 3, false),
        lines);
    await().until(() -> lines.items.size() == 3);
    assertThat(lines.items)
        .extracting(s -> s.value().message())
        .containsExactly("old 7", "old 8", "old 9");

    telemetry.appendLogs(job.id(), 1, List.of(line("new")));

    await().until(() -> lines.items.size() == 4);
    assertThat(lines.items.get(3).value().message()).isEqualTo("new");
  }

  @Test
  void followingLogsUntilFinishedEndsWhenTheJobFinishes() {
    JobSnapshot job = queued("etl");
    Recording<Stored<LogLine>> lines = new Recording<>();
    live.follow(
        VIEWER,
        new LogFollow(job.id(), new LogFilter(null, null, null, null, null, 1000, 0), null, true),
        lines);
    telemetry.appendLogs(job.id(), 1, List.of(line("working")));
    await().until(() -> lines.items.size() == 1);

    stop(job);

    await().until(lines.ended::get);
    assertThat(live.openStreams()).isZero();
  }

  @Test
  void closingTheServiceClosesEveryStreamAndRefusesNewOnes() {
    Recording<FeedEvent> stream = new Recording<>();
    live.watch(VIEWER, EventWatch.everyJob(null, 0), stream);
    live.close();
    assertThat(stream.closed).isTrue();
    assertThatThrownBy(() -> live.watch(VIEWER, EventWatch.everyJob(null, 0), new Recording<>()))
        .extracting(e -> ((DomainException) e).reason())
        .isEqualTo(DomainException.Reason.UNAVAILABLE);
  }
}
