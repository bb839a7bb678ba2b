package io.jobplane.adapters.persistence;

import static io.jobplane.adapters.persistence.TestJobs.T0;
import static io.jobplane.adapters.persistence.TestJobs.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.out.IdempotencyKeys;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.domain.DesiredState;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.EventType;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobInput;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.Labels;
import io.jobplane.domain.SecretRef;
import io.jobplane.domain.StopMode;
import io.jobplane.domain.TimelineEvent;
import io.jobplane.domain.WorkerCommand;
import io.jobplane.domain.WorkerPlacement;
import io.jobplane.domain.query.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbiJobRepositoryIT {

  private static final ExecutorService THREADS = Executors.newFixedThreadPool(8);

  private final PostgresStore store = TestDatabase.store();
  private final JobRepository jobs = store.jobRepository();
  private final TransactionRunner tx = store.transactions();
  private final IdempotencyKeys keys = store.idempotencyKeys();

  @BeforeEach
  void emptyTables() {
    TestDatabase.reset();
  }

  @AfterAll
  static void stopThreads() {
    THREADS.shutdownNow();
  }

  @Test
  void insertedJobIsFoundWithEveryFieldAsStoredAndVersionOne() {
    JobSnapshot full =
        job()
            .with(
                j -> {
                  j.name = "Ünïcode name – 100% _done_ \\ 'quoted'";
                  j.type = "ml.train";
                  j.project = "research-1";
                  j.labels = Map.of("env", "prod", "team.io/owner", "ml_ops", "gpu", "");
                  j.input = "{ \"b\": [1, 2.50, null], \"a\": {\"x\": \"y\"} }";
                  j.maxAttempts = 7;
                  j.priority = -1000;
                  j.queue = "gpu-queue";
                  j.timeoutSeconds = 3600;
                  j.parallelism = 12;
                  j.status = JobStatus.FAILED;
                  j.runId = 4;
                  j.attempt = 3;
                  j.progress = 42;
                  j.createdBy = "svc:batch";
                  j.createdAt = Instant.parse("2024-02-29T23:59:59.999999Z");
                  j.updatedAt = Instant.parse("2024-03-01T00:00:01.000001Z");
                  j.queuedAt = Instant.parse("2024-03-01T00:00:00.5Z");
                  j.startedAt = Instant.parse("2024-03-01T00:00:00.75Z");
                  j.finishedAt = Instant.parse("2024-03-01T00:00:01.000001Z");
                  j.error = new JobError("OOM", "killed: out of memory");
                  j.desiredState = DesiredState.STOPPED;
                  j.stopMode = StopMode.IMMEDIATE;
                  j.stopTimeoutSeconds = 0;
                  j.checkpointId = "ckpt/2024-03-01";
                })
            .snapshot();
    JobSnapshot minimal =
        job()
            .with(
                j -> {
                  j.queuedAt = null;
                  j.status = JobStatus.PENDING;
                })
            .snapshot();
    JobSnapshot errorWithoutMessage =
        job().with(j -> j.error = new JobError("REASON_ONLY", null)).snapshot();

    for (JobSnapshot s : List.of(full, minimal, errorWithoutMessage)) {
      JobSnapshot stored = jobs.insert(Job.restore(s));

      assertThat(stored).isEqualTo(s.withVersion(1));
      assertThat(jobs.findById(s.id())).contains(s.withVersion(1));
    }
  }

  @Test
  void jobsInsertedInOneStatementAreFoundWithEveryFieldAsStored() {
    JobSnapshot times =
        job()
            .with(
                j -> {
                  j.name = "Ünïcode, \"quoted\" {braces} 'single' \\ back";
                  j.labels = Map.of("env", "prod", "empty", "");
                  j.input = "{ \"b\": [1, 2.50, null] }";
                  j.status = JobStatus.FAILED;
                  j.progress = 42;
                  j.createdAt = Instant.parse("2024-02-29T23:59:00Z");
                  j.updatedAt = Instant.parse("2024-03-01T00:00:01.000001Z");
                  j.startedAt = Instant.parse("2024-03-01T00:00:00.75Z");
                  j.finishedAt = Instant.parse("2024-03-01T00:00:01.000001Z");
                  j.error = new JobError("OOM", null);
                  j.desiredState = DesiredState.STOPPED;
                  j.stopMode = StopMode.IMMEDIATE;
                  j.stopTimeoutSeconds = 0;
                  j.checkpointId = "ckpt/1";
                })
            .snapshot();
    JobSnapshot placed =
        JobTestData.aJob()
            .withCommand(
                new WorkerCommand(
                    List.of("run", "--flag=a b"),
                    Map.of("MODE", "x, y"),
                    Map.of("DB_PASSWORD", new SecretRef("db", "PASSWORD"))))
            .placedBy(WorkerPlacement.broadcast("zone=eu,gpu", true))
            .build();
    JobSnapshot selected =
        JobTestData.aJob().placedBy(WorkerPlacement.selecting("gpu=a100")).build();

    List<JobSnapshot> given = List.of(times, placed, selected);
    List<JobSnapshot> stored = jobs.insertAll(given.stream().map(Job::restore).toList());

    for (int i = 0; i < given.size(); i++) {
      JobSnapshot s = given.get(i);
      assertThat(stored.get(i)).isEqualTo(s.withVersion(1));
      assertThat(jobs.findById(s.id())).contains(s.withVersion(1));
    }
  }

  @Test
  void findingAnUnknownIdGivesNothing() {
    assertThat(jobs.findById(JobId.random())).isEmpty();
  }

  @Test
  void insertingAnExistingIdIsAConflict() {
    JobSnapshot s = job().snapshot();
    jobs.insert(Job.restore(s));

    assertThatThrownBy(() -> jobs.insert(Job.restore(s)))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.CONFLICT));
  }

  @Test
  void jobsInsertedTogetherAreStoredWithTheirEventsOrNoneOfThemIs() {
    JobSnapshot a = job().snapshot();
    JobSnapshot b = job().with(j -> j.project = "beta").snapshot();
    List<JobSnapshot> stored = jobs.insertAll(List.of(Job.restore(a), Job.restore(b)));
    assertThat(stored).extracting(JobSnapshot::version).containsExactly(1L, 1L);
    assertThat(jobs.findById(b.id())).contains(stored.get(1));

    JobSnapshot c = job().snapshot();
    assertThatThrownBy(() -> jobs.insertAll(List.of(Job.restore(c), Job.restore(a))))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.CONFLICT));
    assertThat(jobs.findById(c.id())).as("rolled back with the batch").isEmpty();
  }

  @Test
  void eventsAreAppendedInOrderAcrossUpdatesAndRunsAndReadBackOldestOrNewestFirst() {
    JobDefinition def =
        JobDefinition.builder()
            .name("report")
            .type("etl")
            .project("alpha")
            .labels(Labels.EMPTY)
            .input(JobInput.EMPTY)
            .maxAttempts(2)
            .priority(0)
            .queue("default")
            .runtime(JobRuntime.WORKER)
            .parallelism(1)
            .build();
    Instant t = T0;
    Job job = Job.submit(JobId.random(), def, "alice", t, "api:alice");
    job.enqueue(t, "api:alice");
    JobSnapshot v1 = jobs.insert(job);

    Job running = Job.restore(v1);
    running.start(t.plusSeconds(1), "worker:w1");
    running.retry(new JobError("FLAKY", "network"), t.plusSeconds(2), "worker:w1");
    running.start(t.plusSeconds(3), "worker:w1");
    running.fail(new JobError("BROKEN", "bad input"), t.plusSeconds(4), "worker:w1");
    JobSnapshot v2 = jobs.update(running);

    Job restarted = Job.restore(v2);
    restarted.restart("ckpt-1", 4, t.plusSeconds(5), "api:bob");
    JobSnapshot v3 = jobs.update(restarted);

    assertThat(v3.version()).isEqualTo(3);
    assertThat(jobs.findById(job.id())).contains(v3);
    assertThat(v3.runId()).isEqualTo(2);
    assertThat(v3.definition().parallelism()).isEqualTo(4);

    Page<TimelineEvent> all = jobs.timeline(job.id(), 100, 0);
    List<TimelineEvent> expected = new ArrayList<>();
    expected.addAll(job.uncommittedEvents());
    expected.addAll(running.uncommittedEvents());
    expected.addAll(restarted.uncommittedEvents());
    assertThat(all.items()).containsExactlyElementsOf(expected);
    assertThat(all.items())
        .extracting(TimelineEvent::type)
        .containsExactly(
            EventType.SUBMITTED,
            EventType.QUEUED,
            EventType.STARTED,
            EventType.RETRIED,
            EventType.STARTED,
            EventType.FAILED,
            EventType.RESTARTED);
    assertThat(all.items()).extracting(TimelineEvent::runId).containsExactly(1, 1, 1, 1, 1, 1, 2);
    assertThat(all.items()).extracting(TimelineEvent::attempt).containsExactly(1, 1, 1, 2, 2, 2, 1);
    assertThat(all.total()).isEqualTo(7);
    assertThat(all.hasMore()).isFalse();

    Page<TimelineEvent> middle = jobs.timeline(job.id(), 3, 2);
    assertThat(middle.items()).containsExactlyElementsOf(expected.subList(2, 5));
    assertThat(middle.total()).isEqualTo(7);
    assertThat(middle.hasMore()).isTrue();
    assertThat(middle.offset()).isEqualTo(2);
    assertThat(middle.limit()).isEqualTo(3);

    Page<TimelineEvent> last = jobs.timeline(job.id(), 3, 6);
    assertThat(last.items()).containsExactly(expected.get(6));
    assertThat(last.hasMore()).isFalse();

    assertThat(jobs.latestEvents(job.id(), 2)).containsExactly(expected.get(6), expected.get(5));
    assertThat(jobs.timeline(JobId.random(), 10, 0).items()).isEmpty();
    assertThat(jobs.timeline(JobId.random(), 10, 0).total()).isZero();
  }

  @Test
  void updateWithAStaleVersionIsAConflictAndChangesNothing() {
    JobSnapshot v1 = jobs.insert(job().restored());
    Job first = Job.restore(v1);
    first.suspend(T0.plusSeconds(1), "api:a");
    JobSnapshot v2 = jobs.update(first);

    Job stale = Job.restore(v1);
    stale.requestStop(StopMode.FORCE, null, T0.plusSeconds(2), "api:b");

    assertThatThrownBy(() -> jobs.update(stale))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(DomainException.Reason.CONFLICT);
              assertThat(e.getMessage())
                  .isEqualTo("job " + v1.id() + " was changed concurrently; reload and retry");
            });
    assertThat(jobs.findById(v1.id())).contains(v2);
    assertThat(jobs.timeline(v1.id(), 10, 0).items())
        .extracting(TimelineEvent::type)
        .containsExactly(EventType.SUSPENDED);
  }

  @Test
  void updateOfADeletedJobIsNotFound() {
    JobSnapshot v1 = jobs.insert(job().restored());
    Job job = Job.restore(v1);
    job.suspend(T0.plusSeconds(1), "api:a");
    jobs.delete(v1.id(), 1);

    assertThatThrownBy(() -> jobs.update(job))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.NOT_FOUND));
  }

  @Test
  void ofTwoConcurrentWritersExactlyOneWinsAndTheOtherGetsAConflict() throws Exception {
    for (int round = 0; round < 5; round++) {
      JobSnapshot v1 = jobs.insert(job().restored());
      CountDownLatch firstWrote = new CountDownLatch(1);

      Future<JobSnapshot> first =
          THREADS.submit(
              () ->
                  tx.inTransaction(
                      () -> {
                        Job j = Job.restore(v1);
                        j.suspend(T0.plusSeconds(1), "api:first");
                        JobSnapshot written = jobs.update(j);
                        firstWrote.countDown();
                        sleep(Duration.ofMillis(300)); // keep the row locked for a while
                        return written;
                      }));
      Future<JobSnapshot> second =
          THREADS.submit(
              () -> {
                firstWrote.await(10, TimeUnit.SECONDS);
                Job j = Job.restore(v1);
                j.requestStop(StopMode.FORCE, null, T0.plusSeconds(2), "api:second");
                return jobs.update(j); // waits for the first to commit, then finds version 2
              });

      JobSnapshot winner = first.get(30, TimeUnit.SECONDS);
      assertThatThrownBy(() -> second.get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(DomainException.class)
          .satisfies(
              e ->
                  assertThat(((DomainException) e.getCause()).reason())
                      .isEqualTo(DomainException.Reason.CONFLICT));
      assertThat(winner.status()).isEqualTo(JobStatus.SUSPENDED);
      assertThat(jobs.findById(v1.id())).contains(winner);
      assertThat(jobs.timeline(v1.id(), 10, 0).items())
          .extracting(TimelineEvent::source)
          .containsExactly("api:first");
    }
  }

  @Test
  void concurrentReadModifyWriteLoopsWithRetriesLoseNoUpdate() throws Exception {
    JobSnapshot v1 =
        jobs.insert(
            job()
                .with(
                    j -> {
                      j.status = JobStatus.RUNNING;
                      j.startedAt = T0;
                      j.progress = 0;
                    })
                .restored());
    int writers = 4;
    int incrementsEach = 25;
    List<Future<Integer>> results = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      results.add(
          THREADS.submit(
              () -> {
                int conflicts = 0;
                for (int i = 0; i < incrementsEach; i++) {
                  while (true) {
                    JobSnapshot current = jobs.findById(v1.id()).orElseThrow();
                    Job j = Job.restore(current);
                    j.reportProgress(current.progress() + 1, TestJobs.now());
                    try {
                      jobs.update(j);
                      break;
                    } catch (DomainException e) {
                      assertThat(e.reason()).isEqualTo(DomainException.Reason.CONFLICT);
                      conflicts++;
                    }
                  }
                }
                return conflicts;
              }));
    }
    for (Future<Integer> f : results) {
      f.get(60, TimeUnit.SECONDS);
    }

    JobSnapshot end = jobs.findById(v1.id()).orElseThrow();
    assertThat(end.progress()).isEqualTo(writers * incrementsEach);
    assertThat(end.version()).isEqualTo(1 + writers * incrementsEach);
  }

  @Test
  void deleteRemovesTheJobItsTimelineItsIdempotencyKeysAndItsCount() {
    Job job =
        Job.submit(
            JobId.random(),
            JobDefinition.builder()
                .name("x")
                .type("etl")
                .project("alpha")
                .labels(Labels.EMPTY)
                .input(JobInput.EMPTY)
                .maxAttempts(1)
                .priority(0)
                .queue("default")
                .runtime(JobRuntime.WORKER)
                .parallelism(1)
                .build(),
            "alice",
            T0,
            "api:alice");
    job.requestStop(StopMode.GRACEFUL, null, T0, "api:alice");
    JobSnapshot stored = jobs.insert(job);
    keys.remember("alice", "key-1", "fp", stored.id(), T0);
    JobSnapshot other = jobs.insert(job().restored());
    assertThat(jobs.countByStatus().get(JobStatus.STOPPED)).isEqualTo(1);

    jobs.delete(stored.id(), 1);

    assertThat(jobs.findById(stored.id())).isEmpty();
    assertThat(jobs.timeline(stored.id(), 10, 0).total()).isZero();
    assertThat(keys.find("alice", "key-1")).isEmpty();
    assertThat(jobs.countByStatus().get(JobStatus.STOPPED)).isZero();
    assertThat(jobs.findById(other.id())).contains(other);
  }

  @Test
  void deleteWithAStaleVersionIsAConflictAndOfAMissingJobIsNotFound() {
    JobSnapshot v1 = jobs.insert(job().restored());
    Job j = Job.restore(v1);
    j.suspend(T0.plusSeconds(1), "api:a");
    jobs.update(j);

    assertThatThrownBy(() -> jobs.delete(v1.id(), 1))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.CONFLICT));
    assertThat(jobs.findById(v1.id())).isPresent();

    jobs.delete(v1.id(), 2);
    assertThatThrownBy(() -> jobs.delete(v1.id(), 2))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.NOT_FOUND));
  }

  @Test
  void statusCountsFollowInsertsTransitionsAndDeletesLikeABruteForceCount() {
    List<JobSnapshot> current = new ArrayList<>();
    JobStatus[] statuses = JobStatus.values();
    for (int i = 0; i < 40; i++) {
      int n = i;
      current.add(
          jobs.insert(
              job()
                  .with(
                      j -> {
                        j.status = statuses[n % statuses.length];
                        j.project = n % 3 == 0 ? "alpha" : "beta";
                        j.type = n % 2 == 0 ? "etl" : "ml";
                      })
                  .restored()));
    }
    // queue every suspended job, stop every queued one, delete every stopped one with even index
    for (int i = 0; i < current.size(); i++) {
      JobSnapshot s = current.get(i);
      Job j = Job.restore(s);
      if (s.status() == JobStatus.SUSPENDED) {
        j.resume(T0.plusSeconds(5), "api:t");
        current.set(i, jobs.update(j));
      } else if (s.status() == JobStatus.QUEUED) {
        j.requestStop(StopMode.GRACEFUL, null, T0.plusSeconds(5), "api:t");
        current.set(i, jobs.update(j));
      } else if (s.status() == JobStatus.RUNNING) {
        j.reportProgress(50, T0.plusSeconds(5)); // no status change
        current.set(i, jobs.update(j));
      }
    }
    List<JobSnapshot> remaining = new ArrayList<>();
    for (int i = 0; i < current.size(); i++) {
      JobSnapshot s = current.get(i);
      if (s.status() == JobStatus.STOPPED && i % 2 == 0) {
        jobs.delete(s.id(), s.version());
      } else {
        remaining.add(s);
      }
    }

    Map<JobStatus, Long> expected = new EnumMap<>(JobStatus.class);
    for (JobStatus s : JobStatus.values()) {
      expected.put(s, remaining.stream().filter(j -> j.status() == s).count());
    }
    assertThat(jobs.countByStatus()).isEqualTo(expected);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
