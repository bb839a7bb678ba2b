package io.jobplane.application.port.in;

import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Claims that may wait for work (long-polling, docs/worker-protocol.md): a claim that finds nothing
 * to lease is parked until work lands in one of its queues, then claimed again, so an idle worker
 * starts a new job within milliseconds and sends nothing while it waits.
 */
public interface LongPollClaimsUseCase {

  /** The longest a claim may ask to wait. */
  int MAX_WAIT_SECONDS = 30;

  /** A claim and how long it may wait for work ({@code wait_seconds}; zero answers at once). */
  record LongPollClaim(ClaimCommand claim, Duration maxWait) {

    public LongPollClaim {
      Objects.requireNonNull(claim, "claim");
      Objects.requireNonNull(maxWait, "maxWait");
      if (maxWait.isNegative() || maxWait.compareTo(Duration.ofSeconds(MAX_WAIT_SECONDS)) > 0) {
        throw DomainException.invalid(
            "wait_seconds", "must be between 0 and " + MAX_WAIT_SECONDS + " seconds");
      }
    }

    /** {@code wait_seconds} as it comes over the wire: null means 0. */
    public static LongPollClaim waitingSeconds(ClaimCommand claim, Integer waitSeconds) {
      int seconds = waitSeconds == null ? 0 : waitSeconds;
      if (seconds < 0 || seconds > MAX_WAIT_SECONDS) {
        throw DomainException.invalid(
            "wait_seconds", "must be between 0 and " + MAX_WAIT_SECONDS + " seconds");
      }
      return new LongPollClaim(claim, Duration.ofSeconds(seconds));
    }
  }

  /**
   * Claims at once, exactly as {@link WorkerProtocolUseCase#claim} does (same access checks, same
   * errors, thrown to the caller). When that leases nothing and the claim may wait, it is parked
   * and the answer completes later: with leases as soon as a claim for it gets some, else with an
   * empty list when its wait ends or the server shuts down (the server may end a wait early, for
   * instance before its connection idle timeout). A claim that cannot be parked is refused with
   * {@code TOO_MANY_REQUESTS} (its caller holds as many parked claims as it may) or {@code
   * UNAVAILABLE} (the server holds as many as it can). Cancelling the answer (the client went away)
   * unparks it.
   */
  CompletableFuture<List<Lease>> claim(LongPollClaim claim);

  /**
   * Ends the waiting claim of the caller's worker {@code workerId}, if it has one, with an empty
   * answer (role worker). A worker that stops while its claim waits says so: the server cannot tell
   * that a client waiting for its answer went away, and work leased to that claim would sit until
   * the lease expired.
   */
  void release(Caller caller, String workerId);

  /** Claims parked now, for metrics and tests. */
  int parkedClaims();
}
