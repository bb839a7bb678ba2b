package io.jobplane.application.service;

import static io.jobplane.application.testing.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.testing.InMemoryJobRepository;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.query.JobFilter;
import io.jobplane.domain.query.JobPage;
import io.jobplane.domain.query.JobQuery;
import io.jobplane.domain.query.PageRequest;
import io.jobplane.domain.query.Sort;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueryJobsServiceTest {

  private final InMemoryJobRepository jobs = new InMemoryJobRepository();
  private final QueryJobsService service = new QueryJobsService(jobs);

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
}
