package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.ScheduleTicksUseCase.TickResult;
import io.jobplane.application.port.in.SchedulesUseCase.ScheduleView;
import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.out.CronRules;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.service.ControlJobService;
import io.jobplane.application.service.ScheduleService;
import io.jobplane.application.service.SubmitJobService;
import io.jobplane.application.service.WorkloadOutbox;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobInput;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.KubernetesPlacement;
import io.jobplane.domain.Labels;
import io.jobplane.domain.WorkerCommand;
import io.jobplane.domain.schedule.ConcurrencyPolicy;
import io.jobplane.domain.schedule.CronRule;
import io.jobplane.domain.schedule.Schedule;
import io.jobplane.domain.schedule.ScheduleId;
import io.jobplane.domain.schedule.ScheduleResource;
import io.jobplane.domain.schedule.ScheduleSpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Schedules on a real PostgreSQL: ticks exactly once across replicas, catch-up after downtime and
 * the concurrency policies, driven by a clock the test moves.
 */
class ScheduleIT {

  private static final Caller ALICE = new Caller("alice", Set.of(Role.SUBMITTER), Set.of("etl"));

  /** Every second, as {@code *}/1 * * * * * reads; the cron adapter itself is tested on its own. */
  private static final CronRules EVERY_SECOND =
      expression ->
          new CronRule() {
            @Override
            public Optional<ZonedDateTime> next(ZonedDateTime after) {
              return Optional.of(after.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1));
            }

