package io.jobplane.application.service;

import static io.jobplane.application.testing.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.SubmitJobUseCase.Submitted;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.testing.DirectTransactionRunner;
import io.jobplane.application.testing.InMemoryIdempotencyKeys;
import io.jobplane.application.testing.InMemoryJobRepository;
import io.jobplane.application.testing.InMemoryProjectLimitsStore;
import io.jobplane.application.testing.InMemoryServices;
import io.jobplane.application.testing.InMemoryTaskRepository;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.EventType;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.ProjectLimits;
import io.jobplane.domain.TaskStatus;
import io.jobplane.domain.TimelineEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Submits stored together by the group commit behave as submits stored alone. */
class SubmitGroupCommitTest {

  private final InMemoryJobRepository stored = new InMemoryJobRepository();
  private final List<String> insertingThreads = new CopyOnWriteArrayList<>();

  /** The store, noting which thread writes each new job. */
  private final JobRepository jobs =
      new ForwardingJobRepository(stored) {
        @Override
        public JobSnapshot insert(Job job) {
          insertingThreads.add(Thread.currentThread().getName());
          return super.insert(job);
        }

        @Override
        public List<JobSnapshot> insertAll(List<Job> added) {
          added.forEach(j -> insertingThreads.add(Thread.currentThread().getName()));
          return super.insertAll(added);
        }
      };

  private final MutableClock clock = MutableClock.fixed();
  private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(stored, clock);
  private final InMemoryProjectLimitsStore limits = new InMemoryProjectLimitsStore(stored);
  private final DirectTransactionRunner tx = new DirectTransactionRunner();
  private final SubmitJobService service =
      InMemoryServices.submit(jobs, tasks, new InMemoryIdempotencyKeys(), tx, clock)
          .limits(limits)
          .groupCommit(2, 16)
          .build();
  private final Caller ci = new Caller("ci", Set.of(Role.SUBMITTER), Set.of("default"));
  private final JobDefinition definition = aJob().definition();

  @AfterEach
  void stop() {
    service.close();
  }

  @Test
  void aGroupedSubmitIsStoredWithItsEventsAndQueuedTasksAsAloneWouldBe() {
    Submitted submitted = service.submit(new SubmitJobCommand(ci, definition, false, null));

    assertThat(submitted.created()).isTrue();
    assertThat(submitted.job().status()).isEqualTo(JobStatus.QUEUED);
    assertThat(submitted.job().version()).isEqualTo(1);
    assertThat(stored.events(submitted.job().id()))
        .extracting(TimelineEvent::type)
        .containsExactly(EventType.SUBMITTED, EventType.QUEUED);
    assertThat(tasks.forRun(submitted.job().id(), 1))
        .singleElement()
        .satisfies(t -> assertThat(t.status()).isEqualTo(TaskStatus.QUEUED));
  }

  @Test
  void aSubmitOutsideATransactionIsWrittenByACommitterAndOneInsideByItsCaller() {
    service.submit(new SubmitJobCommand(ci, definition, false, null));
    tx.inTransaction(() -> service.submit(new SubmitJobCommand(ci, definition, false, null)));

    assertThat(insertingThreads).hasSize(2);
    assertThat(insertingThreads.get(0)).startsWith("jobplane-submit-commit-");
    assertThat(insertingThreads.get(1)).isEqualTo(Thread.currentThread().getName());
  }

  @Test
  void manyConcurrentSubmitsAreEachStoredOnceWithTheirTasks() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(16);
    try {
      List<Future<Submitted>> submits = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        boolean suspended = i % 5 == 0;
        submits.add(
            callers.submit(
                () -> service.submit(new SubmitJobCommand(ci, definition, suspended, null))));
      }
      for (Future<Submitted> f : submits) {
        Submitted s = f.get(30, TimeUnit.SECONDS);
        assertThat(jobs.findById(s.job().id())).contains(s.job());
        assertThat(tasks.forRun(s.job().id(), 1)).hasSize(1);
      }
    } finally {
      callers.shutdownNow();
    }
    assertThat(jobs.countByStatus())
        .containsEntry(JobStatus.QUEUED, 320L)
        .containsEntry(JobStatus.SUSPENDED, 80L);
  }

  @Test
  void aProjectWithAQueuedLimitIsAdmittedAloneUnderItsLock() {
    limits.put("default", new ProjectLimits(null, 1L, 1, Map.of()), "admin", clock.instant());

    service.submit(new SubmitJobCommand(ci, definition, false, null));

    assertThatThrownBy(() -> service.submit(new SubmitJobCommand(ci, definition, false, null)))
        .isInstanceOf(DomainException.class)
        .extracting(e -> ((DomainException) e).reason())
        .isEqualTo(DomainException.Reason.TOO_MANY_REQUESTS);
    assertThat(limits.admissionLocks).containsExactly("default", "default");
    assertThat(jobs.countByStatus()).containsEntry(JobStatus.QUEUED, 1L);
  }
}
