package io.jobplane.domain;

import java.util.List;
import java.util.Map;

/**
 * The tasks of a job's current run, counted, with the summed item counts workers reported and the
 * run's output: a single task's output as is, several tasks' outputs as a JSON array by index.
 */
public record TaskSummary(
    int total,
    int pending,
    int running,
    int completed,
    int failed,
    int stopped,
    TaskItems items,
    String outputJson,
    Boolean changed) {

  public static TaskSummary of(List<TaskState> tasks) {
    int[] counts = new int[BUCKETS];
    long itemsTotal = 0;
    long itemsCompleted = 0;
    long itemsFailed = 0;
    boolean anyItems = false;
    Boolean changed = null;
    for (TaskState t : tasks) {
      counts[bucket(t.status())]++;
      if (t.items() != null) {
        anyItems = true;
        itemsTotal += t.items().total();
        itemsCompleted += t.items().completed();
        itemsFailed += t.items().failed();
      }
      if (t.changed() != null) {
        changed = (changed != null && changed) || t.changed();
      }
    }
    return new TaskSummary(
        tasks.size(),
        counts[PENDING],
        counts[RUNNING],
        counts[COMPLETED],
        counts[FAILED],
        counts[STOPPED],
        anyItems ? new TaskItems(itemsTotal, itemsCompleted, itemsFailed) : null,
        outputJson(tasks.stream().map(TaskState::output).toList()),
        changed);
  }

  /**
   * Only the counts, from the number of tasks in each status (a store that counts rather than reads
   * the tasks); no items, output or changed.
   */
  public static TaskSummary counted(Map<TaskStatus, Integer> tasksByStatus) {
    int[] counts = new int[BUCKETS];
    int total = 0;
    for (Map.Entry<TaskStatus, Integer> e : tasksByStatus.entrySet()) {
      counts[bucket(e.getKey())] += e.getValue();
      total += e.getValue();
    }
    return new TaskSummary(
        total,
        counts[PENDING],
        counts[RUNNING],
        counts[COMPLETED],
        counts[FAILED],
        counts[STOPPED],
        null,
        null,
        null);
  }

  /**
   * The run's output from its tasks' outputs by index (null: the task has none): a single task's as
   * is, several as a JSON array by index, null when no task has one.
   */
  public static String outputJson(List<String> outputs) {
    if (outputs.size() == 1) {
      return outputs.get(0);
    }
    if (outputs.stream().allMatch(o -> o == null)) {
      return null;
    }
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < outputs.size(); i++) {
      b.append(i == 0 ? "" : ",").append(outputs.get(i) == null ? "null" : outputs.get(i));
    }
    return b.append(']').toString();
  }

  private static final int PENDING = 0;
  private static final int RUNNING = 1;
  private static final int COMPLETED = 2;
  private static final int FAILED = 3;
  private static final int STOPPED = 4;
  private static final int BUCKETS = 5;

  /** Which count a task of this status adds to: a timed-out task counts as failed. */
  private static int bucket(TaskStatus status) {
    return switch (status) {
      case QUEUED -> PENDING;
      case RUNNING -> RUNNING;
      case SUCCEEDED -> COMPLETED;
      case FAILED, TIMED_OUT -> FAILED;
      case STOPPED -> STOPPED;
    };
  }
}
