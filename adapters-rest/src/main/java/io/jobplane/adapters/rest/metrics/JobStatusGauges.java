package io.jobplane.adapters.rest.metrics;

import io.jobplane.application.port.in.QueryJobsUseCase;
import io.jobplane.domain.JobStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Gauges {@code jobplane_jobs{status=...}}, one per status, read from the store at most once per
 * {@code ttl} however often Prometheus scrapes.
 */
public final class JobStatusGauges {

  public static final String NAME = "jobplane.jobs";

  private final ScrapeCache<Map<JobStatus, Long>> counts;

  public JobStatusGauges(QueryJobsUseCase query, Duration ttl, LongSupplier nanoTime) {
    this.counts =
        new ScrapeCache<>(
            "jobs by status", () -> new EnumMap<>(query.countByStatus()), ttl, nanoTime);
  }

  public static JobStatusGauges register(QueryJobsUseCase query, MeterRegistry registry) {
    JobStatusGauges gauges = new JobStatusGauges(query, Duration.ofSeconds(5), System::nanoTime);
    for (JobStatus status : JobStatus.values()) {
      Gauge.builder(NAME, gauges, g -> g.count(status))
          .tag("status", status.name())
          .description("Jobs per status")
          .strongReference(true)
          .register(registry);
    }
    return gauges;
  }

  /** The cached count; NaN when the store has never answered. */
  public double count(JobStatus status) {
    Map<JobStatus, Long> cached = counts.get();
    return cached == null ? Double.NaN : cached.getOrDefault(status, 0L);
  }
}
