package io.jobplane.application.service;

import io.jobplane.application.port.in.WorkerProtocolUseCase.JobView;
import io.jobplane.application.port.out.JobDependencyStore;
import io.jobplane.application.port.out.JobViewReader;
import io.jobplane.application.port.out.JobViewReader.JobWithRun;
import io.jobplane.application.port.out.ProjectLimitsStore;
import io.jobplane.application.port.out.QueuePositions;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.port.out.WorkerPresence;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.DesiredState;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.ProjectLimits;
import io.jobplane.domain.QueueWait;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.TaskStatus;
import io.jobplane.domain.WorkerPlacement;
import io.jobplane.domain.telemetry.EtaEstimator;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A job as a worker or user sees it through {@link WorkerProtocolService}: its run's tasks, its ETA
 * and why it still waits. Reading a job is one statement ({@link JobViewReader}); only a run with a
 * queued task adds one more, for its position in the queue.
 */
final class JobWaits {

  private final JobViewReader views;
  private final QueuePositions positions;
  private final WorkerPresence presence;
  private final JobDependencyStore dependencies;
  private final ProjectLimitsStore limits;
  private final TransactionRunner tx;
  private final Clock clock;

  /** Reads its collaborators from a validated builder, once. */
  JobWaits(WorkerProtocolService.Builder b) {
    this.views = b.views;
    this.positions = b.positions;
    this.presence = b.presence;
    this.dependencies = b.dependencies;
    this.limits = b.limits;
    this.tx = b.tx;
    this.clock = b.clock;
  }

  List<TaskState> tasks(Caller caller, JobId jobId) {
    return read(caller, jobId, Clocks.now(clock)).tasks();
  }

  Optional<QueueWait> waiting(Caller caller, JobId jobId) {
    Instant now = Clocks.now(clock);
    return waiting(read(caller, jobId, now), now);
  }

  JobView view(Caller caller, JobId jobId) {
    Instant now = Clocks.now(clock);
    JobWithRun read = read(caller, jobId, now);
    JobSnapshot job = read.job();
    Long eta =
        job.status().isTerminal() ? null : EtaEstimator.estimateSecondsRemaining(read.progress());
    return new JobView(job, read.tasks(), waiting(read, now), eta);
  }

  /**
   * The job, its run's tasks and, while unfinished, its progress samples and its queue's active
   * workers, in one statement; a job the caller may not see is NOT_FOUND before anything is used.
   */
  private JobWithRun read(Caller caller, JobId jobId, Instant now) {
    AccessPolicy.requireRead(caller);
    JobWithRun read =
        views.read(jobId, EtaEstimator.WINDOW, now.minus(QueueWait.ACTIVE_WINDOW)).orElse(null);
    AccessPolicy.visible(caller, read == null ? null : read.job());
    return read;
  }

  private Optional<QueueWait> waiting(JobWithRun read, Instant now) {
    JobSnapshot job = read.job();
    if (job.status() == JobStatus.SUSPENDED) {
      return Optional.of(QueueWait.suspended(read.activeWorkers()));
    }
    if (job.status() == JobStatus.PENDING) {
      return dependencies
          .standing(job.id())
          .map(s -> QueueWait.dependencies(s.waitingFor(), read.activeWorkers()));
    }
    if (!(job.status() == JobStatus.QUEUED || job.status() == JobStatus.RUNNING)
        || job.desiredState() != DesiredState.RUNNING) {
      return Optional.empty();
    }
    if (job.definition().runtime() == JobRuntime.KUBERNETES) {
      // no tasks: a queued Kubernetes job waits only for the operator's admission (its limits)
      return job.status() == JobStatus.QUEUED
          ? heldByLimit(job)
              .map(
                  use ->
                      QueueWait.concurrencyLimit(
                          job.definition().project(), use, 0, read.activeWorkers()))
          : Optional.empty();
    }
    Instant earliest =
        read.tasks().stream()
            .filter(t -> t.status() == TaskStatus.QUEUED)
            .map(TaskState::availableAt)
            .min(Comparator.naturalOrder())
            .orElse(null);
    if (earliest == null) {
      return Optional.empty(); // nothing of this run waits in the queue
    }
    // the one read a GET adds: the queue position depends on other jobs' tasks; bounded, past
    // the cap the position is reported as a lower bound
    long ahead = positions.tasksAhead(job.id(), job.runId(), now, QueueWait.POSITION_CAP);
    QueueWait wait =
        QueueWait.decide(job.definition().queue(), ahead, read.activeWorkers(), earliest, now);
    WorkerPlacement placement = job.definition().placement();
    if (placement != null && placement.workerSelector() != null && read.activeWorkers() > 0) {
      // a job placed by a selector adds one read: is any active worker of the queue a match?
      int matching =
          presence
              .liveWorkers(
                  job.definition().queue(),
                  job.definition().project(),
                  job.definition().type(),
                  placement.selector(),
                  now.minus(QueueWait.ACTIVE_WINDOW),
                  1)
              .size();
      QueueWait targeted = QueueWait.forSelector(wait, placement.workerSelector(), matching);
      if (targeted.reason() == QueueWait.Reason.NO_MATCHING_WORKER) {
        return Optional.of(targeted); // nothing will claim it, whatever its limits
      }
    }
    if (job.status() != JobStatus.QUEUED || wait.reason() == QueueWait.Reason.NO_WORKER) {
      // a running job's further tasks are never held by a limit; no worker is the first problem
      return Optional.of(wait);
    }
    return Optional.of(
        heldByLimit(job)
            .map(
                use ->
                    QueueWait.concurrencyLimit(
                        job.definition().project(), use, ahead, read.activeWorkers()))
            .orElse(wait));
  }

  /**
   * The running limit that holds a queued job back, if its project has one and it is full (one
   * read, the limits and the counts together).
   */
  private Optional<ProjectLimits.Use> heldByLimit(JobSnapshot job) {
    return tx.inTransaction(
        () -> limits.runningLimitReached(job.definition().project(), job.definition().queue()));
  }
}
