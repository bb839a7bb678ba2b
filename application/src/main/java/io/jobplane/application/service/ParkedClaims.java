package io.jobplane.application.service;

import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import java.util.List;
import java.util.Optional;

/**
 * Workers' claims parked for work, which a submit may claim for inside its own transaction (the
 * hand-off, docs/architecture.md "Push wake-up of idle workers"): the new job is then leased in the
 * transaction that stores it, instead of after its commit by a second transaction of the woken
 * claim.
 */
public interface ParkedClaims {

  /** No claims park here: every submit is stored alone or in a group commit. */
  ParkedClaims NONE = (queue, type, project) -> Optional.empty();

  /**
   * Takes the oldest claim parked on the queue that may lease a job of this type and project, for
   * one claim made by the caller; empty when none is parked or each one is being claimed for.
   */
  Optional<Reservation> reserve(String queue, String type, String project);

  /** One parked claim, taken for a claim made inside the caller's transaction. */
  interface Reservation {

    /**
     * The parked claim's own claim (its worker, filters and limits), in the caller's transaction.
     */
    List<Lease> claim();

    /**
     * Hands the claim back, once the caller's transaction has ended: with the leases it committed
     * (the worker's answer), or with none when it leased nothing or rolled back (the claim parks
     * again and its queues are looked at once more). Called exactly once.
     */
    void settle(List<Lease> committed);
  }
}
