package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.port.in.WorkerProtocolUseCase.LeaseRef;
import io.jobplane.application.port.in.WorkersUseCase.WorkerList;
import io.jobplane.application.port.in.WorkersUseCase.WorkerQuery;
import io.jobplane.application.port.out.WorkerRegistry.WorkerRecord;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.service.SweeperService;
import io.jobplane.application.service.WorkersService;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.Labels;
import io.jobplane.domain.QueueWait;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.TaskStatus;
import io.jobplane.domain.WorkerPlacement;
import io.jobplane.domain.query.LabelSelector;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Worker identity (V23): labels, the workers list and its tenant rule, expiry, on PostgreSQL. */
class WorkerTargetingIT {

  private final PostgresStore store = TestDatabase.store();
  private final StoreServices services = new StoreServices(store);
  private final WorkersService workers =
      new WorkersService(store.workerRegistry(), store.transactions(), services.clock);
  private final Caller admin = Caller.admin("admin");

  @BeforeEach
  void emptyTables() {
    TestDatabase.reset();
  }

  private List<Lease> claim(Caller caller, String name, Map<String, String> labels) {
    return services.worker.claim(
        new ClaimCommand(caller, name, "host-" + name, List.of("default"), null, 1, 30)
            .withLabels(new Labels(labels)));
  }

  private static Caller worker(String name, String... projects) {
    return new Caller(name, Set.of(Role.WORKER), projects.length == 0 ? null : Set.of(projects));
  }

  private static Caller viewer(String... projects) {
    return new Caller(
        "viewer", Set.of(Role.VIEWER), projects.length == 0 ? null : Set.of(projects));
  }

  private List<String> names(Caller caller, WorkerQuery query) {
    return workers.list(caller, query).workers().stream().map(WorkerRecord::workerId).toList();
  }

  @Test
  void a_claim_records_the_workers_labels_and_the_list_filters_by_selector() {
    claim(worker("w"), "eu-gpu", Map.of("zone", "eu", "gpu", "a100"));
    claim(worker("w"), "eu-cpu", Map.of("zone", "eu"));
    claim(worker("w"), "us", Map.of("zone", "us"));

    WorkerList all = workers.list(admin, WorkerQuery.all());
    assertThat(all.workers())
        .extracting(WorkerRecord::workerId)
        .containsExactly("eu-cpu", "eu-gpu", "us");
    WorkerRecord gpu = all.workers().get(1);
    assertThat(gpu.labels().values())
        .containsExactlyInAnyOrderEntriesOf(Map.of("zone", "eu", "gpu", "a100"));
    assertThat(gpu.hostname()).isEqualTo("host-eu-gpu");
    assertThat(gpu.queues()).containsExactly("default");

    assertThat(names(admin, new WorkerQuery(LabelSelector.parse("zone=eu,!gpu"), null, 10)))
        .containsExactly("eu-cpu");
    assertThat(names(admin, new WorkerQuery(LabelSelector.parse("gpu"), "default", 10)))
        .containsExactly("eu-gpu");
    assertThat(names(admin, new WorkerQuery(null, "other", 10))).isEmpty();
    WorkerList firstTwo = workers.list(admin, new WorkerQuery(null, null, 2));
    assertThat(firstTwo.workers()).hasSize(2);
    assertThat(firstTwo.truncated()).isTrue();
  }

  @Test
  void a_project_limited_caller_sees_only_workers_of_its_projects_and_their_tasks_of_its_jobs() {
    JobSnapshot etlJob = services.submitted(JobTestData.aJob().inProject("etl"));
    JobSnapshot mlJob = services.submitted(JobTestData.aJob().inProject("ml"));
    // a worker serving both projects holds one task of each
    services.worker.claim(
        new ClaimCommand(
            worker("shared", "etl", "ml"), "shared", "h", List.of("default"), null, 2, 30));
    claim(worker("ml-only", "ml"), "ml-only", Map.of());
    claim(worker("unscoped"), "unscoped", Map.of());

    WorkerList forEtl = workers.list(viewer("etl"), WorkerQuery.all());
    assertThat(forEtl.workers()).extracting(WorkerRecord::workerId).containsExactly("shared");
    assertThat(forEtl.workers().get(0).tasks())
        .extracting(t -> t.jobId())
        .containsExactly(etlJob.id());

    assertThat(names(viewer("ml"), WorkerQuery.all())).containsExactly("ml-only", "shared");
    WorkerList forAll = workers.list(viewer(), WorkerQuery.all());
    assertThat(forAll.workers())
        .extracting(WorkerRecord::workerId)
        .containsExactly("ml-only", "shared", "unscoped");
    assertThat(forAll.workers().get(1).tasks())
        .extracting(t -> t.jobId())
        .containsExactlyInAnyOrder(etlJob.id(), mlJob.id());
    assertThat(forAll.workers().get(1).tasks().get(0).lastHeartbeatAt())
        .isEqualTo(services.clock.instant());
  }

