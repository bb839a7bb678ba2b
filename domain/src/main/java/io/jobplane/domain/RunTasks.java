package io.jobplane.domain;

import java.util.List;
import java.util.Objects;

/**
 * The tasks of a job's current run as a list item shows them: all of them counted ({@link
 * TaskSummary#counted}), and the first ones by index, read without their outputs.
 */
public record RunTasks(TaskSummary counts, List<TaskState> first) {

  /** A run without tasks (a Kubernetes job, or a job stored before it had any). */
  public static final RunTasks NONE = new RunTasks(TaskSummary.of(List.of()), List.of());

  public RunTasks {
    Objects.requireNonNull(counts, "counts");
    first = List.copyOf(first);
  }

  /** Tasks of the run that {@link #first} leaves out. */
  public int omitted() {
    return Math.max(0, counts.total() - first.size());
  }
}
