package io.jobplane.application.port.in;

import io.jobplane.domain.JobId;
import java.util.Objects;

/**
 * Who a worker report is about: the task, and the epoch and token of the lease the worker holds
 * ({@code leaseToken} is null for a Kubernetes run credential, which proves its run instead).
 */
public record TaskReport(JobId jobId, int taskIndex, long epoch, String leaseToken) {

  public TaskReport {
    Objects.requireNonNull(jobId, "jobId");
  }
}