  @Test
  void workers_not_seen_within_the_window_are_not_listed_and_are_forgotten_after_the_expiry() {
    claim(worker("w"), "old", Map.of());
    services.clock.advance(Duration.ofSeconds(31));
    claim(worker("w"), "new", Map.of());
    assertThat(names(admin, WorkerQuery.all())).containsExactly("new");

    SweeperService sweeper =
        new SweeperService(
            store.jobRepository(),
            store.taskRepository(),
            store.jobLocks(),
            store.taskSweeps(),
            store.workerPresence(),
            store.transactions(),
            () -> 0.5,
            store.workerRegistry(),
            Duration.ofMinutes(10));
    assertThat(sweeper.sweep(services.clock.instant()).forgottenWorkers()).isZero();
    services.clock.advance(Duration.ofMinutes(10));
    assertThat(sweeper.sweep(services.clock.instant()).forgottenWorkers()).isEqualTo(1);
    assertThat(store.workerRegistry().forget(services.clock.instant())).isEqualTo(1);
  }

  @Test
  void a_job_with_a_worker_selector_is_claimed_only_by_a_worker_whose_labels_match() {
    JobSnapshot job =
        services.submitted(JobTestData.aJob().placedBy(WorkerPlacement.selecting("gpu=a100")));
    JobSnapshot plain = services.submitted(JobTestData.aJob());

    // the selector job is first in line, yet a worker without the label passes it by
    List<Lease> cpu = claim(worker("w"), "cpu", Map.of("gpu", "none"));
    assertThat(cpu).extracting(l -> l.job().id()).containsExactly(plain.id());
    assertThat(claim(worker("w"), "bare", Map.of())).isEmpty();
    assertThat(services.worker.waiting(admin, job.id()).orElseThrow().reason())
        .isEqualTo(QueueWait.Reason.NO_MATCHING_WORKER);
    assertThat(services.worker.waiting(admin, job.id()).orElseThrow().message())
        .contains("gpu=a100");

    List<Lease> gpu = claim(worker("w"), "gpu", Map.of("gpu", "a100", "zone", "eu"));
    assertThat(gpu).extracting(l -> l.job().id()).containsExactly(job.id());
    assertThat(gpu.get(0).job().definition().placement().workerSelector()).isEqualTo("gpu=a100");
  }

  @Test
  void with_a_matching_worker_polling_a_selector_job_waits_for_the_usual_reasons() {
    JobSnapshot job =
        services.submitted(JobTestData.aJob().placedBy(WorkerPlacement.selecting("zone=eu")));
    // a matching worker polls the queue (and takes the first job)
    assertThat(claim(worker("w"), "eu", Map.of("zone", "eu")))
        .extracting(l -> l.job().id())
        .containsExactly(job.id());
    JobSnapshot second =
        services.submitted(JobTestData.aJob().placedBy(WorkerPlacement.selecting("zone=eu")));
    assertThat(services.worker.waiting(admin, second.id()).orElseThrow().reason())
        .isEqualTo(QueueWait.Reason.NEXT);
  }

  private JobSnapshot broadcast(String selector) {
    return services.submitted(
        JobTestData.aJob().placedBy(WorkerPlacement.broadcast(selector, false)));
  }

  private SweeperService sweeper() {
    return new SweeperService(
        store.jobRepository(),
        store.taskRepository(),
        store.jobLocks(),
        store.taskSweeps(),
        store.workerPresence(),
        store.transactions(),
        () -> 0.5,
        store.workerRegistry(),
        Duration.ofMinutes(10));
  }

