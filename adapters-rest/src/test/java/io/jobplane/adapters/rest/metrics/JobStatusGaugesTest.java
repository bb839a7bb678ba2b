package io.jobplane.adapters.rest.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.service.QueryJobsService;
import io.jobplane.application.testing.InMemoryJobRepository;
import io.jobplane.application.testing.InMemoryTaskRepository;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.application.testing.SeparateReadsJobListExpansions;
import io.jobplane.domain.JobStatus;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class JobStatusGaugesTest {

  @Test
  void counts_are_cached_for_the_ttl() {
    InMemoryJobRepository jobs = new InMemoryJobRepository();
    AtomicLong nanos = new AtomicLong();
    JobStatusGauges gauges =
        new JobStatusGauges(
            new QueryJobsService(
                jobs,
                new SeparateReadsJobListExpansions(
                    jobs, new InMemoryTaskRepository(jobs, MutableClock.fixed()))),
            Duration.ofSeconds(5),
            nanos::get);

    assertThat(gauges.count(JobStatus.QUEUED)).isZero();
    jobs.insert(JobTestData.aJob().buildJob());
    nanos.addAndGet(Duration.ofSeconds(4).toNanos());
    assertThat(gauges.count(JobStatus.QUEUED)).isZero();
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(gauges.count(JobStatus.QUEUED)).isEqualTo(1);
  }
}
