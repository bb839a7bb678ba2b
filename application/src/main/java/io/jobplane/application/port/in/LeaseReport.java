package io.jobplane.application.port.in;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobError;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.telemetry.MetricsSnapshot;
import io.jobplane.domain.telemetry.Telemetry;
import java.util.Objects;

/**
 * One report of a batch ({@link
 * WorkerProtocolUseCase#report(io.jobplane.application.security.Caller, java.util.List)}): the
 * lease it is about and what the worker reports, the same as the single-lease call of its kind
 * carries.
 */
public sealed interface LeaseReport {

  /** The task and the epoch of the lease the worker holds. */
  TaskReport lease();

  /**
   * The worker is alive: extends the lease. {@code progress} and {@code items} go to the task;
   * {@code progress} is also a sample for the estimate, {@code metrics} replace the task's snapshot
   * and {@code message} is appended to the job's log (stream status). All but the lease optional.
   */
  record Heartbeat(
      TaskReport lease, Integer progress, TaskItems items, MetricsSnapshot metrics, String message)
      implements LeaseReport {
    public Heartbeat {
      Objects.requireNonNull(lease, "lease");
      if (progress != null && (progress < 0 || progress > 100)) {
        throw DomainException.invalid("progress", "must be between 0 and 100");
      }
      if (message != null && !message.isBlank()) {
        message = Telemetry.boundedText(message, "message", false);
      }
    }
  }

  /** The task succeeded; {@code outputJson} is a JSON object or null. */
  record Complete(TaskReport lease, String outputJson, Boolean changed) implements LeaseReport {
    public Complete {
      Objects.requireNonNull(lease, "lease");
    }
  }

  /** The task failed; a retryable failure is queued again while attempts remain. */
  record Fail(TaskReport lease, JobError error, Integer exitCode, boolean retryable)
      implements LeaseReport {
    public Fail {
      Objects.requireNonNull(lease, "lease");
      Objects.requireNonNull(error, "error");
    }
  }

  /** The task acknowledges a stop request. */
  record Stopped(TaskReport lease) implements LeaseReport {
    public Stopped {
      Objects.requireNonNull(lease, "lease");
    }
  }
}
