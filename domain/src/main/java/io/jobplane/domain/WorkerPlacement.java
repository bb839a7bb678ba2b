package io.jobplane.domain;

import io.jobplane.domain.query.LabelSelector;
import java.util.Objects;

/**
 * Which workers may run a worker job's tasks (issue 16): only those whose labels match {@code
 * workerSelector} (null: any worker), and whether the job is a broadcast, one task per live
 * matching worker, each bound to that worker.
 *
 * @param mode {@link Mode#ANY}: each task goes to whichever matching worker claims it first; {@link
 *     Mode#BROADCAST}: one task per matching worker, bound to it
 * @param workerSelector a label selector in the syntax of the jobs list's {@code labels=} (e.g.
 *     {@code zone=eu,gpu,!spot}); null matches every worker
 * @param includeLateJoiners for a broadcast: a matching worker that starts claiming while the job
 *     runs gets a task of its own too
 */
public record WorkerPlacement(Mode mode, String workerSelector, boolean includeLateJoiners) {

  /** How a job's tasks are placed on workers. */
  public enum Mode {
    ANY,
    BROADCAST;
  }

  public WorkerPlacement {
    Objects.requireNonNull(mode, "mode");
    if (workerSelector != null) {
      workerSelector = workerSelector.trim();
      selectorOf(workerSelector);
    }
    if (includeLateJoiners && mode != Mode.BROADCAST) {
      throw DomainException.invalid(
          "placement.include_late_joiners", "is only for placement mode broadcast");
    }
  }

  /** Any worker whose labels match {@code selector}. */
  public static WorkerPlacement selecting(String selector) {
    return new WorkerPlacement(Mode.ANY, selector, false);
  }

  /** One task per live worker whose labels match {@code selector} (null: every live worker). */
  public static WorkerPlacement broadcast(String selector, boolean includeLateJoiners) {
    return new WorkerPlacement(Mode.BROADCAST, selector, includeLateJoiners);
  }

  public boolean isBroadcast() {
    return mode == Mode.BROADCAST;
  }

  /** The parsed selector ({@link LabelSelector#EVERYTHING} without one). */
  public LabelSelector selector() {
    return workerSelector == null ? LabelSelector.EVERYTHING : selectorOf(workerSelector);
  }

  /** Whether a worker labelled {@code labels} may run the job's tasks. */
  public boolean admits(Labels labels) {
    return selector().matches(labels.values());
  }

  private static LabelSelector selectorOf(String text) {
    try {
      return LabelSelector.parse(text);
    } catch (DomainException e) {
      throw DomainException.invalid(
          "worker_selector", e.errors().isEmpty() ? e.getMessage() : e.errors().get(0).message());
    }
  }
}
