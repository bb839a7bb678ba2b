package io.jobplane.adapters.rest.metrics;

import io.jobplane.application.port.out.JobLifecycleMetrics;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.TimelineEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * {@link JobLifecycleMetrics} as Prometheus series (Micrometer), for dashboards and alerts:
 *
 * <ul>
 *   <li>{@code jobplane_job_queue_wait_seconds} (histogram; project, type, queue): from queued to
 *       started, recorded when a job starts;
 *   <li>{@code jobplane_job_duration_seconds} (histogram; project, type, queue, status): from
 *       started to finished, recorded when a job that ran ends;
 *   <li>{@code jobplane_jobs_finished_total} (project, type, queue, status, reason): every end,
 *       with the error's reason ({@code none} without one).
 * </ul>
 *
 * The histograms have fixed buckets ({@link #QUEUE_WAIT_BUCKETS}, {@link #DURATION_BUCKETS}), a
 * dozen series each rather than Micrometer's percentile histogram of some 70 buckets. Each replica
 * counts the transitions it wrote; Prometheus sums them.
 */
public final class MicrometerJobLifecycleMetrics implements JobLifecycleMetrics {

  static final Duration[] QUEUE_WAIT_BUCKETS = {
    Duration.ofMillis(100),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(15),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(5),
    Duration.ofMinutes(15),
    Duration.ofHours(1)
  };

  static final Duration[] DURATION_BUCKETS = {
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(15),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(5),
    Duration.ofMinutes(15),
    Duration.ofMinutes(30),
    Duration.ofHours(1),
    Duration.ofHours(3),
    Duration.ofHours(12),
    Duration.ofHours(24)
  };

  /** Reasons are written by workers; anything that is not a short code becomes "other". */
  private static final Pattern REASON = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private final MeterRegistry registry;

  public MicrometerJobLifecycleMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void transitioned(JobSnapshot job, TimelineEvent event) {
    Tags where =
        Tags.of(
            "project", job.definition().project(),
            "type", job.definition().type(),
            "queue", job.definition().queue());
    if (event.from() == JobStatus.QUEUED && event.to() == JobStatus.RUNNING) {
      record(
          "jobplane.job.queue.wait",
          "Time from queued to started",
          QUEUE_WAIT_BUCKETS,
          where,
          job.queuedAt(),
          event.timestamp());
    }
    if (event.to().isTerminal() && (event.from() == null || !event.from().isTerminal())) {
      Tags ended = where.and("status", event.to().name());
      Counter.builder("jobplane.jobs.finished")
          .description("Jobs that ended, by status and error reason")
          .tags(ended.and("reason", reason(job)))
          .register(registry)
          .increment();
      if (job.startedAt() != null) {
        record(
            "jobplane.job.duration",
            "Time from started to finished of jobs that ran",
            DURATION_BUCKETS,
            ended,
            job.startedAt(),
            event.timestamp());
      }
    }
  }

  private void record(
      String name, String description, Duration[] buckets, Tags tags, Instant from, Instant to) {
    if (from == null || to.isBefore(from)) {
      return;
    }
    Timer.builder(name)
        .description(description)
        .tags(tags)
        .serviceLevelObjectives(buckets)
        .register(registry)
        .record(Duration.between(from, to));
  }

  private static String reason(JobSnapshot job) {
    if (job.error() == null) {
      return "none";
    }
    String reason = job.error().reason();
    return REASON.matcher(reason).matches() ? reason : "other";
  }
}
