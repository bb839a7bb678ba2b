package io.jobplane.application.port.out;

import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.telemetry.ProgressSample;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads what a GET of one job shows in a single statement, so the read is one round trip and sees
 * one consistent state of the job (separate reads could see the job of one run and the tasks of the
 * next). The answer equals what the separate reads of {@link JobRepository#findById}, {@link
 * TaskRepository#forRun}, {@link TelemetryRepository#progress} and {@link
 * WorkerPresence#activeWorkers} give, done one after the other without a write in between.
 */
public interface JobViewReader {

  /**
   * A job and its current run: the run's tasks by index; while the job is unfinished (its status
   * not terminal), the newest samples of each task of the run and the workers active on its queue;
   * for a finished job no samples and 0 workers (neither is read).
   */
  record JobWithRun(
      JobSnapshot job, List<TaskState> tasks, List<ProgressSample> progress, int activeWorkers) {
    public JobWithRun {
      Objects.requireNonNull(job, "job");
      tasks = List.copyOf(tasks);
      progress = List.copyOf(progress);
    }
  }

  /**
   * The job with its current run, or empty when there is no such job. {@code samplesPerTask} bounds
   * the progress samples per task (the newest ones); a worker is active when it polled the job's
   * queue at or after {@code activeSince}.
   */
  Optional<JobWithRun> read(JobId id, int samplesPerTask, Instant activeSince);
}
