package io.jobplane.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The output of a job's current run as a list item shows it: the outputs of its first tasks by
 * index (null where a task has none, or one too large to list), how many outputs of the run that
 * leaves out, and whether any task reported a change.
 *
 * @param first the outputs of the first tasks by index, as JSON text
 * @param omitted outputs of the run's tasks not in {@code first}: past the first tasks, or too
 *     large
 * @param changed true when any task of the run reported a change, false when some reported none,
 *     null when no task said
 */
public record RunOutputs(List<String> first, int omitted, Boolean changed) {

  /** A run without tasks, or whose tasks have no output and reported no change. */
  public static final RunOutputs NONE = new RunOutputs(List.of(), 0, null);

  public RunOutputs {
    // List.copyOf refuses nulls, and a task without output is a null here
    first = Collections.unmodifiableList(new ArrayList<>(first));
    if (omitted < 0) {
      throw new IllegalArgumentException("omitted must not be negative");
    }
  }

  /** The run's output as a single-job read shows it ({@link TaskSummary#outputJson}). */
  public String outputJson() {
    return TaskSummary.outputJson(first);
  }
}
