package io.jobplane.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The tasks of a broadcast run, each bound to one worker: how a run is laid out over its workers,
 * how a late joiner gets a task, and what happens to tasks whose worker went away.
 */
record BroadcastTasks(Job job, RunTaskBook tasks) {

  /** One task per worker (as many as the job's parallelism), task {@code i} bound to the i-th. */
  static List<TaskState> newRun(
      JobSnapshot job, long lastEpoch, Instant now, List<String> workers) {
    if (workers.size() != job.definition().parallelism()) {
      throw new IllegalArgumentException(
          "a broadcast run has one task per worker: "
              + workers.size()
              + " workers, parallelism "
              + job.definition().parallelism());
    }
    List<TaskState> created = new ArrayList<>();
    for (int i = 0; i < workers.size(); i++) {
      created.add(TaskState.boundTo(workers.get(i), job.id(), job.runId(), i, lastEpoch, now));
    }
    return created;
  }

  /** A task of its own for a worker that joins late: the next index, its epoch after lastEpoch. */
  TaskState join(String worker, long lastEpoch, Instant now) {
    if (tasks.values().stream().anyMatch(t -> worker.equals(t.boundWorker()))) {
      throw DomainException.conflict("worker " + worker + " already has a task of job " + job.id());
    }
    int index = job.snapshot().definition().parallelism();
    job.widenBroadcast(now);
    TaskState joined =
        TaskState.boundTo(worker, job.id(), job.snapshot().runId(), index, lastEpoch, now);
    tasks.add(joined);
    return joined;
  }

  /**
   * Fails the queued tasks bound to a lost worker and rejects a queued job left with no task to
   * claim; a running job is left for the caller to settle. Returns how many tasks failed.
   */
  int agentsLost(Set<String> lost, Duration notSeenFor, Instant now) {
    JobStatus status = job.status();
    if (status != JobStatus.QUEUED && status != JobStatus.RUNNING) {
      return 0;
    }
    int failed = 0;
    for (TaskState t : tasks.list()) {
      if (t.status() == TaskStatus.QUEUED
          && t.boundWorker() != null
          && lost.contains(t.boundWorker())) {
        tasks.put(t.agentLost(notSeenFor, now));
        failed++;
      }
    }
    if (failed > 0 && job.status() == JobStatus.QUEUED && !tasks.anyOpen()) {
      job.reject(
          new JobError(
              TaskState.AGENT_LOST,
              "every worker the broadcast went to went away before claiming its task"),
          now,
          "system");
    }
    return failed;
  }
}
