package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.jobplane.adapters.k8s.crd.DesiredState;
import io.jobplane.adapters.k8s.crd.JobCondition;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Maps a run's batch/v1 Job (and the resource's desired state) to the resource's status. Pure: no
 * Kubernetes client; the clock comes in as {@code now}.
 */
public final class StatusMapping {

  /** Phases a run does not leave; only a restart (new run) does. */
  public static final Set<JobPhase> TERMINAL =
      EnumSet.of(
          JobPhase.SUCCEEDED,
          JobPhase.FAILED,
          JobPhase.TIMED_OUT,
          JobPhase.STOPPED,
          JobPhase.PARTIALLY_FAILED,
          JobPhase.REJECTED,
          JobPhase.SKIPPED);

  static final String DEADLINE_EXCEEDED = "DeadlineExceeded";

  private StatusMapping() {}

  /**
   * The status for run {@code runId} of {@code resource}.
   *
   * @param batch the run's batch Job, or null when it does not exist (yet)
   * @param previous the current status, or null; keeps condition transition times and a terminal
   *     outcome of the same run
   */
  public static io.jobplane.adapters.k8s.crd.JobStatus map(
      JobResource resource,
      int runId,
      Job batch,
      io.jobplane.adapters.k8s.crd.JobStatus previous,
      Instant now) {
    io.jobplane.adapters.k8s.crd.JobStatus status = copyOf(previous);
    boolean sameRun = previous != null && Integer.valueOf(runId).equals(previous.getRunId());
    if (!sameRun) {
      status.setPhase(null);
      status.setProgress(null);
      status.setAttempt(null);
      status.setStartTime(null);
      status.setCompletionTime(null);
      status.setDuration(null);
      status.setMessage(null);
      status.setBatchJob(null);
    }
    status.setRunId(runId);
    status.setObservedGeneration(resource.getMetadata().getGeneration());
    String nowText = now.truncatedTo(ChronoUnit.SECONDS).toString();

    if (sameRun && isTerminal(previous.getPhase())) {
      // the outcome of a run does not change, even when its batch Job is gone (TTL) or stopped
    } else if (resource.getSpec().getDesiredState() == DesiredState.STOPPED) {
      observe(status, batch);
      status.setPhase(JobPhase.STOPPED);
      status.setMessage("stopped");
      if (status.getCompletionTime() == null) {
        status.setCompletionTime(nowText);
      }
    } else if (batch == null) {
      status.setPhase(JobPhase.QUEUED);
    } else {
      observe(status, batch);
      status.setPhase(phaseOf(batch, resource));
      Optional<io.fabric8.kubernetes.api.model.batch.v1.JobCondition> failed =
          condition(batch, "Failed");
      if (status.getPhase() == JobPhase.FAILED || status.getPhase() == JobPhase.TIMED_OUT) {
        status.setMessage(failed.map(c -> c.getMessage()).orElse(null));
        if (status.getCompletionTime() == null) {
          status.setCompletionTime(
              failed.map(c -> c.getLastTransitionTime()).filter(t -> t != null).orElse(nowText));
        }
      } else if (status.getPhase() == JobPhase.SUCCEEDED) {
        status.setProgress(100.0);
        status.setMessage(null);
      } else {
        status.setMessage(null);
      }
    }
    status.setDuration(duration(status.getStartTime(), status.getCompletionTime()));
    setPhaseConditions(status, resource.getMetadata().getGeneration(), nowText);
    return status;
  }

