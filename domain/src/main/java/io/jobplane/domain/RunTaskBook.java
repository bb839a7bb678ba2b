package io.jobplane.domain;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tasks of one run by index, and which of them a {@link JobRun} changed, so the caller writes
 * only those. A saved copy lets a refused report leave the tasks as they were.
 */
final class RunTaskBook {

  private final TreeMap<Integer, TaskState> tasks = new TreeMap<>();
  private final Map<Integer, TaskState> changed = new TreeMap<>();

  /** The tasks and the changed set at one moment ({@link #restore}). */
  record Saved(Map<Integer, TaskState> tasks, Map<Integer, TaskState> changed) {}

  TaskState get(int index) {
    return tasks.get(index);
  }

  Collection<TaskState> values() {
    return tasks.values();
  }

  /** The tasks as they are now, safe to iterate while the book changes. */
  List<TaskState> list() {
    return List.copyOf(tasks.values());
  }

  List<TaskState> changed() {
    return List.copyOf(changed.values());
  }

  boolean isEmpty() {
    return tasks.isEmpty();
  }

  int size() {
    return tasks.size();
  }

  /** A task the run starts with, or one the caller inserts itself (a late joiner's). */
  void add(TaskState t) {
    tasks.put(t.index(), t);
  }

  /** Replaces the task of {@code t}'s index, remembered as changed unless it is equal. */
  TaskState put(TaskState t) {
    if (!t.equals(tasks.get(t.index()))) {
      tasks.put(t.index(), t);
      changed.put(t.index(), t);
    }
    return t;
  }

  Saved save() {
    return new Saved(new TreeMap<>(tasks), new TreeMap<>(changed));
  }

  void restore(Saved saved) {
    tasks.clear();
    tasks.putAll(saved.tasks());
    changed.clear();
    changed.putAll(saved.changed());
  }

  boolean anyOpen() {
    return tasks.values().stream().anyMatch(TaskState::isOpen);
  }

  long count(TaskStatus status) {
    return tasks.values().stream().filter(t -> t.status() == status).count();
  }

  /** The job's progress: the mean of its tasks', a succeeded task counting 100. */
  int meanProgress() {
    if (tasks.isEmpty()) {
      return 0;
    }
    long sum = 0;
    for (TaskState t : tasks.values()) {
      sum += t.status() == TaskStatus.SUCCEEDED ? 100 : (t.progress() == null ? 0 : t.progress());
    }
    return (int) (sum / tasks.size());
  }
}
