package io.jobplane.adapters.rest.metrics;

import io.jobplane.application.port.in.QueryJobsUseCase;
import io.jobplane.domain.JobStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges {@code jobplane_jobs{status=...}}, one per status, read from the store at most once per
 * {@code ttl} however often Prometheus scrapes.
 */
public final class JobStatusGauges {

  public static final String NAME = "jobplane.jobs";
  private static final Logger LOG = LoggerFactory.getLogger(JobStatusGauges.class);

  private final QueryJobsUseCase query;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private Map<JobStatus, Long> cached;
  private long fetchedAt;

  public JobStatusGauges(QueryJobsUseCase query, Duration ttl, LongSupplier nanoTime) {
    this.query = query;
    this.ttlNanos = ttl.toNanos();
    this.nanoTime = nanoTime;
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
  public synchronized double count(JobStatus status) {
    long now = nanoTime.getAsLong();
    if (cached == null || now - fetchedAt >= ttlNanos) {
      fetchedAt = now; // also after a failure, so a down store is not asked on every scrape
      try {
        cached = new EnumMap<>(query.countByStatus());
      } catch (RuntimeException e) {
        LOG.warn("cannot count jobs by status: {}", e.toString());
        if (cached == null) {
          return Double.NaN;
        }
      }
    }
    return cached.getOrDefault(status, 0L);
  }
}
