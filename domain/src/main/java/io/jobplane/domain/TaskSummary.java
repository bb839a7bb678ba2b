package io.jobplane.domain;

import java.util.Comparator;
import java.util.List;

/**
 * The tasks of a job's current run, counted, with the summed item counts workers reported and the
 * run's output: a single task's output as is, several tasks' outputs as a JSON array by index.
 * {@code agents}: for a broadcast, its tasks by the name of the worker each is bound to (at most
 * {@link #MAX_AGENTS_SHOWN}; all of them are in the job's task list); empty otherwise.
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
    Boolean changed,
    List<TaskState> agents) {

  /** The most per-agent states a job answer carries. */
  public static final int MAX_AGENTS_SHOWN = 100;

  public TaskSummary {
    agents = agents == null ? List.of() : List.copyOf(agents);
  }

  public static TaskSummary of(List<TaskState> tasks) {
    int pending = 0;
    int running = 0;
    int completed = 0;
    int failed = 0;
    int stopped = 0;
    long itemsTotal = 0;
    long itemsCompleted = 0;
    long itemsFailed = 0;
    boolean anyItems = false;
    Boolean changed = null;
    for (TaskState t : tasks) {
      switch (t.status()) {
        case QUEUED -> pending++;
        case RUNNING -> running++;
        case SUCCEEDED -> completed++;
        case FAILED, TIMED_OUT -> failed++;
        case STOPPED -> stopped++;
      }
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
    String output;
    if (tasks.size() == 1) {
      output = tasks.get(0).output();
    } else if (tasks.stream().anyMatch(t -> t.output() != null)) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < tasks.size(); i++) {
        b.append(i == 0 ? "" : ",")
            .append(tasks.get(i).output() == null ? "null" : tasks.get(i).output());
      }
      output = b.append(']').toString();
    } else {
      output = null;
    }
    return new TaskSummary(
        tasks.size(),
        pending,
        running,
        completed,
        failed,
        stopped,
        anyItems ? new TaskItems(itemsTotal, itemsCompleted, itemsFailed) : null,
        output,
        changed,
        tasks.stream()
            .filter(t -> t.boundWorker() != null)
            .sorted(Comparator.comparing(TaskState::boundWorker))
            .limit(MAX_AGENTS_SHOWN)
            .toList());
  }
}
