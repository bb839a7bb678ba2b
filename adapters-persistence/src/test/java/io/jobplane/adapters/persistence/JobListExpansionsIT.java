package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.port.in.QueryJobsUseCase.ExpandedPage;
import io.jobplane.application.port.in.RestartJobCommand;
import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.port.in.WorkerProtocolUseCase.LeaseRef;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.service.ControlJobService;
import io.jobplane.application.service.QueryJobsService;
import io.jobplane.application.service.SubmitJobService;
import io.jobplane.application.service.WorkerProtocolService;
import io.jobplane.application.service.WorkloadOutbox;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.application.testing.SeparateReadsJobListExpansions;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.RunOutputs;
import io.jobplane.domain.RunTasks;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.TaskStatus;
import io.jobplane.domain.query.JobQuery;
import io.jobplane.domain.query.ListExpansion;
import io.jobplane.domain.query.PageRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ?expand=} on the real PostgreSQL: what {@link JdbiJobListExpansions} reads for a page
 * equals the per-job reads of the reference ({@link SeparateReadsJobListExpansions}), and an
 * expanded page costs the same number of statements whether it holds 10 jobs or 100, counted by the
 * store's {@code jobplane.database.statements} counter.
 */
class JobListExpansionsIT {

  private static SimpleMeterRegistry registry;
  private static PostgresStore store;

