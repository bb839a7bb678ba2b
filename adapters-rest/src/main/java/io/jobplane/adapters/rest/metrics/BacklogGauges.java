package io.jobplane.adapters.rest.metrics;

import io.jobplane.application.port.in.BacklogQueries;
import io.jobplane.application.port.in.BacklogQueries.Backlog;
import io.jobplane.application.port.in.BacklogQueries.QueueBacklog;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Gauges of what waits, for alerts that fire when work is stuck:
 *
 * <ul>
 *   <li>{@code jobplane_queue_oldest_queued_seconds} (project, queue): how long the oldest QUEUED
 *       job of the queue has waited, 0 when none waits;
 *   <li>{@code jobplane_queue_queued_jobs} (project, queue): the QUEUED jobs in it;
 *   <li>{@code jobplane_schedules_lag_seconds}: how long ago the most overdue unsuspended schedule
 *       should have ticked, 0 when none is due (the schedule loop runs every second).
 * </ul>
 *
 * A Prometheus collector rather than Micrometer gauges, because the queues come and go: each scrape
 * lists exactly the queues that have unfinished jobs, with no meter to register or remove. The
 * backlog is read when Prometheus scrapes, at most once per {@code ttl}, never on a timer: an idle
 * server nobody scrapes asks the store nothing. Ages are taken at the scrape from the cached times,
 * so they keep growing between two reads. Every replica reports the same backlog: aggregate with
 * {@code max}, not {@code sum}.
 */
public final class BacklogGauges implements MultiCollector {

  public static final String OLDEST_QUEUED = "jobplane_queue_oldest_queued_seconds";
  public static final String QUEUED = "jobplane_queue_queued_jobs";
  public static final String SCHEDULE_LAG = "jobplane_schedules_lag_seconds";

  private final ScrapeCache<Backlog> backlog;
  private final Clock clock;

  public BacklogGauges(BacklogQueries queries, Duration ttl, LongSupplier nanoTime, Clock clock) {
    this.backlog = new ScrapeCache<>("the backlog", queries::backlog, ttl, nanoTime);
    this.clock = clock;
  }

  /** Registers the gauges with the registry that {@code /metrics} scrapes. */
  public static BacklogGauges register(BacklogQueries queries, PrometheusMeterRegistry registry) {
    BacklogGauges gauges =
        new BacklogGauges(queries, Duration.ofSeconds(5), System::nanoTime, Clock.systemUTC());
    registry.getPrometheusRegistry().register(gauges);
    return gauges;
  }

  @Override
  public MetricSnapshots collect() {
    Backlog read = backlog.get();
    if (read == null) {
      return new MetricSnapshots(); // the store never answered: no value rather than a wrong 0
    }
    Instant now = clock.instant();
    GaugeSnapshot.Builder oldest =
        GaugeSnapshot.builder()
            .name(OLDEST_QUEUED)
            .help("Seconds the oldest QUEUED job of the queue has waited (0: none waits)");
    GaugeSnapshot.Builder queued =
        GaugeSnapshot.builder().name(QUEUED).help("QUEUED jobs per queue");
    for (QueueBacklog queue : read.queues()) {
      Labels labels = Labels.of("project", queue.project(), "queue", queue.queue());
      oldest.dataPoint(point(labels, secondsSince(queue.oldestQueuedAt(), now)));
      queued.dataPoint(point(labels, queue.queued()));
    }
    GaugeSnapshot lag =
        GaugeSnapshot.builder()
            .name(SCHEDULE_LAG)
            .help("Seconds the most overdue unsuspended schedule is behind its next run time")
            .dataPoint(point(Labels.EMPTY, secondsSince(read.oldestDueSchedule(), now)))
            .build();
    return MetricSnapshots.of(oldest.build(), queued.build(), lag);
  }

  @Override
  public List<String> getPrometheusNames() {
    return List.of(OLDEST_QUEUED, QUEUED, SCHEDULE_LAG);
  }

  private static GaugeDataPointSnapshot point(Labels labels, double value) {
    return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
  }

  private static double secondsSince(Instant then, Instant now) {
    if (then == null || !now.isAfter(then)) {
      return 0;
    }
    return Duration.between(then, now).toMillis() / 1000.0;
  }
}
