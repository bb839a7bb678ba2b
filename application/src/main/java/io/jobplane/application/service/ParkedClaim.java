package io.jobplane.application.service;

import io.jobplane.application.port.in.WorkerProtocolUseCase;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One claim parked by {@link LongPollClaimsService}: its answer, its deadline, and the claims made
 * again for it when its queues are signalled. It is never answered empty while a claim for it runs:
 * the running one answers, so no lease is handed to an answer that was already sent.
 */
final class ParkedClaim {

  private static final System.Logger log = System.getLogger(LongPollClaimsService.class.getName());

  /** How a claim for a parked claim went. */
  enum Outcome {
    /** Got every task it asked for: there may be more. */
    FULL,
    /** Got some, fewer than asked: the queues are empty for this claim's filter. */
    PARTIAL,
    NONE,
    /** Answered already, or a claim for it is running (which then claims once more). */
    SKIPPED
  }

  final ClaimCommand command;
  final String callerName;
  final String workerKey;

  /**
   * Types, projects or labels narrow (or widen) what it may claim: an empty claim of another says
   * nothing of this one, nor this one's of others.
   */
  final boolean filtered;

  final CompletableFuture<List<Lease>> answer = new CompletableFuture<>();
  volatile ScheduledFuture<?> deadline;

  private final WorkerProtocolUseCase claims;

  /**
   * After an empty claim: look again when a retry backoff of these queues ends, within the time.
   */
  private final BiConsumer<List<String>, Duration> recheck;

  // guarded by this
  private boolean claiming;
  private boolean again;
  private boolean ending;

  ParkedClaim(
      ClaimCommand command,
      WorkerProtocolUseCase claims,
      BiConsumer<List<String>, Duration> recheck) {
    this.command = command;
    this.claims = claims;
    this.recheck = recheck;
    this.callerName = command.caller().name();
    this.workerKey = workerKey(callerName, command.workerId());
    // a labelled worker may match a worker_selector (or hold a task bound to it) that others
    // do not, so an empty claim of another worker says nothing of its own
    this.filtered =
        command.types() != null
            || command.caller().projects() != null
            || !command.labels().values().isEmpty();
  }

  /** A worker id is unique per token: two tokens may not end each other's claims. */
  static String workerKey(String callerName, String workerId) {
    return callerName + "\u0000" + workerId;
  }

  /** Deadline, replacement or shutdown: an empty answer, after a running claim if there is one. */
  void end() {
    synchronized (this) {
      ending = true; // no claim starts for it any more
      if (claiming) {
        return; // the running claim answers, with its leases or empty
      }
    }
    answer.complete(List.of());
  }

  /** Whether a claim for this waiter could lease a job of this type and project. */
  boolean mayLease(String type, String project) {
    Set<String> projects = command.caller().projects();
    return (command.types() == null || command.types().contains(type))
        && (projects == null || projects.contains(project));
  }

  /**
   * Takes this waiter for one claim made outside the pump (a submit's transaction, {@link
   * ParkedClaims}); false when it is answered, ending, or being claimed for. The one who took it
   * must {@link #settle} it.
   */
  synchronized boolean reserve() {
    if (ending || claiming || answer.isDone()) {
      return false;
    }
    claiming = true;
    return true;
  }

  /**
   * The reserved claim is over: its committed leases are the answer; without any, the waiter parks
   * again (answered empty if it ended meanwhile). Returns whether it is still waiting, and so
   * should have its queues looked at once more: a pump that skipped it during the reserved claim
   * did not.
   */
  boolean settle(List<Lease> committed) {
    boolean answerEmpty;
    synchronized (this) {
      claiming = false;
      again = false;
      answerEmpty = committed.isEmpty() && (ending || answer.isDone());
    }
    if (!committed.isEmpty()) {
      deliver(committed);
      return false;
    }
    if (answerEmpty) {
      answer.complete(List.of());
      return false;
    }
    return true;
  }

  private void deliver(List<Lease> leases) {
    if (!answer.complete(leases)) {
      log.log(
          System.Logger.Level.WARNING,
          "Leased {0} task(s) to worker {1}, whose claim had gone; they are claimable again"
              + " when their leases expire",
          leases.size(),
          command.workerId());
    }
  }

  /** Claims for this waiter on the pump's thread; answers when that leases something. */
  Outcome claimAgain() {
    synchronized (this) {
      if (ending || answer.isDone()) {
        return Outcome.SKIPPED;
      }
      if (claiming) {
        again = true; // the claim running now may have started before this work committed
        return Outcome.SKIPPED;
      }
      claiming = true;
    }
    while (true) {
      List<Lease> leases;
      try {
        leases = claims.claim(command);
      } catch (RuntimeException e) {
        synchronized (this) {
          claiming = false;
        }
        answer.completeExceptionally(e);
        return Outcome.SKIPPED;
      }
      if (!leases.isEmpty()) {
        synchronized (this) {
          claiming = false;
        }
        deliver(leases);
        return leases.size() >= command.maxTasks() ? Outcome.FULL : Outcome.PARTIAL;
      }
      boolean answerEmpty;
      boolean rerun;
      synchronized (this) {
        answerEmpty = ending || answer.isDone();
        rerun = !answerEmpty && again;
        again = false;
        if (!rerun) {
          claiming = false;
        }
      }
      if (answerEmpty) {
        answer.complete(List.of());
        return Outcome.NONE;
      }
      if (!rerun) {
        break;
      }
    }
    ScheduledFuture<?> d = deadline;
    long left = d == null ? 0 : d.getDelay(TimeUnit.NANOSECONDS);
    if (left > 0) {
      recheck.accept(command.queues(), Duration.ofNanos(left));
    }
    return Outcome.NONE;
  }
}
