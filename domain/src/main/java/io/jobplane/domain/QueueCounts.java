package io.jobplane.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * What the store counts for one queue of one project, for the queues overview: the unfinished jobs
 * in it and the workers that poll it. {@link QueueSummary#of} turns it into reasons.
 *
 * @param project the jobs' project
 * @param queue the queue's name (queue names are shared across projects, as workers poll them)
 * @param waiting the jobs that wait in the queue
 * @param running jobs RUNNING or STOPPING
 * @param activeWorkers workers that polled the queue within {@link QueueWait#ACTIVE_WINDOW}
 */
public record QueueCounts(
    String project, String queue, WaitingJobs waiting, long running, int activeWorkers) {

  /**
   * @param queued jobs QUEUED
   * @param inBackoff of those, jobs with a queued retry whose backoff has not ended
   * @param suspended jobs SUSPENDED (kept out of the queue until resumed)
   * @param oldestQueuedAt when the longest-waiting QUEUED job was queued; null when none is
   */
  public record WaitingJobs(long queued, long inBackoff, long suspended, Instant oldestQueuedAt) {
    public WaitingJobs {
      if (queued < 0 || inBackoff < 0 || suspended < 0) {
        throw new IllegalArgumentException("counts must not be negative");
      }
    }
  }

  public QueueCounts {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(waiting, "waiting");
    if (running < 0 || activeWorkers < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
  }
}
