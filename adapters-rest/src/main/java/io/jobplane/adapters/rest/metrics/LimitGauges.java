package io.jobplane.adapters.rest.metrics;

import io.jobplane.application.port.in.ProjectLimitsUseCase;
import io.jobplane.application.port.in.ProjectLimitsUseCase.LimitsView;
import io.jobplane.application.port.out.ProjectLimitsStore.Usage;
import io.jobplane.domain.ProjectLimits;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The projects' limits and what they hold, for alerts on a project at its limit:
 *
 * <ul>
 *   <li>{@code jobplane_project_limit} (project, queue, kind): a limit that is set; {@code kind}
 *       {@code max_running} or {@code max_queued}; {@code queue} is {@code *} for the project's own
 *       limit;
 *   <li>{@code jobplane_project_usage} (project, queue, kind): the jobs that count against it now
 *       ({@code running}: RUNNING or STOPPING; {@code queued}: PENDING, SUSPENDED or QUEUED), for
 *       every project that has limits, in total ({@code queue="*"}) and per limited queue.
 * </ul>
 *
 * Read as {@link BacklogGauges} reads the backlog: when {@code /metrics} is scraped, at most once
 * per {@code ttl}, never on a timer. Every replica reports the same figures.
 */
public final class LimitGauges implements MultiCollector {

  public static final String LIMIT = "jobplane_project_limit";
  public static final String USAGE = "jobplane_project_usage";

  /** The queue label of a project's own limit and of its total usage. */
  public static final String WHOLE_PROJECT = "*";

  private final ScrapeCache<List<LimitsView>> limits;

  public LimitGauges(ProjectLimitsUseCase queries, Duration ttl, LongSupplier nanoTime) {
    this.limits = new ScrapeCache<>("the project limits", queries::everyProject, ttl, nanoTime);
  }

  /** Registers the gauges with the registry that {@code /metrics} scrapes. */
  public static LimitGauges register(
      ProjectLimitsUseCase queries, PrometheusMeterRegistry registry) {
    LimitGauges gauges = new LimitGauges(queries, Duration.ofSeconds(5), System::nanoTime);
    registry.getPrometheusRegistry().register(gauges);
    return gauges;
  }

  @Override
  public MetricSnapshots collect() {
    List<LimitsView> read = limits.get();
    if (read == null) {
      return new MetricSnapshots(); // the store never answered: no value rather than a wrong 0
    }
    GaugeSnapshot.Builder limit =
        GaugeSnapshot.builder()
            .name(LIMIT)
            .help("A project's limit (queue=\"*\": the whole project), by kind");
    GaugeSnapshot.Builder usage =
        GaugeSnapshot.builder()
            .name(USAGE)
            .help("Jobs of a project with limits running and queued (queue=\"*\": all queues)");
    for (LimitsView v : read) {
      ProjectLimits l = v.limits();
      limits(limit, v.project(), WHOLE_PROJECT, l.maxRunning(), l.maxQueued());
      usage(usage, v.project(), WHOLE_PROJECT, v.usage().total());
      l.queues()
          .forEach((queue, q) -> limits(limit, v.project(), queue, q.maxRunning(), q.maxQueued()));
      v.usage().queues().forEach((queue, u) -> usage(usage, v.project(), queue, u));
    }
    return MetricSnapshots.of(limit.build(), usage.build());
  }

  private static void limits(
      GaugeSnapshot.Builder to, String project, String queue, Integer running, Long queued) {
    if (running != null) {
      to.dataPoint(point(project, queue, "max_running", running));
    }
    if (queued != null) {
      to.dataPoint(point(project, queue, "max_queued", queued));
    }
  }

  private static void usage(GaugeSnapshot.Builder to, String project, String queue, Usage u) {
    to.dataPoint(point(project, queue, "running", u.running()));
    to.dataPoint(point(project, queue, "queued", u.waiting()));
  }

  private static GaugeDataPointSnapshot point(
      String project, String queue, String kind, double value) {
    return GaugeDataPointSnapshot.builder()
        .labels(Labels.of("project", project, "queue", queue, "kind", kind))
        .value(value)
        .build();
  }

  @Override
  public List<String> getPrometheusNames() {
    return List.of(LIMIT, USAGE);
  }
}
