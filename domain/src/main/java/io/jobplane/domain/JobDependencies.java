package io.jobplane.domain;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The jobs a job waits for ({@code depends_on}) before it is queued, and what they must end as. The
 * job stays PENDING until every one of them has ended as {@link #condition} requires, and is then
 * queued in the same transaction as the last one's end; once one of them ends otherwise, it is
 * {@link JobStatus#SKIPPED}. Dependencies name existing jobs only, so they can never form a cycle.
 */
public record JobDependencies(List<JobId> jobs, Condition condition) {

  public static final int MAX_JOBS = 100;

  /** What a job it depends on must end as. */
  public enum Condition {
    /** SUCCEEDED only (the default, as in Argo and AWS Batch). */
    SUCCEEDED,
    /** Any end at all: the job runs after the others, whatever became of them. */
    FINISHED;

    /** Whether a job that ended as {@code status} satisfies this condition. */
    public boolean acceptsEnd(JobStatus status) {
      if (!status.isTerminal()) {
        throw new IllegalArgumentException(status + " is not an end");
      }
      return this == FINISHED || status == JobStatus.SUCCEEDED;
    }

    public static Condition parse(String text) {
      if (text == null || text.isBlank()) {
        return SUCCEEDED;
      }
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw DomainException.invalid(
            "condition", "must be succeeded or finished, not '" + text + "'");
      }
    }
  }

  /** Where a waiting job stands, given what became of the jobs it depends on. */
  public enum Verdict {
    /** Some of them have not ended yet, and none ended unacceptably. */
    WAIT,
    /** All of them ended as required: queue it. */
    RELEASE,
    /** One of them ended as the condition does not accept: it will never run. */
    SKIP
  }

  public JobDependencies {
    Objects.requireNonNull(condition, "condition");
    if (jobs == null || jobs.isEmpty()) {
      throw DomainException.invalid("depends_on", "must name at least one job");
    }
    if (jobs.size() > MAX_JOBS) {
      throw DomainException.invalid("depends_on", "must name at most " + MAX_JOBS + " jobs");
    }
    Set<JobId> seen = new HashSet<>();
    for (JobId id : jobs) {
      if (!seen.add(Objects.requireNonNull(id, "job id"))) {
        throw DomainException.invalid("depends_on", "names job " + id + " twice");
      }
    }
    jobs = List.copyOf(jobs);
  }

  /**
   * Where a waiting job stands: its dependencies and, for each job it depends on, what that job
   * ended as (absent: not ended yet). The end recorded is the first one: a job restarted after it
   * ended does not change the verdict of jobs that waited for it.
   */
  public record Standing(JobDependencies dependencies, Map<JobId, JobStatus> endedAs) {

    public Standing {
      Objects.requireNonNull(dependencies, "dependencies");
      endedAs = Map.copyOf(endedAs);
    }

    public Verdict verdict() {
      if (firstUnacceptable().isPresent()) {
        return Verdict.SKIP;
      }
      return waitingFor().isEmpty() ? Verdict.RELEASE : Verdict.WAIT;
    }

    /** The first job (in depends_on order) that ended as the condition does not accept. */
    public Optional<JobId> firstUnacceptable() {
      return dependencies.jobs().stream()
          .filter(
              id -> {
                JobStatus end = endedAs.get(id);
                return end != null && !dependencies.condition().acceptsEnd(end);
              })
          .findFirst();
    }

    /** The jobs it still waits for, in depends_on order. */
    public List<JobId> waitingFor() {
      return dependencies.jobs().stream().filter(id -> !endedAs.containsKey(id)).toList();
    }
  }

  /** "the 3 jobs it depends on" or "job X it depends on", for the timeline. */
  String describe() {
    return jobs.size() == 1
        ? "job " + jobs.get(0) + " it depends on"
        : "the " + jobs.size() + " jobs it depends on";
  }
}
