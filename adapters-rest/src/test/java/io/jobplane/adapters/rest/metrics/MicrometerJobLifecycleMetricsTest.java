package io.jobplane.adapters.rest.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.testing.JobTestData;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.TimelineEvent;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MicrometerJobLifecycleMetricsTest {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MicrometerJobLifecycleMetrics metrics = new MicrometerJobLifecycleMetrics(registry);
  private final Instant t = Instant.parse("2026-11-29T06:00:00Z");

  private void tell(Job job) {
    for (TimelineEvent e : job.uncommittedEvents()) {
      if (e.to() != null && e.from() != e.to()) {
        metrics.transitioned(job.snapshot(), e);
      }
    }
  }

  private List<String> lines(String prefix) {
    return registry.scrape().lines().filter(l -> l.startsWith(prefix)).toList();
  }

  @Test
  void aJobThatWaitedAndRanIsInTheQueueWaitAndDurationHistogramsAndTheEndCounter() {
    Job job =
        JobTestData.aJob()
            .inProject("etl")
            .inQueue("gpu")
            .withType("train")
            .withStatus(JobStatus.PENDING)
            .buildJob();
    job.enqueue(t, "test");
    job.start(t.plusSeconds(3), "test");
    job.fail(new JobError("EXIT_CODE", "exit 1"), t.plusSeconds(103), "test");
    tell(job);

    assertThat(lines("jobplane_job_queue_wait_seconds_count"))
        .singleElement()
        .asString()
        .contains("project=\"etl\"", "queue=\"gpu\"", "type=\"train\"")
        .endsWith(" 1");
    assertThat(lines("jobplane_job_queue_wait_seconds_bucket"))
        .filteredOn(l -> l.contains("le=\"5.0\""))
        .singleElement()
        .asString()
        .endsWith(" 1");
    assertThat(lines("jobplane_job_duration_seconds_bucket"))
        .as("fixed buckets, not a percentile histogram")
        .hasSize(13)
        .filteredOn(l -> l.contains("le=\"60.0\""))
        .singleElement()
        .asString()
        .contains("status=\"FAILED\"")
        .endsWith(" 0");
    assertThat(lines("jobplane_jobs_finished_total"))
        .singleElement()
        .asString()
        .contains("status=\"FAILED\"", "reason=\"EXIT_CODE\"")
        .endsWith(" 1.0");
  }

  @Test
  void aJobThatNeverRanCountsAsEndedWithoutADurationAndFreeTextReasonsBecomeOther() {
    Job skipped = JobTestData.aJob().withStatus(JobStatus.PENDING).buildJob();
    skipped.skip(JobId.random(), JobStatus.FAILED, t, "test");
    tell(skipped);
    Job rejected = JobTestData.aJob().withStatus(JobStatus.PENDING).buildJob();
    rejected.enqueue(t, "test");
    rejected.reject(new JobError("no worker: gpu", "none"), t, "test");
    tell(rejected);

    assertThat(lines("jobplane_job_duration_seconds_count")).isEmpty();
    assertThat(lines("jobplane_jobs_finished_total"))
        .anyMatch(l -> l.contains("status=\"SKIPPED\"") && l.contains("DEPENDENCY_NOT_MET"))
        .anyMatch(l -> l.contains("status=\"REJECTED\"") && l.contains("reason=\"other\""));
  }
}
