package io.jobplane.application.service;

import io.jobplane.application.port.in.LeaseReport;
import io.jobplane.application.port.in.WorkerProtocolUseCase;
import io.jobplane.application.port.out.JobLocks;
import io.jobplane.application.port.out.JobViewReader;
import io.jobplane.application.port.out.QueuePositions;
import io.jobplane.application.port.out.SecretStore;
import io.jobplane.application.port.out.TaskClaims;
import io.jobplane.application.port.out.TelemetryRepository;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.security.SecretCipher;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.QueueWait;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.TaskState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * The worker protocol: claims ({@link TaskLeasing}), reports on leases ({@link LeaseReports}) and
 * the view of a job with why it waits ({@link JobWaits}). This class checks who may call and hands
 * each call to the collaborator that owns it.
 */
public final class WorkerProtocolService implements WorkerProtocolUseCase {

  private final TaskLeasing leasing;
  private final LeaseReports reports;
  private final JobWaits waits;

  private WorkerProtocolService(Builder b) {
    this.leasing = new TaskLeasing(b);
    this.reports = new LeaseReports(b);
    this.waits = new JobWaits(b);
  }

  /**
   * The collaborators by name. Every port is required; a server without secrets (a job that
   * references one fails at claim), without dependencies or without project limits may leave those
   * out.
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public List<Lease> claim(ClaimCommand c) {
    requireWorker(c.caller());
    return leasing.claim(c);
  }

  @Override
  public List<ReportOutcome> report(Caller caller, List<LeaseReport> batch) {
    requireWorker(caller);
    if (batch == null || batch.isEmpty() || batch.size() > MAX_REPORTS) {
      throw DomainException.invalid("reports", "must hold 1 to " + MAX_REPORTS + " reports");
    }
    return reports.report(caller, batch);
  }

  @Override
  public HeartbeatAnswer heartbeat(LeaseRef lease, Integer progress, TaskItems items) {
    requireWorker(lease.caller());
    return reports.heartbeat(lease, progress, items);
  }

  @Override
  public TaskState complete(LeaseRef lease, String outputJson, Boolean changed) {
    requireWorker(lease.caller());
    return reports.complete(lease, outputJson, changed);
  }

  @Override
  public TaskState fail(LeaseRef lease, JobError error, Integer exitCode, boolean retryable) {
    Objects.requireNonNull(error, "error");
    requireWorker(lease.caller());
    return reports.fail(lease, error, exitCode, retryable);
  }

  @Override
  public TaskState stopped(LeaseRef lease) {
    requireWorker(lease.caller());
    return reports.stopped(lease);
  }

  @Override
  public List<TaskState> tasks(Caller caller, JobId jobId) {
    return waits.tasks(caller, jobId);
  }

  @Override
  public Optional<QueueWait> waiting(Caller caller, JobId jobId) {
    return waits.waiting(caller, jobId);
  }

  @Override
  public JobView view(Caller caller, JobId jobId) {
    return waits.view(caller, jobId);
  }

  static void requireWorker(Caller caller) {
    if (caller.run() != null) {
      throw new DomainException(
          DomainException.Reason.FORBIDDEN,
          "a run credential reports telemetry for its own Kubernetes job; it cannot lease tasks");
    }
    if (!caller.has(Role.WORKER)) {
      throw new DomainException(
          DomainException.Reason.FORBIDDEN,
          "token '" + caller.name() + "' may not use the worker protocol (role worker needed)");
    }
  }

  /** Names each collaborator of a {@link WorkerProtocolService}; read once, by {@link #build}. */
  public static final class Builder extends CollaboratorsBuilder<Builder> {
    JobLocks locks;
    TaskClaims claims;
    QueuePositions positions;
    JobViewReader views;
    TelemetryRepository telemetry;
    DoubleSupplier random;
    SecretStore secrets = SecretStore.NONE;
    SecretCipher cipher;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    public Builder locks(JobLocks locks) {
      this.locks = locks;
      return this;
    }

    public Builder claims(TaskClaims claims) {
      this.claims = claims;
      return this;
    }

    public Builder positions(QueuePositions positions) {
      this.positions = positions;
      return this;
    }

    public Builder views(JobViewReader views) {
      this.views = views;
      return this;
    }

    public Builder telemetry(TelemetryRepository telemetry) {
      this.telemetry = telemetry;
      return this;
    }

    /** Draws the jitter of retry backoffs. */
    public Builder random(DoubleSupplier random) {
      this.random = random;
      return this;
    }

    /** Resolve the secret references of leased jobs' env. */
    public Builder secrets(SecretStore secrets, SecretCipher cipher) {
      this.secrets = secrets;
      this.cipher = cipher;
      return this;
    }

    public WorkerProtocolService build() {
      requireNamed();
      Objects.requireNonNull(locks, "locks");
      Objects.requireNonNull(claims, "claims");
      Objects.requireNonNull(positions, "positions");
      Objects.requireNonNull(views, "views");
      Objects.requireNonNull(telemetry, "telemetry");
      Objects.requireNonNull(random, "random");
      Objects.requireNonNull(secrets, "secrets");
      if (cipher == null) {
        // no secrets to open: any key serves, and a job that references one fails at claim
        cipher = new SecretCipher(SecretCipher.generateKey());
      }
      return new WorkerProtocolService(this);
    }
  }
}
