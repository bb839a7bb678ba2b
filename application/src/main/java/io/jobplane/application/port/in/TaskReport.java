package io.jobplane.application.port.in;

import io.jobplane.domain.JobId;
import java.util.Objects;

/** Who a worker report is about: the task and the epoch of the lease the worker holds. */
public record TaskReport(JobId jobId, int taskIndex, long epoch) {

  public TaskReport {
    Objects.requireNonNull(jobId, "jobId");
  }
}
