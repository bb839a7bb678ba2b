package io.jobplane.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one project may hold at once, for the whole project and per queue, and its weight in the
 * fair share of a queue it shares with other projects. A null limit is no limit; a project without
 * a stored document has {@link #NONE}.
 *
 * <ul>
 *   <li>{@code maxRunning}: jobs of the project (of the queue) RUNNING or STOPPING at once; a claim
 *       never starts one more, and a queued job held back waits with {@link
 *       QueueWait.Reason#CONCURRENCY_LIMIT}. 0 holds every new job (the project is paused).
 *   <li>{@code maxQueued}: jobs of the project (of the queue) waiting to run (PENDING, SUSPENDED or
 *       QUEUED); a submit past it is refused (429) and stores nothing.
 *   <li>{@code weight}: the project's share of a queue's workers against the other projects that
 *       have work in it (default 1): a claim serves first the project whose running jobs, divided
 *       by its weight, are fewest.
 * </ul>
 *
 * @param maxRunning jobs of the project running at once, all queues together, or null
 * @param maxQueued jobs of the project waiting to run, all queues together, or null
 * @param weight the project's fair-share weight, 1 to {@link #MAX_WEIGHT}
 * @param queues limits of the project's jobs in one queue, by queue name
 */
public record ProjectLimits(
    Integer maxRunning, Long maxQueued, int weight, Map<String, QueueLimits> queues) {

  /** The largest {@code max_running}, for a project or a queue. */
  public static final int MAX_RUNNING = 1_000_000;

  /** The largest {@code max_queued}, for a project or a queue. */
  public static final long MAX_QUEUED = 1_000_000_000L;

  /** The largest weight. */
  public static final int MAX_WEIGHT = 1_000;

  /** Most queues one document may limit. */
  public static final int MAX_QUEUES = 100;

  /** No limit anywhere, weight 1. */
  public static final ProjectLimits NONE = builder().build();

  /** The limits of the project's jobs in one queue; null is no limit. */
  public record QueueLimits(Integer maxRunning, Long maxQueued) {

    /** What a queue the document does not name is held to. */
    public static final QueueLimits UNLIMITED =
        new QueueLimits(/* maxRunning= */ null, /* maxQueued= */ null);

    /** Both limits checked (fields unprefixed; {@link ProjectLimits#queue} names them). */
    public QueueLimits {
      List<DomainException.FieldError> errors = new ArrayList<>();
      check(errors, "max_running", maxRunning, MAX_RUNNING);
      check(errors, "max_queued", maxQueued, MAX_QUEUED);
      fail(errors);
    }

    boolean isEmpty() {
      return maxRunning == null && maxQueued == null;
    }
  }

  /**
   * Checks every bound at once and names each offending field ({@code max_running}, {@code
   * queues.gpu.max_queued}, ...). Queues are kept in name order; a queue without limits is dropped.
   */
  public ProjectLimits {
    List<DomainException.FieldError> errors = new ArrayList<>();
    check(errors, "max_running", maxRunning, MAX_RUNNING);
    check(errors, "max_queued", maxQueued, MAX_QUEUED);
    if (weight < 1 || weight > MAX_WEIGHT) {
      errors.add(new DomainException.FieldError("weight", "must be between 1 and " + MAX_WEIGHT));
    }
    Map<String, QueueLimits> sorted = new TreeMap<>();
    if (queues != null) {
      if (queues.size() > MAX_QUEUES) {
        errors.add(
            new DomainException.FieldError(
                "queues", "may limit at most " + MAX_QUEUES + " queues"));
      }
      queues.forEach(
          (name, limits) -> {
            try {
              Text.identifier(name, "queues." + name);
            } catch (DomainException e) {
              errors.addAll(e.errors());
              return;
            }
            if (limits == null) {
              errors.add(
                  new DomainException.FieldError(
                      "queues." + name, "must be an object of limits, or left out"));
            } else if (!limits.isEmpty()) {
              sorted.put(name, limits);
            }
          });
    }
    fail(errors);
    queues = Collections.unmodifiableMap(sorted);
  }

  /** Limits built by name; what is not set is not limited, and the weight is 1. */
  public static Builder builder() {
    return new Builder();
  }

  /** Named setters for the limits of a project. */
  public static final class Builder {
    private Integer maxRunning;
    private Long maxQueued;
    private int weight = 1;
    private final Map<String, QueueLimits> queues = new TreeMap<>();

    private Builder() {}

    public Builder maxRunning(Integer value) {
      this.maxRunning = value;
      return this;
    }

    public Builder maxQueued(Long value) {
      this.maxQueued = value;
      return this;
    }

    public Builder weight(int value) {
      this.weight = value;
      return this;
    }

    public Builder queue(String name, QueueLimits limits) {
      queues.put(name, limits);
      return this;
    }

    /** The limits, every bound checked as for a document read at the border. */
    public ProjectLimits build() {
      return new ProjectLimits(maxRunning, maxQueued, weight, queues);
    }
  }

  /** Validates the queue's part of a document read at the border (fields named under it). */
  public static QueueLimits queue(String name, Integer maxRunning, Long maxQueued) {
    try {
      return new QueueLimits(maxRunning, maxQueued);
    } catch (DomainException e) {
      throw e.under("queues." + name + ".");
    }
  }

  /** True when nothing is limited and the weight is the default: the same as no document. */
  public boolean isEmpty() {
    return maxRunning == null && maxQueued == null && weight == 1 && queues.isEmpty();
  }

  /** Whether any running limit (the project's or a queue's) applies. */
  public boolean limitsRunning() {
    return maxRunning != null || queues.values().stream().anyMatch(q -> q.maxRunning() != null);
  }

  /** Whether any queued limit (the project's or a queue's) applies. */
  public boolean limitsQueued() {
    return maxQueued != null || queues.values().stream().anyMatch(q -> q.maxQueued() != null);
  }

  /** The queue's limits, or none. */
  public QueueLimits queue(String name) {
    QueueLimits q = queues.get(name);
    return q == null ? QueueLimits.UNLIMITED : q;
  }

  /** Where a limit applies: the whole project or one of its queues. */
  public enum Scope {
    PROJECT,
    QUEUE
  }

  /**
   * One limit and how much of it is used.
   *
   * @param scope the project's limit or its queue's
   * @param queue the queue, for {@link Scope#QUEUE}, else null
   * @param limit the limit
   * @param usage how many jobs count against it now
   */
  public record Use(Scope scope, String queue, long limit, long usage) {
    public boolean isFull() {
      return usage >= limit;
    }

    /** "project 'p'" or "queue 'q' of project 'p'", for messages. */
    public String where(String project) {
      return scope == Scope.PROJECT
          ? "project '" + project + "'"
          : "queue '" + queue + "' of project '" + project + "'";
    }
  }

  /**
   * The running limit that holds a new job of {@code queue} back, if any: the project's first, then
   * the queue's. {@code projectRunning} and {@code queueRunning} are the jobs running now.
   */
  public Optional<Use> runningLimitReached(String queue, long projectRunning, long queueRunning) {
    if (maxRunning != null && projectRunning >= maxRunning) {
      return Optional.of(new Use(Scope.PROJECT, null, maxRunning, projectRunning));
    }
    Integer q = queue(queue).maxRunning();
    if (q != null && queueRunning >= q) {
      return Optional.of(new Use(Scope.QUEUE, queue, q, queueRunning));
    }
    return Optional.empty();
  }

  /**
   * Refuses one more waiting job of {@code queue} when it would pass the project's or the queue's
   * {@code max_queued}: TOO_MANY_REQUESTS (429 with Retry-After), the limit and its usage named.
   * {@code projectQueued} and {@code queueQueued} are the jobs waiting now (a count may stop at the
   * limit: it only has to tell whether the limit is reached).
   */
  public void admitQueued(String project, String queue, long projectQueued, long queueQueued) {
    Use full = null;
    if (maxQueued != null && projectQueued >= maxQueued) {
      full = new Use(Scope.PROJECT, null, maxQueued, projectQueued);
    } else {
      Long q = queue(queue).maxQueued();
      if (q != null && queueQueued >= q) {
        full = new Use(Scope.QUEUE, queue, q, queueQueued);
      }
    }
    if (full != null) {
      throw new DomainException(
          DomainException.Reason.TOO_MANY_REQUESTS,
          full.where(project)
              + " holds "
              + full.usage()
              + " waiting jobs, its max_queued is "
              + full.limit()
              + ": submit again when some have started");
    }
  }

  private static void check(
      List<DomainException.FieldError> errors, String field, Number value, long max) {
    if (value != null && (value.longValue() < 0 || value.longValue() > max)) {
      errors.add(
          new DomainException.FieldError(
              field, "must be between 0 and " + max + ", or null for no limit"));
    }
  }

  private static void fail(List<DomainException.FieldError> errors) {
    if (errors.isEmpty()) {
      return;
    }
    throw new DomainException(
        DomainException.Reason.INVALID_ARGUMENT,
        errors.size() == 1
            ? errors.get(0).field() + ": " + errors.get(0).message()
            : "invalid limits: "
                + String.join(
                    ", ", errors.stream().map(DomainException.FieldError::field).toList()),
        errors);
  }
}
