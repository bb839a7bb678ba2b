package io.jobplane.application.testing;

import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.JobViewReader;
import io.jobplane.application.port.out.TaskRepository;
import io.jobplane.application.port.out.TelemetryRepository;
import io.jobplane.application.port.out.WorkerPresence;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.telemetry.ProgressSample;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The reference {@link JobViewReader}: the same answer from the separate reads of the other ports,
 * as the port's contract states it. Over the in-memory fakes it is the fake; over the PostgreSQL
 * ports it is what the one-statement read is checked against.
 */
public final class SeparateReadsJobViewReader implements JobViewReader {

  private final JobRepository jobs;
  private final TaskRepository tasks;
  private final WorkerPresence presence;
  private final TelemetryRepository telemetry;

  public SeparateReadsJobViewReader(
      JobRepository jobs,
      TaskRepository tasks,
      WorkerPresence presence,
      TelemetryRepository telemetry) {
    this.jobs = jobs;
    this.tasks = tasks;
    this.presence = presence;
    this.telemetry = telemetry;
  }

  @Override
  public Optional<JobWithRun> read(JobId id, int samplesPerTask, Instant activeSince) {
    return jobs.findById(id).map(job -> withRun(job, samplesPerTask, activeSince));
  }

  private JobWithRun withRun(JobSnapshot job, int samplesPerTask, Instant activeSince) {
    if (job.status().isTerminal()) {
      return new JobWithRun(job, tasks.forRun(job.id(), job.runId()), List.of(), 0);
    }
    List<ProgressSample> progress =
        telemetry.progress(List.of(job.id()), samplesPerTask).getOrDefault(job.id(), List.of());
    return new JobWithRun(
        job,
        tasks.forRun(job.id(), job.runId()),
        progress,
        presence.activeWorkers(job.definition().queue(), activeSince));
  }
}