  private final MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.MICROS));
  private final SubmitJobService submit = StoreServices.submitOn(store).clock(clock).build();
  private final WorkerProtocolService worker =
      StoreServices.workerProtocolOn(store).clock(clock).random(() -> 0.5).build();
  private final ControlJobService control =
      new ControlJobService(
          store.jobRepository(),
          store.taskRepository(),
          store.jobLocks(),
          store.workerPresence(),
          store.telemetryRepository(),
          store.transactions(),
          clock,
          WorkloadOutbox.disabled());
  private final QueryJobsService onePerExpansion =
      new QueryJobsService(store.jobRepository(), store.jobListExpansions());
  private final QueryJobsService separateReads =
      new QueryJobsService(
          store.jobRepository(),
          new SeparateReadsJobListExpansions(store.jobRepository(), store.taskRepository()));

  private final Caller ci = new Caller("ci", Set.of(Role.SUBMITTER), null);
  private final Caller w = new Caller("w", Set.of(Role.WORKER), null);

  /** A store of its own, so the statement counter sees nothing but this class's statements. */
  @BeforeAll
  static void openCountingStore() {
    registry = new SimpleMeterRegistry();
    store = PostgresStore.open(TestDatabase.config(), registry);
  }

  @AfterAll
  static void closeCountingStore() {
    store.close();
  }

  @BeforeEach
  void emptyTables() {
    TestDatabase.reset();
  }

  private JobSnapshot submitted(JobTestData data) {
    JobSnapshot job = submit.submit(new SubmitJobCommand(ci, data.definition(), false, null)).job();
    clock.advance(Duration.ofMillis(10));
    return job;
  }

  private List<Lease> claim(int max) {
    return worker.claim(new ClaimCommand(w, "w-1", "host-1", null, null, max, 30));
  }

  private static LeaseRef ref(Lease lease) {
    return new LeaseRef(
        new Caller("w", Set.of(Role.WORKER), null),
        lease.job().id(),
        lease.task().index(),
        lease.task().epoch(),
        lease.leaseToken());
  }

  /**
   * {@code jobs} jobs of 2 tasks, every tenth of 25 (more than a list item shows), and the first
   * claims of them run: some heartbeat with items, some complete with an output (every seventh one
   * too large to list), so the tasks differ, and jobs get events.
   */
  private void storeJobs(int jobs) {
    for (int i = 0; i < jobs; i++) {
      submitted(JobTestData.aJob().withName("job " + i).withParallelism(i % 10 == 0 ? 25 : 2));
    }
    List<Lease> leases = claim(100);
    for (int i = 0; i < leases.size(); i++) {
      Lease lease = leases.get(i);
      switch (i % 3) {
        case 0 -> worker.heartbeat(ref(lease), 50, new TaskItems(10, i % 10, 1));
        case 1 ->
            worker.complete(
                ref(lease),
                i % 7 == 1
                    ? "{\"log\": \"" + "x".repeat(ListExpansion.OUTPUT_MAX_BYTES) + "\"}"
                    : "{\"rows\": " + i + "}",
                i % 2 == 0);
        default -> {
          // stays running without a report
        }
      }
    }
  }

  private static JobQuery firstPage(int limit) {
    return new JobQuery(null, null, PageRequest.first(limit));
  }

  private long statementsOf(Runnable call) {
    Counter statements = registry.get("jobplane.database.statements").counter();
    double before = statements.count();
    call.run();
    return Math.round(statements.count() - before);
  }

  private ExpandedPage listBothWays(int limit, Set<ListExpansion> expand) {
    ExpandedPage page = onePerExpansion.list(ci, firstPage(limit), expand);
    assertThat(page).isEqualTo(separateReads.list(ci, firstPage(limit), expand));
    return page;
  }

  private <T> long statements(Supplier<T> call) {
    return statementsOf(call::get);
  }

  @Test
  void an_expanded_page_of_100_jobs_costs_as_many_statements_as_one_of_10() {
    storeJobs(120);
    Set<ListExpansion> tasksAndTimeline = EnumSet.of(ListExpansion.TASKS, ListExpansion.TIMELINE);
    Set<ListExpansion> all = EnumSet.allOf(ListExpansion.class);

    long plain10 = statements(() -> onePerExpansion.list(ci, firstPage(10)));
    long plain100 = statements(() -> onePerExpansion.list(ci, firstPage(100)));
    long expanded10 = statements(() -> onePerExpansion.list(ci, firstPage(10), tasksAndTimeline));
    long expanded100 = statements(() -> onePerExpansion.list(ci, firstPage(100), tasksAndTimeline));
    long everything100 = statements(() -> onePerExpansion.list(ci, firstPage(100), all));
    long unexpanded100 = statements(() -> onePerExpansion.list(ci, firstPage(100), Set.of()));

    // the plain list: the counts and the page; expand adds one statement per expansion
    assertThat(plain10).isEqualTo(plain100).isEqualTo(2);
    assertThat(unexpanded100).isEqualTo(plain100);
    assertThat(expanded10).isEqualTo(expanded100).isEqualTo(plain100 + 2);
    assertThat(everything100).isEqualTo(plain100 + all.size());
  }

  @Test
  void a_page_of_100_expands_as_the_per_job_reads_do() {
    storeJobs(100);

    ExpandedPage page = listBothWays(100, EnumSet.allOf(ListExpansion.class));

    assertThat(page.page().page().items()).hasSize(100);
    assertThat(page.tasks()).hasSize(100);
    assertThat(page.latestEvents()).hasSize(100);
    List<RunTasks> big =
        page.tasks().values().stream().filter(r -> r.counts().total() == 25).toList();
    assertThat(big)
        .hasSize(10)
        .allSatisfy(
            r -> {
              assertThat(r.first()).hasSize(ListExpansion.TASKS_PER_JOB);
              assertThat(r.omitted()).isEqualTo(25 - ListExpansion.TASKS_PER_JOB);
              assertThat(r.first()).allMatch(t -> t.output() == null); // read without outputs
            });
    List<TaskState> listed =
        page.tasks().values().stream().flatMap(r -> r.first().stream()).toList();
    assertThat(listed).extracting(TaskState::status).contains(TaskStatus.SUCCEEDED);
    assertThat(page.items()).isNotEmpty();
    List<RunOutputs> withLargeOutput =
        page.outputs().values().stream().filter(o -> o.omitted() > 0).toList();
    assertThat(withLargeOutput).isNotEmpty();
    assertThat(page.outputs().values())
        .anySatisfy(o -> assertThat(o.outputJson()).contains("\"rows\""));
    assertThat(page.latestEvents().values())
        .allSatisfy(events -> assertThat(events).isNotEmpty().hasSizeLessThanOrEqualTo(10));
  }

  @Test
  void a_long_timeline_shows_its_newest_events_and_a_restart_its_new_run() {
    JobSnapshot job = submitted(JobTestData.aJob().withParallelism(3));
    for (Lease lease : claim(3)) {
      worker.complete(ref(lease), "{\"done\": true}", true);
    }
    for (int i = 0; i < 4; i++) {
      control.restart(new RestartJobCommand(ci, job.id(), null, 2));
      for (Lease lease : claim(2)) {
        worker.complete(ref(lease), null, false);
      }
    }

    ExpandedPage page = listBothWays(10, EnumSet.allOf(ListExpansion.class));

    assertThat(page.latestEvents().get(job.id())).hasSize(ListExpansion.EVENTS_PER_JOB);
    RunTasks run = page.tasks().get(job.id());
    assertThat(run.counts().total()).isEqualTo(2);
    assertThat(run.counts().completed()).isEqualTo(2);
    assertThat(run.first()).allMatch(t -> t.runId() == 5);
    RunOutputs outputs = page.outputs().get(job.id());
    assertThat(outputs.changed()).isFalse();
    assertThat(outputs.outputJson()).isNull();
  }

  @Test
  void jobs_without_tasks_expand_to_none() {
    List<JobSnapshot> jobs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      jobs.add(store.jobRepository().insert(JobTestData.aJob().buildJob()));
    }

    ExpandedPage page = listBothWays(10, EnumSet.allOf(ListExpansion.class));

    for (JobSnapshot job : jobs) {
      assertThat(page.tasks().get(job.id())).isEqualTo(RunTasks.NONE);
      assertThat(page.outputs().get(job.id())).isEqualTo(RunOutputs.NONE);
    }
    assertThat(page.items()).isEmpty();
  }
}
