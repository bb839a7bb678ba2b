package io.jobplane.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.out.JobLifecycleMetrics;
import io.jobplane.application.testing.InMemoryJobRepository;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObservedJobRepositoryTest {

  private final List<String> told = new ArrayList<>();
  private final JobLifecycleMetrics metrics =
      (job, e) -> told.add(e.from() + "->" + e.to() + " v" + job.version());
  private final InMemoryJobRepository store = new InMemoryJobRepository();
  private final ObservedJobRepository jobs = new ObservedJobRepository(store, metrics);
  private final Instant t = Instant.parse("2026-11-29T06:00:00Z");

  @Test
  void everyStoredTransitionIsToldWithTheJobAsStored() {
    Job job = JobTestData.aJob().withStatus(JobStatus.QUEUED).buildJob();
    jobs.insert(job);
    Job loaded = Job.restore(store.findById(job.id()).orElseThrow());
    loaded.start(t, "test");
    loaded.succeed(t.plusSeconds(5), "test");
    jobs.updateAll(List.of(loaded));

    assertThat(told)
        .containsExactly(
            "null->PENDING v1",
            "PENDING->QUEUED v1",
            "QUEUED->RUNNING v2",
            "RUNNING->SUCCEEDED v2");
  }

  @Test
  void jobsInsertedTogetherAreEachToldOnce() {
    Job first = JobTestData.aJob().withStatus(JobStatus.QUEUED).buildJob();
    Job second = JobTestData.aJob().withStatus(JobStatus.QUEUED).buildJob();

    jobs.insertAll(List.of(first, second));

    assertThat(told)
        .containsExactly(
            "null->PENDING v1", "PENDING->QUEUED v1", "null->PENDING v1", "PENDING->QUEUED v1");
  }

  @Test
  void aRefusedWriteTellsNothing() {
    Job job = JobTestData.aJob().withStatus(JobStatus.QUEUED).buildJob();
    jobs.insert(job);
    told.clear();
    Job first = Job.restore(store.findById(job.id()).orElseThrow());
    Job second = Job.restore(store.findById(job.id()).orElseThrow());
    first.start(t, "test");
    jobs.update(first);
    second.start(t, "test");

    assertThatThrownBy(() -> jobs.update(second)).isInstanceOf(DomainException.class);
    assertThat(told).containsExactly("QUEUED->RUNNING v2");
  }

  @Test
  void eventsThatChangeNoStatusAreNotTransitions() {
    Job job = JobTestData.aJob().withStatus(JobStatus.RUNNING).buildJob();
    jobs.insert(job);
    told.clear();
    Job loaded = Job.restore(store.findById(job.id()).orElseThrow());
    loaded.reportProgress(50, t);
    loaded.noteTaskRetried(new JobError("EXIT_CODE", "exit 1"), "task 0 retried", t, "test");
    jobs.update(loaded);

    assertThat(told).isEmpty();
  }
}
