package io.jobplane.application.service;

import io.jobplane.domain.DomainException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The claims {@link LongPollClaimsService} holds parked, by worker, counted per token and in all
 * against {@link ClaimWaitLimits}. Not thread-safe: the service calls it under its own lock.
 */
final class ParkingRegister {

  private final ClaimWaitLimits limits;
  private final Map<String, Integer> perCaller = new HashMap<>();
  private final Map<String, ParkedClaim> byWorker = new HashMap<>();
  private int total;

  ParkingRegister(ClaimWaitLimits limits) {
    this.limits = limits;
  }

  /**
   * Registers the claim under the limits (TOO_MANY_REQUESTS past the token's, UNAVAILABLE past the
   * server's); returns the claim of the same worker it replaces, which is forgotten at once, so the
   * limits hold while it is answered.
   */
  ParkedClaim admit(ParkedClaim claim) {
    ParkedClaim previous = byWorker.get(claim.workerKey);
    int mine = perCaller.getOrDefault(claim.callerName, 0) - (previous == null ? 0 : 1);
    if (mine >= limits.maxParkedPerCaller()) {
      throw new DomainException(
          DomainException.Reason.TOO_MANY_REQUESTS,
          "this token already holds "
              + mine
              + " waiting claims, the most it may; retry later or claim without wait_seconds");
    }
    if (total - (previous == null ? 0 : 1) >= limits.maxParked()) {
      throw new DomainException(
          DomainException.Reason.UNAVAILABLE,
          "the server holds as many waiting claims as it serves ("
              + total
              + "); retry later or claim without wait_seconds");
    }
    if (previous != null) {
      forget(previous);
    }
    byWorker.put(claim.workerKey, claim);
    perCaller.merge(claim.callerName, 1, Integer::sum);
    total++;
    return previous;
  }

  /** Forgets the claim if it is still the one registered for its worker; true if it was. */
  boolean leave(ParkedClaim claim) {
    if (byWorker.get(claim.workerKey) != claim) {
      return false;
    }
    forget(claim);
    return true;
  }

  private void forget(ParkedClaim claim) {
    byWorker.remove(claim.workerKey);
    perCaller.computeIfPresent(claim.callerName, (k, n) -> n <= 1 ? null : n - 1);
    total--;
  }

  /** The claim parked for this worker of this token, or null. */
  ParkedClaim of(String callerName, String workerId) {
    return byWorker.get(ParkedClaim.workerKey(callerName, workerId));
  }

  int total() {
    return total;
  }

  List<ParkedClaim> all() {
    return List.copyOf(byWorker.values());
  }
}
