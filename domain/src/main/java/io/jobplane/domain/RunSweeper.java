package io.jobplane.domain;

import java.time.Instant;

/**
 * What time alone decides about a run: the job's timeout, overdue graceful stops (forced) and
 * expired leases (retried with backoff, or failed when attempts are used up).
 */
record RunSweeper(Job job, RunTaskBook tasks, RunSettlement settlement) {

  JobRun.Swept sweep(double random, Instant now) {
    if (timeoutPassed(now)) {
      return new JobRun.Swept(0, timeOut(now), 0);
    }
    int forced = 0;
    int expired = 0;
    int maxAttempts = job.snapshot().definition().maxAttempts();
    for (TaskState t : tasks.list()) {
      if (t.status() != TaskStatus.RUNNING) {
        continue;
      }
      if (t.stopDeadline() != null && !t.stopDeadline().isAfter(now)) {
        tasks.put(t.forceStop(now));
        forced++;
      } else if (!t.leaseExpiresAt().isAfter(now)) {
        TaskState after =
            job.status() == JobStatus.STOPPING
                ? t.forceStop(now)
                : t.expire(maxAttempts, random, now);
        tasks.put(after);
        expired++;
        settlement.afterFailure(t, after, now);
      }
    }
    settlement.settle(now, "system");
    return new JobRun.Swept(expired, 0, forced);
  }

  private boolean timeoutPassed(Instant now) {
    JobSnapshot s = job.snapshot();
    Integer timeout = s.definition().timeoutSeconds();
    return job.status().isActive()
        && timeout != null
        && s.startedAt() != null
        && !s.startedAt().plusSeconds(timeout).isAfter(now);
  }

  /** Times the job out and every task still open with it; returns how many tasks. */
  private int timeOut(Instant now) {
    job.timeOut(now, "system");
    JobError error = job.snapshot().error();
    int timedOut = 0;
    for (TaskState t : tasks.list()) {
      if (t.isOpen()) {
        tasks.put(t.timeOut(error, now));
        timedOut++;
      }
    }
    return timedOut;
  }
}
