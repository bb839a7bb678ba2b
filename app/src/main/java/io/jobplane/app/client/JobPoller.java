package io.jobplane.app.client;

import io.jobplane.client.ApiException;
import io.jobplane.client.api.JobsApi;
import io.jobplane.client.model.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Reads a job until a condition holds or a deadline passes. Reading every half second keeps the
 * client simple and its load small (one indexed read); a finished job ends the wait whatever the
 * condition, since nothing changes it any more without a restart.
 */
final class JobPoller {

  private static final Duration INTERVAL = Duration.ofMillis(500);

  private final JobsApi jobs;

  JobPoller(JobsApi jobs) {
    this.jobs = jobs;
  }

  /** The job once {@code until} holds or it finished; null when the deadline passed first. */
  Job poll(UUID id, Predicate<Job> until, Instant deadline, Consumer<Job> onRead)
      throws ApiException, InterruptedException {
    while (true) {
      Job job = jobs.getJob(id, null);
      onRead.accept(job);
      if (until.test(job) || JobOutcome.isFinished(job)) {
        return job;
      }
      if (deadline != null && !Instant.now().plus(INTERVAL).isBefore(deadline)) {
        return null;
      }
      Thread.sleep(INTERVAL.toMillis());
    }
  }
}