  /**
   * {@code completionTime - startTime} as {@code kubectl} spells durations (45s, 4m12s, 26h3m);
   * null until both are known.
   */
  static String duration(String startTime, String completionTime) {
    if (startTime == null || completionTime == null) {
      return null;
    }
    Duration took =
        Duration.between(Instant.parse(startTime), Instant.parse(completionTime))
            .truncatedTo(ChronoUnit.SECONDS);
    if (took.isNegative()) {
      return null; // clocks of different writers; better nothing than a negative duration
    }
    return took.isZero() ? "0s" : took.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  /** The phase the batch Job is in; terminal conditions first. */
  static JobPhase phaseOf(Job batch, JobResource resource) {
    if (condition(batch, "Complete").isPresent()) {
      return JobPhase.SUCCEEDED;
    }
    Optional<io.fabric8.kubernetes.api.model.batch.v1.JobCondition> failed =
        condition(batch, "Failed");
    if (failed.isPresent()) {
      return DEADLINE_EXCEEDED.equals(failed.get().getReason())
          ? JobPhase.TIMED_OUT
          : JobPhase.FAILED;
    }
    if (BatchJobs.isHeld(batch)) {
      return JobPhase.QUEUED; // waits for its project's room, not suspended by anyone
    }
    if (condition(batch, "Suspended").isPresent()
        || (batch.getSpec() != null && Boolean.TRUE.equals(batch.getSpec().getSuspend()))) {
      return JobPhase.SUSPENDED;
    }
    JobStatus s = batch.getStatus();
    if (s != null && count(s.getActive()) > 0) {
      return JobPhase.RUNNING;
    }
    if (s != null && (count(s.getSucceeded()) > 0 || count(s.getFailed()) > 0)) {
      return JobPhase.RUNNING; // between pods: some finished, the next not yet active
    }
    return JobPhase.QUEUED;
  }

  /** Sets condition {@code type}; keeps its lastTransitionTime when its status does not change. */
  public static void setCondition(
      io.jobplane.adapters.k8s.crd.JobStatus status,
      String type,
      JobCondition.Status value,
      String reason,
      String message,
      Long generation,
      String now) {
    status.setConditions(
        setCondition(status.getConditions(), type, value, reason, message, generation, now));
  }

  /** As above, on a list of conditions (null: none yet); returns the list to store. */
  static List<JobCondition> setCondition(
      List<JobCondition> current,
      String type,
      JobCondition.Status value,
      String reason,
      String message,
      Long generation,
      String now) {
    List<JobCondition> conditions = current == null ? new ArrayList<>() : current;
    JobCondition existing =
        conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    if (existing == null) {
      existing = new JobCondition(type, value, reason, message, now);
      conditions.add(existing);
    } else if (existing.getStatus() != value) {
      existing.setStatus(value);
      existing.setLastTransitionTime(now);
    }
    existing.setReason(reason);
    existing.setMessage(message);
    existing.setObservedGeneration(generation);
    return conditions;
  }

  static boolean isTerminal(JobPhase phase) {
    return phase != null && TERMINAL.contains(phase);
  }

  /** Sets Ready, Succeeded, Failed and Finished from the status' phase and message. */
  public static void setPhaseConditions(
      io.jobplane.adapters.k8s.crd.JobStatus status, Long generation, String now) {
    JobPhase phase = status.getPhase();
    String phaseReason = camel(phase);
    String message = status.getMessage();
    setCondition(
        status,
        JobCondition.READY,
        phase == JobPhase.RUNNING ? JobCondition.Status.True : JobCondition.Status.False,
        phaseReason,
        null,
        generation,
        now);
    setCondition(
        status,
        JobCondition.SUCCEEDED,
        phase == JobPhase.SUCCEEDED ? JobCondition.Status.True : JobCondition.Status.False,
        phaseReason,
        null,
        generation,
        now);
    boolean failed =
        phase == JobPhase.FAILED
            || phase == JobPhase.TIMED_OUT
            || phase == JobPhase.PARTIALLY_FAILED
            || phase == JobPhase.REJECTED;
    setCondition(
        status,
        JobCondition.FAILED,
        failed ? JobCondition.Status.True : JobCondition.Status.False,
        phaseReason,
        failed ? message : null,
        generation,
        now);
    setCondition(
        status,
        JobCondition.FINISHED,
        isTerminal(phase) ? JobCondition.Status.True : JobCondition.Status.False,
        phaseReason,
        isTerminal(phase) ? message : null,
        generation,
        now);
  }

  /** Progress, attempt and times from the batch Job's status. */
  private static void observe(io.jobplane.adapters.k8s.crd.JobStatus status, Job batch) {
    if (batch == null || batch.getStatus() == null) {
      return;
    }
    JobStatus s = batch.getStatus();
    int completions =
        batch.getSpec() == null || batch.getSpec().getCompletions() == null
            ? 1
            : Math.max(1, batch.getSpec().getCompletions());
    status.setProgress(Math.min(100.0, count(s.getSucceeded()) * 100.0 / completions));
    int maxAttempts =
        batch.getSpec() == null || batch.getSpec().getBackoffLimit() == null
            ? Integer.MAX_VALUE
            : batch.getSpec().getBackoffLimit() + 1;
    status.setAttempt(Math.min(count(s.getFailed()) + 1, maxAttempts));
    if (s.getStartTime() != null) {
      status.setStartTime(s.getStartTime());
    }
    if (s.getCompletionTime() != null) {
      status.setCompletionTime(s.getCompletionTime());
    }
  }

  private static Optional<io.fabric8.kubernetes.api.model.batch.v1.JobCondition> condition(
      Job batch, String type) {
    if (batch.getStatus() == null || batch.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return batch.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  private static int count(Integer value) {
    return value == null ? 0 : value;
  }

  /** TIMED_OUT -> TimedOut. */
  static String camel(JobPhase phase) {
    StringBuilder out = new StringBuilder();
    for (String part : phase.name().split("_")) {
      out.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return out.toString();
  }

  /** A deep copy of {@code previous} (an empty status for null). */
  static io.jobplane.adapters.k8s.crd.JobStatus copyOf(
      io.jobplane.adapters.k8s.crd.JobStatus previous) {
    io.jobplane.adapters.k8s.crd.JobStatus copy = new io.jobplane.adapters.k8s.crd.JobStatus();
    if (previous == null) {
      return copy;
    }
    copy.setPhase(previous.getPhase());
    copy.setProgress(previous.getProgress());
    copy.setRunId(previous.getRunId());
    copy.setJobId(previous.getJobId());
    copy.setAttempt(previous.getAttempt());
    copy.setStartTime(previous.getStartTime());
    copy.setCompletionTime(previous.getCompletionTime());
    copy.setDuration(previous.getDuration());
    copy.setObservedRestartNonce(previous.getObservedRestartNonce());
    copy.setObservedGeneration(previous.getObservedGeneration());
    copy.setMessage(previous.getMessage());
    copy.setBatchJob(previous.getBatchJob());
    List<JobCondition> conditions = new ArrayList<>();
    if (previous.getConditions() != null) {
      for (JobCondition c : previous.getConditions()) {
        JobCondition d =
            new JobCondition(
                c.getType(),
                c.getStatus(),
                c.getReason(),
                c.getMessage(),
                c.getLastTransitionTime());
        d.setObservedGeneration(c.getObservedGeneration());
        conditions.add(d);
      }
    }
    copy.setConditions(conditions);
    return copy;
  }
}
