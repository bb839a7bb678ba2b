package io.jobplane.application.service;

import static io.jobplane.application.testing.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.QueryJobsUseCase.ExpandedPage;
import io.jobplane.application.port.out.JobListExpansions;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.testing.InMemoryJobRepository;
import io.jobplane.application.testing.InMemoryTaskRepository;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.application.testing.SeparateReadsJobListExpansions;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.RunOutputs;
import io.jobplane.domain.RunTasks;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.TaskStatus;
import io.jobplane.domain.TimelineEvent;
import io.jobplane.domain.query.JobFilter;
import io.jobplane.domain.query.JobPage;
import io.jobplane.domain.query.JobQuery;
import io.jobplane.domain.query.ListExpansion;
import io.jobplane.domain.query.PageRequest;
import io.jobplane.domain.query.Sort;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueryJobsServiceTest {

  private final InMemoryJobRepository jobs = new InMemoryJobRepository();
  private final InMemoryTaskRepository tasks =
      new InMemoryTaskRepository(jobs, MutableClock.fixed());
  private final CountingExpansions expansions =
      new CountingExpansions(new SeparateReadsJobListExpansions(jobs, tasks));
  private final QueryJobsService service = new QueryJobsService(jobs, expansions);

  private final Caller admin = Caller.admin("admin");
  private final Caller etlViewer = new Caller("etl-viewer", Set.of(Role.VIEWER), Set.of("etl"));
  private final Caller worker = new Caller("worker", Set.of(Role.WORKER), null);

  private JobSnapshot etlJob;
  private JobSnapshot billingJob;

  @BeforeEach
  void store() {
    etlJob = jobs.insert(aJob().inProject("etl").withStatus(JobStatus.RUNNING).buildJob());
    billingJob = jobs.insert(aJob().inProject("billing").buildJob());
  }

  private static void assertReason(ThrowingCallable call, DomainException.Reason reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            DomainException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  @Test
  void a_viewer_reads_jobs_of_its_projects() {
    assertThat(service.get(etlViewer, etlJob.id())).isEqualTo(etlJob);
  }

  @Test
  void a_job_of_an_invisible_project_is_reported_as_missing() {
    assertReason(() -> service.get(etlViewer, billingJob.id()), DomainException.Reason.NOT_FOUND);
    assertReason(
        () -> service.timeline(etlViewer, billingJob.id(), 10, 0),
        DomainException.Reason.NOT_FOUND);
    assertReason(
        () -> service.latestEvents(etlViewer, billingJob.id(), 10),
        DomainException.Reason.NOT_FOUND);
  }

  @Test
  void an_unknown_job_is_not_found() {
    assertReason(() -> service.get(admin, JobId.random()), DomainException.Reason.NOT_FOUND);
  }

  @Test
  void a_worker_token_cannot_read_jobs_through_the_api() {
    assertReason(() -> service.get(worker, etlJob.id()), DomainException.Reason.FORBIDDEN);
    assertReason(
        () -> service.list(worker, new JobQuery(null, null, PageRequest.first(10))),
        DomainException.Reason.FORBIDDEN);
  }

  @Test
  void list_is_restricted_to_visible_projects_including_the_counts() {
    JobPage page = service.list(etlViewer, new JobQuery(null, null, PageRequest.first(10)));

    assertThat(page.page().items()).containsExactly(etlJob);
    assertThat(page.page().total()).isEqualTo(1);
    assertThat(page.statusCounts().get(JobStatus.RUNNING)).isEqualTo(1);
    assertThat(page.statusCounts().get(JobStatus.QUEUED)).isZero();
  }

  @Test
  void a_client_filter_cannot_widen_the_visible_projects() {
    JobFilter asksForBilling = JobFilter.ALL.withVisibleProjects(Set.of("billing", "etl"));
    JobPage page =
        service.list(etlViewer, new JobQuery(asksForBilling, null, PageRequest.first(10)));

    assertThat(page.page().items()).containsExactly(etlJob);
  }

  @Test
  void an_unrestricted_caller_lists_every_project() {
    JobPage page = service.list(admin, new JobQuery(null, null, PageRequest.first(10)));

    assertThat(page.page().items()).containsExactlyInAnyOrder(etlJob, billingJob);
    assertThat(page.statusCounts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);
  }

  @Test
  void cursor_paging_works_for_a_project_restricted_caller_that_sends_its_projects() {
    for (int i = 0; i < 5; i++) {
      jobs.insert(aJob().inProject("etl").buildJob());
    }
    // The client filter carries the caller's projects, so the cursor fingerprint stays the same
    // after the service applies the caller's visibility.
    JobFilter filter = JobFilter.ALL.withVisibleProjects(etlViewer.projects());
    List<JobSnapshot> seen = new ArrayList<>();
    JobPage page = service.list(etlViewer, new JobQuery(filter, null, PageRequest.first(2)));
    seen.addAll(page.page().items());
    while (page.page().hasMore()) {
      PageRequest next = PageRequest.of(2, null, page.page().nextCursor());
      page = service.list(etlViewer, new JobQuery(filter, Sort.DEFAULT, next));
      seen.addAll(page.page().items());
    }
    assertThat(seen).hasSize(6).doesNotHaveDuplicates();
  }

  @Test
  void timeline_validates_its_page() {
    assertReason(
        () -> service.timeline(admin, etlJob.id(), 0, 0), DomainException.Reason.INVALID_ARGUMENT);
    assertReason(
        () -> service.timeline(admin, etlJob.id(), 101, 0),
        DomainException.Reason.INVALID_ARGUMENT);
    assertReason(
        () -> service.timeline(admin, etlJob.id(), 10, -1),
        DomainException.Reason.INVALID_ARGUMENT);
  }

  @Test
  void latest_events_are_newest_first() {
    var latest = service.latestEvents(admin, etlJob.id(), 2);

    assertThat(latest).hasSize(2);
    assertThat(latest.get(0).to()).isEqualTo(JobStatus.RUNNING);
    assertThat(latest.get(1).to()).isEqualTo(JobStatus.QUEUED);
  }

  @Test
  void counts_by_status_cover_the_whole_store() {
    assertThat(service.countByStatus())
        .containsEntry(JobStatus.RUNNING, 1L)
        .containsEntry(JobStatus.QUEUED, 1L)
        .containsEntry(JobStatus.FAILED, 0L);
  }

  // ----- expand ---------------------------------------------------------------------------------

  /** Counts the reads of each expansion and the jobs they were asked for. */
  private static final class CountingExpansions implements JobListExpansions {
    private final JobListExpansions delegate;
    final AtomicInteger reads = new AtomicInteger();
    final List<JobId> asked = new ArrayList<>();

    CountingExpansions(JobListExpansions delegate) {
      this.delegate = delegate;
    }

    @Override
    public Map<JobId, RunTasks> tasks(Map<JobId, Integer> runs, int first) {
      reads.incrementAndGet();
      asked.addAll(runs.keySet());
      return delegate.tasks(runs, first);
    }

    @Override
    public Map<JobId, TaskItems> items(Map<JobId, Integer> runs) {
      reads.incrementAndGet();
      asked.addAll(runs.keySet());
      return delegate.items(runs);
    }

    @Override
    public Map<JobId, RunOutputs> outputs(Map<JobId, Integer> runs, int first, int maxBytes) {
      reads.incrementAndGet();
      asked.addAll(runs.keySet());
      return delegate.outputs(runs, first, maxBytes);
    }

    @Override
    public Map<JobId, List<TimelineEvent>> latestEvents(Collection<JobId> ids, int perJob) {
      reads.incrementAndGet();
      asked.addAll(ids);
      return delegate.latestEvents(ids, perJob);
    }
  }

  private static JobQuery firstPage(int limit) {
    return new JobQuery(null, null, PageRequest.first(limit));
  }

  /** Tasks 0..count-1 of the job's current run, each built from its index. */
  private void addTasks(
      JobSnapshot job, int count, java.util.function.IntFunction<TaskState> byIndex) {
    List<TaskState> created = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      created.add(byIndex.apply(i));
    }
    tasks.insert(created);
  }

  private static TaskState task(JobSnapshot job, int index, TaskStatus status) {
    return TaskState.builder()
        .jobId(job.id())
        .runId(job.runId())
        .index(index)
        .status(status)
        .attempt(1)
        .availableAt(Instant.EPOCH)
        .build();
  }

  @Test
  void without_expand_the_list_reads_nothing_more() {
    ExpandedPage page = service.list(admin, firstPage(10), Set.of());

    assertThat(page.page().page().items()).hasSize(2);
    assertThat(page.expanded()).isEmpty();
    assertThat(expansions.reads).hasValue(0);
  }

  @Test
  void each_expansion_is_one_read_for_the_whole_page_whatever_its_size() {
    for (int i = 0; i < 30; i++) {
      JobSnapshot job = jobs.insert(aJob().inProject("etl").buildJob());
      addTasks(job, 3, index -> task(job, index, TaskStatus.QUEUED));
    }

    service.list(admin, firstPage(5), EnumSet.allOf(ListExpansion.class));
    int smallPage = expansions.reads.getAndSet(0);
    ExpandedPage big = service.list(admin, firstPage(25), EnumSet.allOf(ListExpansion.class));

    assertThat(smallPage).isEqualTo(ListExpansion.values().length);
    assertThat(expansions.reads).hasValue(ListExpansion.values().length);
    assertThat(big.tasks()).hasSize(25).allSatisfy((id, run) -> assertThat(run).isNotNull());
    assertThat(big.latestEvents()).hasSize(25);
  }

  @Test
  void only_the_expansions_asked_for_are_read() {
    ExpandedPage page = service.list(admin, firstPage(10), EnumSet.of(ListExpansion.TIMELINE));

    assertThat(expansions.reads).hasValue(1);
    assertThat(page.has(ListExpansion.TIMELINE)).isTrue();
    assertThat(page.has(ListExpansion.TASKS)).isFalse();
    assertThat(page.tasks()).isEmpty();
    assertThat(page.latestEvents().get(etlJob.id()))
        .extracting(TimelineEvent::to)
        .containsExactly(JobStatus.RUNNING, JobStatus.QUEUED, JobStatus.PENDING);
  }

  @Test
  void a_run_shows_its_first_tasks_and_counts_them_all() {
    addTasks(
        etlJob,
        ListExpansion.TASKS_PER_JOB + 5,
        i -> task(etlJob, i, i % 2 == 0 ? TaskStatus.SUCCEEDED : TaskStatus.TIMED_OUT));

    RunTasks run =
        service
            .list(admin, firstPage(10), EnumSet.of(ListExpansion.TASKS))
            .tasks()
            .get(etlJob.id());

    assertThat(run.first())
        .hasSize(ListExpansion.TASKS_PER_JOB)
        .extracting(TaskState::index)
        .startsWith(0, 1, 2);
    assertThat(run.omitted()).isEqualTo(5);
    assertThat(run.counts().total()).isEqualTo(ListExpansion.TASKS_PER_JOB + 5);
    assertThat(run.counts().completed()).isEqualTo(13);
    assertThat(run.counts().failed()).isEqualTo(12);
  }

  @Test
  void a_job_without_tasks_expands_to_none() {
    ExpandedPage page =
        service.list(admin, firstPage(10), EnumSet.of(ListExpansion.TASKS, ListExpansion.OUTPUT));

    assertThat(page.tasks().get(billingJob.id())).isEqualTo(RunTasks.NONE);
    assertThat(page.outputs().get(billingJob.id())).isEqualTo(RunOutputs.NONE);
    assertThat(page.items()).doesNotContainKey(billingJob.id());
  }

  @Test
  void outputs_larger_than_the_bound_are_left_out_and_counted() {
    String large = "{\"text\":\"" + "x".repeat(ListExpansion.OUTPUT_MAX_BYTES) + "\"}";
    addTasks(
        etlJob,
        3,
        i ->
            task(etlJob, i, TaskStatus.SUCCEEDED).toBuilder()
                .output(i == 1 ? large : "{\"i\":" + i + "}")
                .changed(i == 2)
                .build());

    RunOutputs run =
        service
            .list(admin, firstPage(10), EnumSet.of(ListExpansion.OUTPUT))
            .outputs()
            .get(etlJob.id());

    assertThat(run.first()).containsExactly("{\"i\":0}", null, "{\"i\":2}");
    assertThat(run.omitted()).isEqualTo(1);
    assertThat(run.changed()).isTrue();
    assertThat(run.outputJson()).isEqualTo("[{\"i\":0},null,{\"i\":2}]");
  }

  @Test
  void item_counts_are_summed_over_the_run() {
    addTasks(
        etlJob,
        2,
        i ->
            task(etlJob, i, TaskStatus.RUNNING).toBuilder()
                .items(new TaskItems(10, 3 + i, 1))
                .build());

    ExpandedPage page = service.list(admin, firstPage(10), EnumSet.of(ListExpansion.ITEMS));

    assertThat(page.items()).containsOnlyKeys(etlJob.id());
    assertThat(page.items().get(etlJob.id())).isEqualTo(new TaskItems(20, 7, 2));
  }

  @Test
  void a_viewer_expands_only_the_jobs_it_may_see() {
    service.list(etlViewer, firstPage(10), EnumSet.allOf(ListExpansion.class));

    assertThat(expansions.asked).isNotEmpty().containsOnly(etlJob.id());
  }
}
