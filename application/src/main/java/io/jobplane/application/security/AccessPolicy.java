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

  /**
   * The figures on /metrics add up every project (job counts by status): they are for a metrics
   * token (a scraper's, which reads no job) and for callers who may read every project anyway. A
   * token limited to some projects would learn about the others.
   */
  public static void requireMetrics(Caller caller) {
    if (caller.run() == null
        && (caller.has(Role.METRICS) || (caller.canRead() && caller.projects() == null))) {
      return;
    }
    throw new DomainException(
        DomainException.Reason.FORBIDDEN,
        "token '"
            + caller.name()
            + "' may not read /metrics: its figures cover every project (role metrics, or a"
            + " reader of every project, needed)");
  }

  /** Issuing, listing and revoking API tokens: admin only, since a token can carry any role. */
  public static void requireAdmin(Caller caller) {
    if (caller.run() != null || !caller.has(Role.ADMIN)) {
      throw new DomainException(
          DomainException.Reason.FORBIDDEN, "token '" + caller.name() + "' may not manage tokens");
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
