package io.jobplane.application.service;

import io.jobplane.application.port.in.RunCredentialsUseCase;
import io.jobplane.application.port.out.JobCredentials;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.domain.Sha256;
import java.util.Optional;
import java.util.Set;

/**
 * A run credential authenticates as a worker of the job's project, scoped to that one run, so it
 * can report telemetry for its own job and reads or claims nothing.
 */
public final class RunCredentialsService implements RunCredentialsUseCase {

  static final String PREFIX = "jpr_";

  private final JobCredentials credentials;
  private final JobRepository jobs;
  private final TransactionRunner tx;

  public RunCredentialsService(
      JobCredentials credentials, JobRepository jobs, TransactionRunner tx) {
    this.credentials = credentials;
    this.jobs = jobs;
    this.tx = tx;
  }

  @Override
  public Optional<Caller> authenticate(String token) {
    if (token == null || !token.startsWith(PREFIX)) {
      return Optional.empty(); // not one of ours: skip the lookup
    }
    byte[] hash = Sha256.of(token);
    return tx.inTransaction(
        () ->
            credentials
                .find(hash)
                .flatMap(
                    c ->
                        jobs.findById(c.jobId())
                            .map(
                                job ->
                                    new Caller(
                                        "run:" + c.jobId() + "/" + c.runId(),
                                        Set.of(Role.WORKER),
                                        Set.of(job.definition().project()),
                                        new Caller.RunScope(c.jobId(), c.runId())))));
  }
}