  @Test
  void a_broadcast_binds_one_task_to_each_live_matching_worker_and_only_it_claims_it() {
    claim(worker("w"), "a", Map.of("role", "web"));
    claim(worker("w"), "b", Map.of("role", "web"));
    claim(worker("w"), "c", Map.of("role", "db"));
    JobSnapshot job = broadcast("role=web");
    assertThat(job.definition().parallelism()).isEqualTo(2);
    assertThat(store.taskRepository().forRun(job.id(), 1))
        .extracting(TaskState::boundWorker)
        .containsExactly("a", "b");

    // c matches nothing, and b's task is not a's
    assertThat(claim(worker("w"), "c", Map.of("role", "db"))).isEmpty();
    List<Lease> a = claim(worker("w"), "a", Map.of("role", "web"));
    assertThat(a).extracting(l -> l.task().index()).containsExactly(0);
    assertThat(claim(worker("w"), "a", Map.of("role", "web"))).isEmpty();
    assertThat(claim(worker("w"), "b", Map.of("role", "web")))
        .extracting(l -> l.task().index())
        .containsExactly(1);
  }

  @Test
  void a_broadcast_without_a_live_matching_worker_is_refused_and_stores_nothing() {
    claim(worker("w"), "a", Map.of("role", "db"));
    assertThatThrownBy(() -> broadcast("role=web"))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(DomainException.Reason.CONFLICT);
              assertThat(e.getMessage()).contains("role=web");
            });
    assertThat(store.jobRepository().countByStatus().values()).allMatch(n -> n == 0);
  }

  @Test
  void a_bound_task_whose_worker_went_away_fails_as_agent_lost_and_the_job_partially_fails() {
    claim(worker("w"), "a", Map.of());
    claim(worker("w"), "gone", Map.of());
    JobSnapshot job = broadcast(null);
    Lease lease = claim(worker("w"), "a", Map.of()).get(0);
    assertThat(sweeper().sweep(services.clock.instant()).lostAgents()).isZero();

    // a keeps its lease alive (a busy worker does not claim); gone never comes back
    services.clock.advance(Duration.ofSeconds(20));
    heartbeat(lease);
    services.clock.advance(Duration.ofSeconds(20));
    heartbeat(lease);
    assertThat(sweeper().sweep(services.clock.instant()).lostAgents()).isEqualTo(1);
    services.worker.complete(
        new LeaseRef(worker("w"), job.id(), 0, lease.task().epoch(), lease.leaseToken()),
        "{\"ok\":true}",
        true);

    JobSnapshot after = store.jobRepository().findById(job.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(JobStatus.PARTIALLY_FAILED);
    TaskState lost = store.taskRepository().forRun(job.id(), 1).get(1);
    assertThat(lost.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(lost.error().reason()).isEqualTo("AGENT_LOST");
    assertThat(lost.error().message()).contains("gone");
  }

  @Test
  void with_late_joiners_a_worker_that_starts_claiming_during_the_run_gets_a_task_of_its_own() {
    claim(worker("w"), "first", Map.of("role", "agent"));
    JobSnapshot job =
        services.submitted(
            JobTestData.aJob().placedBy(WorkerPlacement.broadcast("role=agent", true)));
    assertThat(claim(worker("w"), "first", Map.of("role", "agent"))).hasSize(1);

    // a newcomer that matches joins at its first claim; one that does not, does not
    assertThat(claim(worker("w"), "other", Map.of("role", "db"))).isEmpty();
    List<Lease> joined = claim(worker("w"), "newcomer", Map.of("role", "agent"));
    assertThat(joined).extracting(l -> l.task().index()).containsExactly(1);
    assertThat(joined.get(0).task().boundWorker()).isEqualTo("newcomer");
    assertThat(store.jobRepository().findById(job.id()).orElseThrow().definition().parallelism())
        .isEqualTo(2);
    // joining again changes nothing
    services.clock.advance(Duration.ofSeconds(2));
    assertThat(claim(worker("w"), "newcomer", Map.of("role", "agent"))).isEmpty();
    assertThat(store.taskRepository().forRun(job.id(), 1)).hasSize(2);
  }

  private void heartbeat(Lease lease) {
    services.worker.heartbeat(
        new LeaseRef(
            worker("w"),
            lease.job().id(),
            lease.task().index(),
            lease.task().epoch(),
            lease.leaseToken()),
        null,
        null);
  }
}