            @Override
            public Optional<ZonedDateTime> previous(ZonedDateTime before) {
              ZonedDateTime second = before.truncatedTo(ChronoUnit.SECONDS);
              return Optional.of(second.equals(before) ? second.minusSeconds(1) : second);
            }
          };

  private final PostgresStore store = TestDatabase.store();
  private final MutableClock clock = MutableClock.at(Instant.parse("2026-11-23T12:00:00.250Z"));

  @BeforeEach
  void emptyTables() throws SQLException {
    TestDatabase.reset();
    execute("DELETE FROM schedules");
  }

  private ScheduleService service(PostgresStore s) {
    SubmitJobService submit = StoreServices.submitOn(s).clock(clock).build();
    ControlJobService control =
        new ControlJobService(
            s.jobRepository(),
            s.taskRepository(),
            s.jobLocks(),
            s.workerPresence(),
            s.telemetryRepository(),
            s.transactions(),
            clock,
            WorkloadOutbox.disabled());
    return new ScheduleService(
        s.scheduleRepository(),
        s.jobRepository(),
        submit,
        control,
        EVERY_SECOND,
        s.transactions(),
        clock);
  }

  private static ScheduleSpec.Builder everySecond() {
    return ScheduleSpec.builder()
        .name("every second")
        .cron("*/1 * * * * *")
        .timeZone(ZoneId.of("Europe/Berlin"))
        .job(
            JobDefinition.builder()
                .name("import")
                .type("import")
                .project("etl")
                .labels(new Labels(Map.of("team", "data")))
                .input(new JobInput("{\"source\":\"s3\"}"))
                .maxAttempts(2)
                .priority(5)
                .queue("imports")
                .runtime(JobRuntime.WORKER)
                .timeoutSeconds(600)
                .parallelism(2)
                .command(new WorkerCommand(List.of("import.sh", "--all"), Map.of("MODE", "full")))
                .build());
  }

  @Test
  void aScheduleIsStoredWithItsTemplateAndReadBackUnchanged() {
    ScheduleService schedules = service(store);
    ScheduleSpec spec = everySecond().startingDeadlineSeconds(30).maxCatchUp(4).build();

    ScheduleView created = schedules.create(ALICE, () -> spec);
    Schedule read = schedules.get(ALICE, created.schedule().id()).schedule();

    assertThat(read.spec()).isEqualTo(spec);
    assertThat(read.version()).isEqualTo(1);
    assertThat(read.nextRunTime()).isEqualTo(Instant.parse("2026-11-23T12:00:01Z"));
    assertThatThrownBy(() -> schedules.create(ALICE, () -> spec))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.CONFLICT));
  }

  @Test
  void aResourcesScheduleIsStoredOnceOwnedByItAndRefusesTheApisWrites() {
    ScheduleService schedules = service(store);
    ScheduleId id = ScheduleId.random();
    ScheduleResource resource = new ScheduleResource("team-a", "nightly");
    // a Kubernetes template without a resource name, as a JobSchedule's: each job gets its own
    ScheduleSpec spec =
        everySecond()
            .name("team-a/nightly")
            .job(
                JobDefinition.builder()
                    .name("nightly")
                    .type("report")
                    .project("etl")
                    .labels(new Labels(Map.of("team", "data")))
                    .input(new JobInput("{\"day\":\"today\"}"))
                    .maxAttempts(1)
                    .runtime(JobRuntime.KUBERNETES)
                    .kubernetes(
                        new KubernetesPlacement(
                            "team-a", null, "{\"spec\":{\"containers\":[{\"name\":\"main\"}]}}"))
                    .build())
            .build();

    ScheduleView first = schedules.apply(id, resource, spec);
    clock.advance(Duration.ofSeconds(5));
    ScheduleView again = schedules.apply(id, resource, spec);

    assertThat(again.schedule().resource()).isEqualTo(resource);
    assertThat(again.schedule().createdBy()).isEqualTo("kubernetes:team-a");
    assertThat(again.schedule().spec()).isEqualTo(spec);
    assertThat(again.schedule().version())
        .as("read back equal: a status refresh stores nothing")
        .isEqualTo(first.schedule().version());
    assertThatThrownBy(() -> schedules.delete(ALICE, id))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(DomainException.Reason.CONFLICT);
              assertThat(e.getMessage()).contains("JobSchedule resource team-a/nightly");
            });
    assertThatThrownBy(() -> schedules.replace(ALICE, id, () -> spec))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.CONFLICT));

    ScheduleView changed = schedules.apply(id, resource, spec.toBuilder().suspend(true).build());
    assertThat(changed.schedule().version()).isEqualTo(first.schedule().version() + 1);
    assertThat(changed.schedule().updatedAt()).isEqualTo(clock.instant());

    schedules.forget(id);
    assertThat(store.scheduleRepository().find(id)).isEmpty();
  }

  @Test
  void anotherProjectsScheduleIsNotFound() {
    ScheduleService schedules = service(store);
    ScheduleId id = schedules.create(ALICE, () -> everySecond().build()).schedule().id();
    Caller bob = new Caller("bob", Set.of(Role.SUBMITTER), Set.of("web"));

    assertThatThrownBy(() -> schedules.get(bob, id))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.NOT_FOUND));
    assertThatThrownBy(() -> schedules.trigger(bob, id))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.NOT_FOUND));
    assertThat(schedules.list(bob, null, 100)).isEmpty();
    assertThat(schedules.list(ALICE, null, 100)).hasSize(1);
  }

  @Test
  void twoReplicasTickingConcurrentlyStartEachTickExactlyOnce() throws Exception {
    ScheduleService first = service(store);
    ScheduleId id =
        first
            .create(
                ALICE, () -> everySecond().maxCatchUp(100).successfulJobsHistoryLimit(100).build())
            .schedule()
            .id();
    Instant created = clock.instant();
    try (PostgresStore other = PostgresStore.open(TestDatabase.config(), null)) {
      ScheduleService second = service(other);
      AtomicBoolean running = new AtomicBoolean(true);
      CompletableFuture<Void> a = CompletableFuture.runAsync(() -> tickWhile(first, running));
      CompletableFuture<Void> b = CompletableFuture.runAsync(() -> tickWhile(second, running));
      for (int i = 0; i < 40; i++) {
        clock.advance(Duration.ofMillis(250));
        Thread.sleep(15);
      }
      running.set(false);
      a.get(30, TimeUnit.SECONDS);
      b.get(30, TimeUnit.SECONDS);
      // whatever the loops left behind: up to 100 missed ticks are caught up
      second.tick(clock.instant());
    }

    // 12:00:00.250 to 12:00:10.250: the ticks 12:00:01 ... 12:00:10
    long seconds =
        Duration.between(created.truncatedTo(ChronoUnit.SECONDS), clock.instant()).toSeconds();
    List<String> times = scheduledTimes(id);
    assertThat(times).hasSize((int) seconds).doesNotHaveDuplicates();
    assertThat(count("SELECT count(*) FROM schedule_ticks WHERE outcome = 'STARTED'"))
        .isEqualTo(seconds);
    assertThat(service(store).get(ALICE, id).schedule().lastScheduledTime())
        .isEqualTo(clock.instant().truncatedTo(ChronoUnit.SECONDS));
  }

  private void tickWhile(ScheduleService service, AtomicBoolean running) {
    while (running.get()) {
      service.tick(clock.instant());
    }
  }

  @Test
  void afterDowntimeOnlyMaxCatchUpTicksWithinTheDeadlineRun() {
    ScheduleService schedules = service(store);
    ScheduleId one =
        schedules.create(ALICE, () -> everySecond().name("one").build()).schedule().id();
    ScheduleId three =
        schedules
            .create(
                ALICE,
                () -> everySecond().name("three").maxCatchUp(5).startingDeadlineSeconds(3).build())
            .schedule()
            .id();

    clock.advance(Duration.ofMinutes(10)); // the server was down
    assertThat(store.scheduleRepository().oldestDue(clock.instant()))
        .as("the lag: both were due at 12:00:01")
        .contains(Instant.parse("2026-11-23T12:00:01Z"));
    TickResult result = schedules.tick(clock.instant());

    // now 12:10:00.250: max_catch_up 1 runs the latest tick only
    assertThat(scheduledTimes(one)).containsExactly(epoch("2026-11-23T12:10:00Z"));
    // 5 most recent are :56 to :00; :56 and :57 are older than 3 s
    assertThat(scheduledTimes(three))
        .containsExactlyInAnyOrder(
            epoch("2026-11-23T12:09:58Z"),
            epoch("2026-11-23T12:09:59Z"),
            epoch("2026-11-23T12:10:00Z"));
    assertThat(schedules.get(ALICE, three).schedule().nextRunTime())
        .isEqualTo(Instant.parse("2026-11-23T12:10:01Z"));
    // missed: one saw :59 beyond its catch-up; three saw :55 beyond it and :56, :57 too late
    assertThat(result).isEqualTo(new TickResult(2, 4, 0, 4));
    assertThat(store.scheduleRepository().oldestDue(clock.instant())).isEmpty();
  }

  @Test
  void allowStartsAJobEveryTickWhileEarlierOnesAreStillQueued() {
    ScheduleService schedules = service(store);
    ScheduleId id = schedules.create(ALICE, () -> everySecond().build()).schedule().id();

    tickSeconds(schedules, 3);

    assertThat(statuses(id)).containsExactly("QUEUED", "QUEUED", "QUEUED");
  }

  @Test
  void forbidSkipsTicksWhileAJobOfTheScheduleIsActive() {
    ScheduleService schedules = service(store);
    ScheduleId id =
        schedules
            .create(ALICE, () -> everySecond().concurrencyPolicy(ConcurrencyPolicy.FORBID).build())
            .schedule()
            .id();

    int skipped = tickSeconds(schedules, 3);

    assertThat(statuses(id)).containsExactly("QUEUED");
    assertThat(count("SELECT count(*) FROM schedule_ticks WHERE outcome = 'SKIPPED'")).isEqualTo(2);
    assertThat(skipped).isEqualTo(2);
  }

  @Test
  void replaceStopsTheActiveJobAndTheFailedHistoryLimitDeletesTheOlderStoppedOnes() {
    ScheduleService schedules = service(store);
    ScheduleId id =
        schedules
            .create(
                ALICE,
                () ->
                    everySecond()
                        .concurrencyPolicy(ConcurrencyPolicy.REPLACE)
                        .failedJobsHistoryLimit(1)
                        .build())
            .schedule()
            .id();

    tickSeconds(schedules, 3);

    // three started; the first two stopped by their successors; only the newest stopped one kept
    assertThat(statuses(id)).containsExactly("STOPPED", "QUEUED");
    assertThat(count("SELECT count(*) FROM schedule_ticks WHERE outcome = 'STARTED'")).isEqualTo(3);
  }

  @Test
  void anotherProjectsJobWearingTheSchedulesLabelIsNeitherStoppedNorDeleted() {
    ScheduleService schedules = service(store);
    ScheduleId id =
        schedules
            .create(
                ALICE,
                () ->
                    everySecond()
                        .concurrencyPolicy(ConcurrencyPolicy.REPLACE)
                        .failedJobsHistoryLimit(0)
                        .build())
            .schedule()
            .id();
    Caller mallory = new Caller("mallory", Set.of(Role.SUBMITTER), Set.of("other"));
    JobDefinition intruder =
        JobDefinition.builder()
            .name("intruder")
            .type("import")
            .project("other")
            .labels(new Labels(Map.of("jobplane.io/schedule", id.toString())))
            .input(new JobInput("{}"))
            .maxAttempts(1)
            .queue("imports")
            .runtime(JobRuntime.WORKER)
            .command(new WorkerCommand(List.of("true"), Map.of()))
            .build();
    StoreServices.submitOn(store)
        .clock(clock)
        .build()
        .submit(new SubmitJobCommand(mallory, intruder, false, null));

    tickSeconds(schedules, 3);

    assertThat(strings("SELECT status FROM jobs WHERE project = 'other'"))
        .containsExactly("QUEUED");
    assertThat(count("SELECT count(*) FROM jobs WHERE project = 'etl'")).isEqualTo(1);
  }

  @Test
  void aManualRunStartsAJobEvenWhenForbidWouldSkipIt() {
    ScheduleService schedules = service(store);
    ScheduleId id =
        schedules
            .create(ALICE, () -> everySecond().concurrencyPolicy(ConcurrencyPolicy.FORBID).build())
            .schedule()
            .id();
    tickSeconds(schedules, 1);

    var job = schedules.trigger(ALICE, id);

    assertThat(job.definition().labels().values())
        .containsEntry("jobplane.io/schedule", id.toString());
    assertThat(statuses(id)).containsExactly("QUEUED", "QUEUED");
    ScheduleView view = schedules.get(ALICE, id);
    assertThat(view.schedule().lastJob()).isEqualTo(job.id());
    assertThat(view.lastJobStatus()).isEqualTo(JobStatus.QUEUED);
  }

  @Test
  void aSuspendedScheduleStartsNothing() {
    ScheduleService schedules = service(store);
    ScheduleId id =
        schedules.create(ALICE, () -> everySecond().suspend(true).build()).schedule().id();

    tickSeconds(schedules, 3);

    assertThat(statuses(id)).isEmpty();
  }

  /** Ticks once a second; returns the ticks the policy skipped. */
  private int tickSeconds(ScheduleService schedules, int seconds) {
    int skipped = 0;
    for (int i = 0; i < seconds; i++) {
      clock.advance(Duration.ofSeconds(1));
      skipped += schedules.tick(clock.instant()).skipped();
    }
    return skipped;
  }

  private static String epoch(String iso) {
    return Long.toString(Instant.parse(iso).getEpochSecond());
  }

  private List<String> scheduledTimes(ScheduleId id) {
    return strings(
        "SELECT labels->>'jobplane.io/scheduled-time' FROM jobs"
            + " WHERE labels->>'jobplane.io/schedule' = '"
            + id
            + "' ORDER BY created_at, id");
  }

  private List<String> statuses(ScheduleId id) {
    return strings(
        "SELECT status FROM jobs WHERE labels->>'jobplane.io/schedule' = '"
            + id
            + "' ORDER BY labels->>'jobplane.io/scheduled-time', created_at");
  }

  private List<String> strings(String sql) {
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private long count(String sql) {
    return Long.parseLong(strings(sql).get(0));
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
