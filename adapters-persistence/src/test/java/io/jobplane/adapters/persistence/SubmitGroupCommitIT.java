package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.SubmitJobUseCase.Submitted;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.service.SubmitJobService;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.ProjectLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Submits stored together by the group commit, on the real PostgreSQL and under concurrency. */
class SubmitGroupCommitIT {

  private static final int CALLERS = 16;

  private final PostgresStore store = TestDatabase.store();
  private final StoreServices services = new StoreServices(store);
  private final SubmitJobService submit =
      StoreServices.submitOn(store)
          .clock(services.clock)
          .limits(store.projectLimits())
          .groupCommit(4, 64)
          .build();
  private final Caller ci = new Caller("ci", Set.of(Role.SUBMITTER), null);
  private final ExecutorService pool = Executors.newFixedThreadPool(CALLERS);

  @BeforeEach
  void emptyTables() {
    TestDatabase.reset();
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
    submit.close();
  }

  @Test
  void concurrentSubmitsAreEachStoredOnceWithTheirTaskEventsAndCounts() throws Exception {
    List<Object> outcomes =
        submitTogether(800, i -> JobTestData.aJob().inProject(i % 2 == 0 ? "alpha" : "beta"));

    assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(Submitted.class));
    assertThat(TestDatabase.longs("SELECT count(*) FROM jobs")).containsExactly(800L);
    assertThat(
            TestDatabase.longs(
                "SELECT count(DISTINCT job_id) FROM job_tasks WHERE status = 'QUEUED'"))
        .containsExactly(800L);
    assertThat(
            TestDatabase.longs(
                "SELECT count(*) FROM job_events GROUP BY job_id HAVING count(*) <> 2"))
        .isEmpty();
    assertThat(
            TestDatabase.longs("SELECT sum(count) FROM job_status_counts WHERE status = 'QUEUED'"))
        .containsExactly(800L);
    for (Object o : outcomes) {
      Submitted s = (Submitted) o;
      assertThat(store.jobRepository().findById(s.job().id())).contains(s.job());
    }
  }

  @Test
  void aProjectsMaxQueuedHoldsAgainstConcurrentGroupedSubmits() throws Exception {
    store
        .projectLimits()
        .put("etl", new ProjectLimits(null, 10L, 1, Map.of()), "admin", Instant.now());

    List<Object> outcomes =
        submitTogether(
            60, i -> i % 2 == 0 ? JobTestData.aJob().inProject("etl") : JobTestData.aJob());

    assertThat(outcomes.stream().filter(DomainException.class::isInstance))
        .hasSize(20)
        .allSatisfy(
            e ->
                assertThat(((DomainException) e).reason())
                    .isEqualTo(DomainException.Reason.TOO_MANY_REQUESTS));
    assertThat(TestDatabase.longs("SELECT count(*) FROM jobs WHERE project = 'etl'"))
        .containsExactly(10L);
    assertThat(TestDatabase.longs("SELECT count(*) FROM jobs WHERE project = 'default'"))
        .containsExactly(30L);
  }

  @Test
  void aSubmitInsideTheCallersTransactionRollsBackWithIt() throws Exception {
    SubmitJobCommand command =
        new SubmitJobCommand(ci, JobTestData.aJob().definition(), false, null);

    assertThatThrownBy(
            () ->
                store
                    .transactions()
                    .inTransaction(
                        () -> {
                          submit.submit(command);
                          throw new IllegalStateException("a later node of the graph is refused");
                        }))
        .hasMessageContaining("later node");
    assertThat(TestDatabase.longs("SELECT count(*) FROM jobs")).containsExactly(0L);
  }

  private List<Object> submitTogether(int count, java.util.function.IntFunction<JobTestData> job)
      throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Submitted>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SubmitJobCommand command = new SubmitJobCommand(ci, job.apply(i).definition(), false, null);
      futures.add(
          pool.submit(
              () -> {
                start.await();
                return submit.submit(command);
              }));
    }
    start.countDown();
    List<Object> outcomes = new ArrayList<>();
    for (Future<Submitted> f : futures) {
      try {
        outcomes.add(f.get(60, TimeUnit.SECONDS));
      } catch (ExecutionException e) {
        outcomes.add(e.getCause());
      }
    }
    return outcomes;
  }
}
