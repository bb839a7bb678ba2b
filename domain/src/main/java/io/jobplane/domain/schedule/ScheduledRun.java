package io.jobplane.domain.schedule;

import io.jobplane.domain.Labels;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Which schedule started a job, and for which tick. The job carries it as two labels (so its
 * schedule's jobs are one label query away) and reads it back from them, so label and field can
 * never disagree.
 */
public record ScheduledRun(ScheduleId schedule, Instant scheduledTime) {

  public ScheduledRun {
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(scheduledTime, "scheduledTime");
  }

  /** The run a job's labels name, if a schedule made the job. */
  public static Optional<ScheduledRun> of(Labels labels) {
    String id = labels.values().get(ScheduleSpec.SCHEDULE_LABEL);
    String time = labels.values().get(ScheduleSpec.SCHEDULED_TIME_LABEL);
    if (id == null || time == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new ScheduledRun(
              new ScheduleId(UUID.fromString(id)), Instant.ofEpochSecond(Long.parseLong(time))));
    } catch (IllegalArgumentException e) {
      // labels only a schedule writes; anything else (a Kubernetes resource's own labels) is no run
      return Optional.empty();
    }
  }

  /** The two labels a schedule's job carries. */
  public Map<String, String> labels() {
    return Map.of(
        ScheduleSpec.SCHEDULE_LABEL,
        schedule.toString(),
        ScheduleSpec.SCHEDULED_TIME_LABEL,
        Long.toString(scheduledTime.getEpochSecond()));
  }
}
