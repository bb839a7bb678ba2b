package io.jobplane.application.service;

import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.SubmitJobUseCase.Submitted;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobSnapshot;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The hand-off of {@link SubmitJobService}: a job for a queue on which a worker's claim is parked
 * is stored, and claimed for by that claim, in one transaction, so it starts without waiting for
 * its commit to wake the claim and for the claim's own transaction (docs/architecture.md, "Push
 * wake-up of idle workers"). The claim is the worker's own, with its filters and limits, so it may
 * lease an older task instead, or none. A claim that fails rolls the transaction back and the
 * caller stores the job as if no claim were parked.
 */
final class SubmitHandOff {

  private final ParkedClaims parked;
  private final TransactionRunner tx;

  SubmitHandOff(ParkedClaims parked, TransactionRunner tx) {
    this.parked = parked;
    this.tx = tx;
  }

  /**
   * Stores the job with {@code create} and claims for a parked claim in the same transaction; empty
   * when no claim is parked for it, or when the claim failed and nothing was stored.
   */
  Optional<Submitted> store(
      SubmitJobCommand command, Function<SubmitJobCommand, JobSnapshot> create) {
    JobDefinition d = command.definition();
    Optional<ParkedClaims.Reservation> reserved = parked.reserve(d.queue(), d.type(), d.project());
    if (reserved.isEmpty()) {
      return Optional.empty();
    }
    ParkedClaims.Reservation claim = reserved.get();
    List<Lease> committed = List.of();
    try {
      HandedOff done =
          tx.inTransaction(
              () -> {
                JobSnapshot stored = create.apply(command);
                try {
                  return new HandedOff(stored, claim.claim());
                } catch (RuntimeException e) {
                  throw new ClaimFailed(e);
                }
              });
      committed = done.leases();
      return Optional.of(new Submitted(done.current(), true));
    } catch (ClaimFailed e) {
      return Optional.empty();
    } finally {
      claim.settle(committed); // before a fallback stores the job, so the claim is parked again
    }
  }

  /** The stored job and what the parked claim leased with it. */
  private record HandedOff(JobSnapshot stored, List<Lease> leases) {
    /** The job as the answer shows it: started, when the claim leased it. */
    JobSnapshot current() {
      return leases.stream()
          .map(Lease::job)
          .filter(j -> j != null && j.id().equals(stored.id()))
          .findFirst()
          .orElse(stored);
    }
  }

  /** A parked claim's failure, which must not fail the submit it ran in. */
  private static final class ClaimFailed extends RuntimeException {
    ClaimFailed(RuntimeException cause) {
      super(cause);
    }
  }
}
