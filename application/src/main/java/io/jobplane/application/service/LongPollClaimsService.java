package io.jobplane.application.service;

import io.jobplane.application.port.in.LongPollClaimsUseCase;
import io.jobplane.application.port.in.WorkerProtocolUseCase;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.port.out.ChangeSignals;
import io.jobplane.application.port.out.QueueBackoffs;
import io.jobplane.application.security.Caller;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Parks claims that found nothing to lease and claims again for them when work lands in one of
 * their queues (docs/architecture.md, "Push wake-up of idle workers"). A parked claim costs no
 * thread and no query: it waits for a {@link ChangeSignals.Listener#workQueued} signal (the store's
 * NOTIFY), the end of a retry backoff it was told of ({@link QueueBackoffs}), its deadline or the
 * server's shutdown.
 *
 * <p><b>Who is woken.</b> A signal says that a queue gained work, not how much. Each queue has a
 * pump that claims for its parked claims one at a time, oldest first, on a small pool (never on the
 * signal's thread): it moves on to the next claim only while the last one may have left work
 * behind, that is while it got all the tasks it asked for, or when it filters by type or project
 * (the work may be somebody else's). A claim with no filter that gets fewer than it asked for
 * proves the queue empty and ends the round. So one new task costs at most two claim statements
 * (the one that gets it, and one that finds nothing more) however many workers wait, and a burst of
 * n tasks about n + 1, taken in turn by the waiting workers; the claims of one queue never compete
 * with each other for rows. A signalled round that leased nothing looks once more {@link
 * #FOLLOW_UP} later (never again after that): claims skip what other transactions hold locked, so
 * work may hide from one claim and be visible to the next.
 *
 * <p><b>Backoff</b> ({@link BackoffRechecks}): an empty claim for a parked claim signals its queues
 * again when the earliest retry backoff among them ends. <b>Missed signals</b> ({@link
 * QueueSignalLog}): work that commits between a claim's first attempt and its parking signals
 * before the claim listens, so a claim whose queues were signalled meanwhile is pumped at once.
 *
 * <p><b>Ends.</b> The deadline, a newer claim of the same worker (the older one's client gave up),
 * the worker's {@link #release} and shutdown answer an empty list ({@link ParkedClaim#end}); a
 * cancelled answer just leaves. Who may park how many is {@link ParkingRegister}'s.
 */
public final class LongPollClaimsService
    implements LongPollClaimsUseCase, ParkedClaims, AutoCloseable {

  static final int CLAIM_THREADS = 4;

  /** When a signalled round that claimed nothing looks once more. */
  static final Duration FOLLOW_UP = Duration.ofMillis(100);

  private final WorkerProtocolUseCase claims;
  private final ClaimWaitLimits limits;
  private final ScheduledExecutorService timer;
  private final ExecutorService claimers;
  private final AutoCloseable signals;

  // guarded by this
  private final Map<String, Pump> pumps = new HashMap<>();
  private final ParkingRegister parked;
  private boolean closed;

  private final QueueSignalLog signalLog = new QueueSignalLog();
  private final BackoffRechecks rechecks;

  public LongPollClaimsService(
      WorkerProtocolUseCase claims,
      QueueBackoffs backoffs,
      ChangeSignals signals,
      ClaimWaitLimits limits,
      Clock clock) {
    this.claims = Objects.requireNonNull(claims, "claims");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.parked = new ParkingRegister(limits);
    ScheduledThreadPoolExecutor deadlines =
        new ScheduledThreadPoolExecutor(1, DaemonThreads.named("jobplane-claim-timer"));
    // most claims end long before their deadline: drop a cancelled deadline at once instead of
    // keeping it queued for up to 30 s (thousands, under a steady stream of short waits)
    deadlines.setRemoveOnCancelPolicy(true);
    this.timer = deadlines;
    this.rechecks =
        new BackoffRechecks(
            Objects.requireNonNull(backoffs, "backoffs"),
            Objects.requireNonNull(clock, "clock"),
            deadlines,
            this::signal);
    this.claimers =
        Executors.newFixedThreadPool(CLAIM_THREADS, DaemonThreads.named("jobplane-claim"));
    this.signals = Objects.requireNonNull(signals, "signals").listen(new Signals());
  }

  @Override
  public CompletableFuture<List<Lease>> claim(LongPollClaim request) {
    ClaimCommand command = request.claim();
    long signalsBefore = signalLog.last();
    List<Lease> leased = claims.claim(command); // access checks and their errors, before parking
    Duration wait = min(request.maxWait(), limits.longestPark());
    if (!leased.isEmpty() || wait.isZero()) {
      return CompletableFuture.completedFuture(leased);
    }
    ParkedClaim waiter = new ParkedClaim(command, claims, rechecks::schedule);
    ParkedClaim superseded;
    synchronized (this) {
      if (closed) {
        return CompletableFuture.completedFuture(List.of());
      }
      superseded = admit(waiter);
    }
    if (superseded != null) {
      superseded.end(); // its client gave up on it or restarted; this claim takes its place
    }
    waiter.answer.whenComplete((leases, error) -> leave(waiter));
    try {
      waiter.deadline = timer.schedule(waiter::end, wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      waiter.end(); // shutting down
      return waiter.answer;
    }
    if (signalLog.signalledSince(command.queues(), signalsBefore)) {
      signal(Set.copyOf(command.queues())); // work may have landed before the claim listened
    } else {
      rechecks.schedule(command.queues(), wait);
    }
    return waiter.answer;
  }

  @Override
  public void release(Caller caller, String workerId) {
    WorkerProtocolService.requireWorker(caller);
    WorkerProtocolUseCase.requireWorkerId(workerId);
    ParkedClaim waiter;
    synchronized (this) {
      waiter = parked.of(caller.name(), workerId);
    }
    if (waiter != null) {
      waiter.end();
    }
  }

  /**
   * The oldest claim parked on the queue that may lease the job, unless a pump is claiming for it
   * now. Its claim then runs in the submit's transaction, and so sees the new job's task before
   * anyone else can: the job starts without a second transaction after the submit's commit.
   */
  @Override
  public Optional<Reservation> reserve(String queue, String type, String project) {
    synchronized (this) {
      Pump pump = closed ? null : pumps.get(queue);
      if (pump != null) {
        for (ParkedClaim waiter : pump.waiters) {
          if (waiter.mayLease(type, project) && waiter.reserve()) {
            return Optional.of(new Handoff(waiter));
          }
        }
      }
    }
    return Optional.empty();
  }

  /** A parked claim taken by a submit; see {@link ParkedClaims.Reservation}. */
  private final class Handoff implements Reservation {
    private final ParkedClaim waiter;

    Handoff(ParkedClaim waiter) {
      this.waiter = waiter;
    }

    @Override
    public List<Lease> claim() {
      return claims.claim(waiter.command);
    }

    @Override
    public void settle(List<Lease> committed) {
      if (waiter.settle(committed)) {
        signal(Set.copyOf(waiter.command.queues()));
      }
    }
  }

  @Override
  public synchronized int parkedClaims() {
    return parked.total();
  }

  /** Answers every parked claim with an empty list (claims running for one answer first). */
  @Override
  public void close() {
    List<ParkedClaim> all;
    synchronized (this) {
      closed = true;
      all = parked.all();
    }
    try {
      signals.close();
    } catch (Exception e) {
      // the signal source is going away with the process anyway
    }
    all.forEach(ParkedClaim::end);
    timer.shutdownNow();
    claimers.shutdown();
    try {
      // a claim in flight hands out its leases before the container drains
      claimers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- parking ---------------------------------------------------------------------------------

  /** Registers the waiter under the limits; returns the claim of the same worker it replaces. */
  private ParkedClaim admit(ParkedClaim waiter) {
    ParkedClaim previous = parked.admit(waiter);
    if (previous != null) {
      unpump(previous);
    }
    for (String queue : waiter.command.queues()) {
      pumps.computeIfAbsent(queue, Pump::new).waiters.add(waiter);
    }
    return previous;
  }

  /** The answer is complete (leases, empty, failed or cancelled): forget the waiter. */
  private void leave(ParkedClaim waiter) {
    ScheduledFuture<?> deadline = waiter.deadline;
    if (deadline != null) {
      deadline.cancel(false);
    }
    synchronized (this) {
      if (parked.leave(waiter)) {
        unpump(waiter);
      }
    }
  }

  /** Guarded by this. */
  private void unpump(ParkedClaim waiter) {
    for (String queue : waiter.command.queues()) {
      Pump pump = pumps.get(queue);
      if (pump != null) {
        pump.waiters.remove(waiter);
        if (pump.waiters.isEmpty() && !pump.running) {
          pumps.remove(queue);
        }
      }
    }
  }

  // ---- waking ----------------------------------------------------------------------------------

  /** Work landed in these queues (or may have): each pump with waiters claims for them in turn. */
  private void signal(Set<String> queues) {
    signal(queues, false);
  }

  /**
   * {@code followUp}: the second look after a round that claimed nothing; a round it starts alone
   * is never followed up itself.
   */
  private void signal(Set<String> queues, boolean followUp) {
    signalLog.signalled(queues);
    List<Pump> start = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      for (String queue : queues) {
        Pump pump = pumps.get(queue);
        if (pump == null || pump.waiters.isEmpty()) {
          continue;
        }
        pump.dirty = true;
        pump.signalled |= !followUp;
        if (!pump.running) {
          pump.running = true;
          start.add(pump);
        }
      }
    }
    for (Pump pump : start) {
      try {
        claimers.execute(pump::run);
      } catch (RejectedExecutionException e) {
        synchronized (this) {
          pump.running = false; // shutting down: close() answers the waiters
        }
      }
    }
  }

  private synchronized Set<String> queuesWithParkedClaims() {
    return Set.copyOf(pumps.keySet());
  }

  /** The parked claims of one queue and whether a round of claims for them is due or running. */
  private final class Pump {
    final String queue;
    final LinkedHashSet<ParkedClaim> waiters =
        new LinkedHashSet<>(); // oldest first; guarded by the service
    boolean dirty; // guarded by the service
    boolean signalled; // a store signal, not only a follow-up, is due; guarded by the service
    boolean running; // guarded by the service

    Pump(String queue) {
      this.queue = queue;
    }

    /** Rounds of claims, oldest waiter first, until no signal came during the last round. */
    void run() {
      while (true) {
        List<ParkedClaim> round;
        boolean fromStore;
        synchronized (LongPollClaimsService.this) {
          if (!dirty || closed) {
            running = false;
            if (waiters.isEmpty() && pumps.get(queue) == this) {
              pumps.remove(queue);
            }
            return;
          }
          dirty = false;
          fromStore = signalled;
          signalled = false;
          round = List.copyOf(waiters);
        }
        boolean leased = false;
        // with a filtered waiter in the round, an empty claim of another proves nothing for it
        boolean anyFiltered = round.stream().anyMatch(w -> w.filtered);
        for (ParkedClaim w : round) {
          ParkedClaim.Outcome outcome = w.claimAgain();
          leased |= outcome == ParkedClaim.Outcome.FULL || outcome == ParkedClaim.Outcome.PARTIAL;
          boolean mayHaveLeftWork =
              outcome == ParkedClaim.Outcome.FULL
                  || outcome == ParkedClaim.Outcome.SKIPPED
                  || anyFiltered;
          if (!mayHaveLeftWork) {
            break;
          }
        }
        if (!leased && fromStore && !round.isEmpty()) {
          followUp();
        }
      }
    }

    /**
     * A signalled round that claimed nothing looks once more a little later: a claim skips rows and
     * jobs that other transactions hold (FOR UPDATE SKIP LOCKED), so a task another claim was busy
     * next to may still be waiting, and nothing would signal it again.
     */
    private void followUp() {
      try {
        timer.schedule(
            () -> signal(Set.of(queue), true), FOLLOW_UP.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        // shutting down
      }
    }
  }

  /** Listens on the store's signals; never blocks the signal thread. */
  private final class Signals implements ChangeSignals.Listener {
    @Override
    public void workQueued(Set<String> queues) {
      signal(queues);
    }

    @Override
    public void resync() {
      signalLog.resynced();
      signal(queuesWithParkedClaims());
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
