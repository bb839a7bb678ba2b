package io.jobplane.application.testing;

import static io.jobplane.application.testing.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.StopMode;
import io.jobplane.domain.query.JobFilter;
import io.jobplane.domain.query.JobPage;
import io.jobplane.domain.query.JobQuery;
import io.jobplane.domain.query.PageRequest;
import io.jobplane.domain.query.Sort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InMemoryJobRepositoryTest {

  private final InMemoryJobRepository repo = new InMemoryJobRepository();

  @BeforeEach
  void store() {
    JobStatus[] statuses = {JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.SUCCEEDED};
    for (int i = 0; i < 23; i++) {
      repo.insert(
          aJob()
              .withName("job-" + (i % 7))
              .withPriority(i % 4)
              .withStatus(statuses[i % 3])
              .withProgress(i % 3 == 1 && i % 2 == 0 ? i : null)
              .createdAt(MutableClock.DEFAULT_START.plus(Duration.ofSeconds(i % 5)))
              .inProject(i % 2 == 0 ? "etl" : "default")
              .buildJob());
    }
  }

  @Test
  void insert_stores_version_one_and_update_increments_it() {
    JobSnapshot stored = repo.insert(aJob().buildJob());
    assertThat(stored.version()).isEqualTo(1);
    Job job = Job.restore(stored);
    job.suspend(stored.updatedAt(), "test");

    JobSnapshot updated = repo.update(job);

    assertThat(updated.version()).isEqualTo(2);
    assertThat(repo.events(stored.id())).hasSize(3);
  }

  @Test
  void update_with_a_stale_version_is_a_conflict() {
    JobSnapshot stored = repo.insert(aJob().buildJob());
    Job first = Job.restore(stored);
    Job second = Job.restore(stored);
    first.suspend(stored.updatedAt(), "test");
    repo.update(first);
    second.requestStop(StopMode.FORCE, null, stored.updatedAt(), "test");

    assertThatThrownBy(() -> repo.update(second))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.CONFLICT));
    assertThatThrownBy(() -> repo.delete(stored.id(), 1)).isInstanceOf(DomainException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-created_at",
        "created_at",
        "name",
        "-name,created_at",
        "-priority,name",
        "status",
        "progress",
        "-progress",
        "-updated_at,-priority"
      })
  void cursor_paging_returns_every_job_exactly_once_in_offset_order(String sortText) {
    Sort sort = Sort.parse(sortText);
    List<JobSnapshot> all =
        repo.list(new JobQuery(null, sort, PageRequest.first(100))).page().items();
    assertThat(all).hasSize(23);

    List<JobSnapshot> byCursor = new ArrayList<>();
    JobPage page = repo.list(new JobQuery(null, sort, PageRequest.first(4)));
    byCursor.addAll(page.page().items());
    while (page.page().hasMore()) {
      page = repo.list(new JobQuery(null, sort, PageRequest.of(4, null, page.page().nextCursor())));
      byCursor.addAll(page.page().items());
    }
    List<JobSnapshot> byOffset = new ArrayList<>();
    for (int offset = 0; offset < 23; offset += 5) {
      byOffset.addAll(
          repo.list(new JobQuery(null, sort, PageRequest.of(5, offset, null))).page().items());
    }
    assertThat(byCursor).containsExactlyElementsOf(all);
    assertThat(byOffset).containsExactlyElementsOf(all);
  }

  @Test
  void missing_progress_sorts_lowest() {
    List<JobSnapshot> ascending =
        repo.list(new JobQuery(null, Sort.parse("progress"), PageRequest.first(100)))
            .page()
            .items();
    assertThat(ascending.get(0).progress()).isNull();
    assertThat(ascending.get(ascending.size() - 1).progress()).isNotNull();
    assertThat(ascending.stream().filter(j -> j.progress() != null).map(JobSnapshot::progress))
        .isSortedAccordingTo(Comparator.naturalOrder());
  }

  @Test
  void total_counts_the_filter_and_status_counts_ignore_the_status_part() {
    JobFilter filter =
        new JobFilter(
            Set.of(JobStatus.RUNNING), null, "etl", null, null, null, null, null, null, null, null);
    JobPage page = repo.list(new JobQuery(filter, null, PageRequest.first(2)));

    long etlRunning = repo.all().stream().filter(j -> filter.matches(j)).count();
    assertThat(page.page().total()).isEqualTo(etlRunning);
    assertThat(page.page().items()).allMatch(j -> j.status() == JobStatus.RUNNING);
    assertThat(page.statusCounts().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(repo.all().stream().filter(j -> j.definition().project().equals("etl")).count());
    assertThat(page.page().hasMore()).isEqualTo(etlRunning > 2);
  }

  @Test
  void last_page_has_no_next_cursor() {
    JobPage page = repo.list(new JobQuery(null, null, PageRequest.of(10, 20, null)));
    assertThat(page.page().items()).hasSize(3);
    assertThat(page.page().hasMore()).isFalse();
    assertThat(page.page().nextCursor()).isNull();
  }

  @Test
  void timeline_pages_oldest_first_and_latest_events_newest_first() {
    JobSnapshot job = repo.insert(aJob().withStatus(JobStatus.SUCCEEDED).buildJob());
    var page = repo.timeline(job.id(), 2, 1);
    assertThat(page.total()).isEqualTo(4);
    assertThat(page.items())
        .extracting(e -> e.to())
        .containsExactly(JobStatus.QUEUED, JobStatus.RUNNING);
    assertThat(page.hasMore()).isTrue();
    assertThat(repo.latestEvents(job.id(), 1).get(0).to()).isEqualTo(JobStatus.SUCCEEDED);
  }

  @Test
  void test_data_reaches_every_status() {
    for (JobStatus status : JobStatus.values()) {
      assertThat(aJob().withStatus(status).build().status()).isEqualTo(status);
    }
  }
}
