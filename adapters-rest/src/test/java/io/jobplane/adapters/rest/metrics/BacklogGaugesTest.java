package io.jobplane.adapters.rest.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.port.in.BacklogQueries;
import io.jobplane.application.port.in.BacklogQueries.Backlog;
import io.jobplane.application.port.in.BacklogQueries.QueueBacklog;
import io.jobplane.application.testing.MutableClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BacklogGaugesTest {

  private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");

  private final AtomicReference<Backlog> stored =
      new AtomicReference<>(new Backlog(List.of(), null, T0));
  private final AtomicInteger reads = new AtomicInteger();
  private final BacklogQueries queries =
      () -> {
        reads.incrementAndGet();
        return stored.get();
      };
  private final AtomicLong nanos = new AtomicLong();
  private final MutableClock clock = new MutableClock(T0);
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private BacklogGauges registered() {
    BacklogGauges gauges = new BacklogGauges(queries, Duration.ofSeconds(5), nanos::get, clock);
    registry.getPrometheusRegistry().register(gauges);
    return gauges;
  }

  @Test
  void nothingIsReadUntilPrometheusScrapes() {
    registered();

    assertThat(reads).hasValue(0);
    registry.scrape();
    assertThat(reads).hasValue(1);
  }

  @Test
  void theOldestQueuedAgeOfEachQueueAndTheScheduleLagAreScraped() {
    stored.set(
        new Backlog(
            List.of(
                new QueueBacklog("etl", "default", 4, T0.minusSeconds(90)),
                new QueueBacklog("ml", "gpu", 0, null)),
            T0.minusSeconds(12),
            T0));
    registered();

    String scrape = registry.scrape();

    assertThat(scrape)
        .contains("jobplane_queue_oldest_queued_seconds{project=\"etl\",queue=\"default\"} 90.0")
        .contains("jobplane_queue_oldest_queued_seconds{project=\"ml\",queue=\"gpu\"} 0.0")
        .contains("jobplane_queue_queued_jobs{project=\"etl\",queue=\"default\"} 4.0")
        .contains("jobplane_schedules_lag_seconds 12.0");
  }

  @Test
  void aScrapeStormReadsTheStoreOncePerTtlWhileTheAgesKeepGrowing() {
    stored.set(
        new Backlog(List.of(new QueueBacklog("etl", "default", 1, T0.minusSeconds(10))), null, T0));
    registered();

    registry.scrape();
    nanos.addAndGet(Duration.ofSeconds(4).toNanos());
    clock.set(T0.plusSeconds(4));
    String cached = registry.scrape();
    assertThat(reads).hasValue(1);
    assertThat(cached)
        .contains("jobplane_queue_oldest_queued_seconds{project=\"etl\",queue=\"default\"} 14.0")
        .contains("jobplane_schedules_lag_seconds 0.0");

    stored.set(new Backlog(List.of(), null, T0.plusSeconds(5)));
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    String fresh = registry.scrape();
    assertThat(reads).hasValue(2);
    assertThat(fresh).doesNotContain("queue=\"default\"");
  }

  @Test
  void aStoreThatNeverAnsweredShowsNoValueRatherThanAZero() {
    BacklogQueries failing =
        () -> {
          reads.incrementAndGet();
          throw new IllegalStateException("database away");
        };
    registry
        .getPrometheusRegistry()
        .register(new BacklogGauges(failing, Duration.ofSeconds(5), nanos::get, clock));

    assertThat(registry.scrape()).doesNotContain("jobplane_schedules_lag_seconds ");
    registry.scrape();
    assertThat(reads).as("not asked again within the ttl").hasValue(1);
  }
}
