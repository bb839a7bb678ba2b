package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.out.ProjectLimitsStore;
import io.jobplane.application.port.out.ProjectLimitsStore.StoredLimits;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.ProjectLimits;
import io.jobplane.domain.ProjectLimits.QueueLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Project limits (V24) on the real PostgreSQL: stored, counted, and held under concurrency. */
class ProjectLimitsIT {

  private final PostgresStore store = TestDatabase.store();
  private final ProjectLimitsStore limits = store.projectLimits();
  private final StoreServices services = new StoreServices(store);
  private final ExecutorService pool = Executors.newFixedThreadPool(8);

  @BeforeEach
  void emptyTables() {
    TestDatabase.reset();
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  private void set(String project, ProjectLimits l) {
    limits.put(project, l, "admin", Instant.now());
  }

  /** Runs every task at once (as far as the pool allows) and returns their outcomes. */
  private <T> List<Object> together(List<Callable<T>> tasks) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (Callable<T> t : tasks) {
      futures.add(
          pool.submit(
              () -> {
                start.await();
                return t.call();
              }));
    }
    start.countDown();
    List<Object> outcomes = new ArrayList<>();
    for (Future<T> f : futures) {
      try {
        outcomes.add(f.get(60, TimeUnit.SECONDS));
      } catch (java.util.concurrent.ExecutionException e) {
        outcomes.add(e.getCause());
      }
    }
    return outcomes;
  }

  @Test
  void limitsAreStoredReplacedAndRemovedWithTheirQueues() {
    set("etl", new ProjectLimits(2, 100L, 3, Map.of("gpu", new QueueLimits(1, null))));
    StoredLimits found = limits.find("etl").orElseThrow();
    assertThat(found.limits().maxRunning()).isEqualTo(2);
    assertThat(found.limits().maxQueued()).isEqualTo(100L);
    assertThat(found.limits().weight()).isEqualTo(3);
    assertThat(found.limits().queues()).containsEntry("gpu", new QueueLimits(1, null));
    assertThat(found.updatedBy()).isEqualTo("admin");

    set("etl", new ProjectLimits(null, null, 1, Map.of("cpu", new QueueLimits(null, 5L))));
    assertThat(limits.find("etl").orElseThrow().limits().queues())
        .containsOnlyKeys("cpu")
        .containsEntry("cpu", new QueueLimits(null, 5L));
    assertThat(limits.all(10)).hasSize(1);

    set("etl", ProjectLimits.NONE);
    assertThat(limits.find("etl")).isEmpty();
  }

  @Test
  void usageCountsWaitingAndRunningJobsInTotalAndPerQueue() {
    services.submitted(JobTestData.aJob().inProject("etl").inQueue("gpu"));
    services.submitted(JobTestData.aJob().inProject("etl").inQueue("gpu"));
    services.submitted(JobTestData.aJob().inProject("etl").inQueue("cpu"));
    services.claim("w", List.of("gpu"), 1);
    var usage =
        store.transactions().inTransaction(() -> limits.usage("etl", List.of("gpu", "none")));
    assertThat(usage.total()).isEqualTo(new ProjectLimitsStore.Usage(1, 2));
    assertThat(usage.queues().get("gpu")).isEqualTo(new ProjectLimitsStore.Usage(1, 1));
    assertThat(usage.queues().get("none")).isEqualTo(new ProjectLimitsStore.Usage(0, 0));
    assertThat(store.transactions().inTransaction(() -> limits.runningJobs("etl", null)))
        .isEqualTo(1);
    assertThat(store.transactions().inTransaction(() -> limits.waitingJobs("etl", null, 10)))
        .isEqualTo(2);
    assertThat(store.transactions().inTransaction(() -> limits.waitingJobs("etl", "gpu", 10)))
        .isEqualTo(1);
  }

  @Test
  void maxQueuedIsExactUnderConcurrentSubmits() throws Exception {
    set("etl", new ProjectLimits(null, 5L, 1, Map.of()));
    List<Callable<String>> submits = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      submits.add(
          () ->
              services
                  .submit
                  .submit(
                      new SubmitJobCommand(
                          services.submitter,
                          JobTestData.aJob().inProject("etl").definition(),
                          false,
                          null))
                  .job()
                  .id()
                  .toString());
    }
    List<Object> outcomes = together(submits);
    assertThat(outcomes.stream().filter(String.class::isInstance)).hasSize(5);
    assertThat(outcomes.stream().filter(o -> !(o instanceof String)))
        .hasSize(19)
        .allSatisfy(
            o ->
                assertThat(((DomainException) o).reason())
                    .isEqualTo(DomainException.Reason.TOO_MANY_REQUESTS));
    assertThat(store.transactions().inTransaction(() -> limits.waitingJobs("etl", null, 100)))
        .isEqualTo(5);
    assertThat(store.transactions().inTransaction(() -> limits.waitingJobs("etl", "default", 100)))
        .isEqualTo(5);
  }
}
