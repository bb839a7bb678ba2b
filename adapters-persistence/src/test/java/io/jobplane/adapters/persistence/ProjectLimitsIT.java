package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.SubmitJobGraphCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.port.in.WorkerProtocolUseCase.LeaseRef;
import io.jobplane.application.port.out.ProjectLimitsStore;
import io.jobplane.application.port.out.ProjectLimitsStore.StoredLimits;
import io.jobplane.application.service.ClusterJobsService;
import io.jobplane.application.service.JobGraphService;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.KubernetesPlacement;
import io.jobplane.domain.ProjectLimits;
import io.jobplane.domain.ProjectLimits.QueueLimits;
import io.jobplane.domain.QueueWait;
import io.jobplane.domain.graph.GraphNode;
import io.jobplane.domain.graph.JobGraphSpec;
import java.time.Clock;
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
  void aJobGraphThatWouldPassMaxQueuedIsRefusedWholeAndStoresNoneOfItsJobs() {
    set("default", new ProjectLimits(null, 2L, 1, Map.of()));
    JobGraphService graphs =
        new JobGraphService(
            store.jobGraphRepository(), services.submit, store.transactions(), services.clock);
    JobGraphSpec spec =
        new JobGraphSpec(
            "default",
            "three",
            null,
            List.of(
                new GraphNode("a", List.of(), null, JobTestData.aJob().definition()),
                new GraphNode("b", List.of("a"), null, JobTestData.aJob().definition()),
                new GraphNode("c", List.of("b"), null, JobTestData.aJob().definition())));
    assertThatThrownBy(
            () ->
                graphs.submit(
                    new SubmitJobGraphCommand(services.submitter, "default", null, () -> spec)))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.TOO_MANY_REQUESTS));
    assertThat(store.transactions().inTransaction(() -> limits.waitingJobs("default", null, 10)))
        .isZero();
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

  private List<Lease> leasedTogether(int claims) throws Exception {
    List<Callable<List<Lease>>> tasks = new ArrayList<>();
    for (int i = 0; i < claims; i++) {
      String id = "w-" + i;
      tasks.add(() -> services.claim(id, List.of("default"), 3));
    }
    List<Lease> leased = new ArrayList<>();
    for (Object o : together(tasks)) {
      if (o instanceof Throwable t) {
        throw new AssertionError(t);
      }
      @SuppressWarnings("unchecked")
      List<Lease> l = (List<Lease>) o;
      leased.addAll(l);
    }
    return leased;
  }

  /** A job of the test's project still QUEUED. */
  private JobId waitingJob() {
    try (var c = store.dataSource().getConnection();
        var s = c.createStatement();
        var rs = s.executeQuery("SELECT id FROM jobs WHERE status = 'QUEUED' LIMIT 1")) {
      assertThat(rs.next()).isTrue();
      return new JobId(rs.getObject(1, java.util.UUID.class));
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  private void complete(Lease l) {
    services.worker.complete(
        new LeaseRef(
            services.workerCaller,
            l.job().id(),
            l.task().index(),
            l.task().epoch(),
            l.leaseToken()),
        null,
        null);
  }

  private long running(String project) {
    return store.transactions().inTransaction(() -> limits.runningJobs(project, null));
  }

  @Test
  void maxRunningHoldsUnderConcurrentClaims() throws Exception {
    set("etl", new ProjectLimits(2, null, 1, Map.of()));
    for (int i = 0; i < 10; i++) {
      services.submitted(JobTestData.aJob().inProject("etl"));
    }
    List<Lease> first = leasedTogether(8);
    assertThat(first).hasSize(2);
    assertThat(running("etl")).isEqualTo(2);
    assertThat(leasedTogether(8)).isEmpty();
    QueueWait held = services.worker.waiting(services.submitter, waitingJob()).orElseThrow();
    assertThat(held.reason()).isEqualTo(QueueWait.Reason.CONCURRENCY_LIMIT);
    assertThat(held.limit().limit()).isEqualTo(2);
    assertThat(held.limit().usage()).isEqualTo(2);

    complete(first.get(0));
    assertThat(leasedTogether(8)).hasSize(1);
    assertThat(running("etl")).isEqualTo(2);
  }

  @Test
  void kubernetesAdmissionsAndWorkerClaimsShareOneMaxRunning() throws Exception {
    set("etl", new ProjectLimits(2, null, 1, Map.of()));
    for (int i = 0; i < 6; i++) {
      services.submitted(JobTestData.aJob().inProject("etl"));
    }
    ClusterJobsService cluster =
        new ClusterJobsService(
            store.jobRepository(),
            store.jobLocks(),
            store.telemetryRepository(),
            store.jobCredentials(),
            limits,
            store.transactions(),
            Clock.systemUTC());
    List<Callable<Boolean>> starts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      JobId id = JobId.random();
      cluster.register(
          id,
          JobDefinition.builder()
              .name("train-" + i)
              .type("training")
              .project("etl")
              .runtime(JobRuntime.KUBERNETES)
              .kubernetes(new KubernetesPlacement("ml", "train-" + i, null))
              .build(),
          "kubernetes:ml");
      starts.add(() -> cluster.admit(id, 1).admitted());
      String worker = "w-" + i;
      starts.add(() -> !services.claim(worker, List.of("default"), 3).isEmpty());
    }

    List<Object> outcomes = together(starts);

    assertThat(outcomes).doesNotHaveAnyElementsOfTypes(Throwable.class);
    assertThat(outcomes.stream().filter(Boolean.TRUE::equals))
        .as("admitted runs and claims that leased, together")
        .hasSizeLessThanOrEqualTo(2);
    assertThat(running("etl")).isEqualTo(2);
  }

  @Test
  void aQueuesRunningLimitHoldsThatQueueOnlyAndOtherProjectsAreNotHeld() throws Exception {
    set("etl", new ProjectLimits(null, null, 1, Map.of("default", new QueueLimits(1, null))));
    for (int i = 0; i < 4; i++) {
      services.submitted(JobTestData.aJob().inProject("etl"));
      services.submitted(JobTestData.aJob().inProject("ml"));
    }
    List<Lease> leased = leasedTogether(6);
    assertThat(leased.stream().filter(l -> l.job().definition().project().equals("etl")))
        .hasSize(1);
    assertThat(leased.stream().filter(l -> l.job().definition().project().equals("ml"))).hasSize(4);
  }

  @Test
  void projectsSharingAQueueTakeTurnsWhateverTheirBacklog() {
    for (int i = 0; i < 30; i++) {
      services.submitted(JobTestData.aJob().inProject("big"));
    }
    for (int i = 0; i < 3; i++) {
      services.submitted(JobTestData.aJob().inProject("small"));
    }
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      services
          .claim("w", List.of("default"), 1)
          .forEach(l -> order.add(l.job().definition().project()));
    }
    // whichever goes first, the one running fewer goes next: the small project every other claim
    assertThat(order).hasSize(6).containsOnly("big", "small");
    for (int i = 1; i < order.size(); i++) {
      assertThat(order.get(i)).as("claim %d of %s", i, order).isNotEqualTo(order.get(i - 1));
    }
  }

  @Test
  void jobsThatEndAtOnceStillTakeTurnsByWeight() {
    set("heavy", new ProjectLimits(null, null, 3, Map.of()));
    for (int i = 0; i < 20; i++) {
      services.submitted(JobTestData.aJob().inProject("heavy"));
      services.submitted(JobTestData.aJob().inProject("light"));
    }
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      for (Lease l : services.claim("w", List.of("default"), 1)) {
        order.add(l.job().definition().project());
        complete(l);
      }
    }
    // nothing runs between claims: only the turns decide, three of every four for weight 3
    assertThat(order.stream().filter("heavy"::equals)).hasSize(12);
    assertThat(order.stream().filter("light"::equals)).hasSize(4);
  }

  @Test
  void aWeightedProjectTakesItsWeightsShare() {
    set("heavy", new ProjectLimits(null, null, 3, Map.of()));
    for (int i = 0; i < 20; i++) {
      services.submitted(JobTestData.aJob().inProject("light"));
      services.submitted(JobTestData.aJob().inProject("heavy"));
    }
    List<String> order = new ArrayList<>();
    services
        .claim("w", List.of("default"), 8)
        .forEach(l -> order.add(l.job().definition().project()));
    assertThat(order.stream().filter("heavy"::equals)).hasSize(6);
    assertThat(order.stream().filter("light"::equals)).hasSize(2);
  }

  @Test
  void priorityStillOrdersWithinAProject() {
    services.submitted(JobTestData.aJob().inProject("etl").withPriority(0));
    String urgent =
        services.submitted(JobTestData.aJob().inProject("etl").withPriority(9)).id().toString();
    services.submitted(JobTestData.aJob().inProject("ml"));
    // which project's turn comes first depends on the turn sequence that other tests advance;
    // within etl, the urgent job goes first whatever the turn
    List<String> etl =
        services.claim("w", List.of("default"), 3).stream()
            .filter(l -> l.job().definition().project().equals("etl"))
            .map(l -> l.job().id().toString())
            .toList();
    assertThat(etl).hasSize(2);
    assertThat(etl.get(0)).isEqualTo(urgent);
  }
}
