package io.jobplane.application.security;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;

/**
 * Who may read and change which jobs. A job in a project the caller cannot see is reported as
 * missing, so its existence does not leak; a visible job the caller may not change is forbidden.
 */
public final class AccessPolicy {

  private AccessPolicy() {}

  public static void requireRead(Caller caller) {
    if (!caller.canRead()) {
      throw new DomainException(
          DomainException.Reason.FORBIDDEN, "token '" + caller.name() + "' may not read jobs");
    }
  }

  public static void requireWrite(Caller caller) {
    if (!caller.canWrite()) {
      throw new DomainException(
          DomainException.Reason.FORBIDDEN, "token '" + caller.name() + "' may not change jobs");
    }
  }

  public static void requireSubmitTo(Caller caller, String project) {
    requireWrite(caller);
    if (!caller.sees(project)) {
      throw new DomainException(
          DomainException.Reason.FORBIDDEN,
          "token '" + caller.name() + "' may not submit jobs to project '" + project + "'");
    }
  }

  public static JobSnapshot visible(Caller caller, JobSnapshot job) {
    if (job == null || !caller.sees(job.definition().project())) {
      // the same problem for both: naming the id only when the job exists would tell that it does
      throw notFound(null);
    }
    return job;
  }

  public static DomainException notFound(JobId id) {
    return DomainException.notFound("job " + (id == null ? "" : id + " ") + "not found");
  }
}
