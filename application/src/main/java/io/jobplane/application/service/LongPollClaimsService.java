package io.jobplane.application.service;

import io.jobplane.application.port.in.LongPollClaimsUseCase;
import io.jobplane.application.port.in.WorkerProtocolUseCase;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.port.out.ChangeSignals;
import io.jobplane.application.port.out.QueueBackoffs;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

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
 * <p><b>Backoff.</b> A retried task becomes claimable when its backoff ends, which nothing signals.
 * Whenever a claim for a parked claim comes back empty, the earliest backoff end of its queues is
 * read (one indexed query) and the queues are signalled at that moment, if it comes before the
 * deadline.
 *
 * <p><b>Missed signals.</b> Work that commits between a claim's first attempt and its parking
 * signals before the claim listens; every signal therefore advances a counter, and a claim that
 * sees it moved while it was being parked is pumped at once.
 *
 * <p><b>Ends.</b> The deadline, a newer claim of the same worker (the older one's client gave up),
 * the worker's {@link #release} and shutdown answer an empty list; a cancelled answer just leaves.
 * A claim is never answered empty while a claim for it runs: the running one answers, so no lease
 * is handed to an answer that was already sent.
 */
public final class LongPollClaimsService implements LongPollClaimsUseCase, AutoCloseable {

  static final int CLAIM_THREADS = 4;
  private static final int SIGNAL_BUCKETS = 1024;

  /** A backoff re-check comes this much after the backoff's end, never a hair before it. */
  private static final Duration RECHECK_SLACK = Duration.ofMillis(5);

  /** When a signalled round that claimed nothing looks once more. */
  static final Duration FOLLOW_UP = Duration.ofMillis(100);

  private static final System.Logger log = System.getLogger(LongPollClaimsService.class.getName());

  private final WorkerProtocolUseCase claims;
  private final QueueBackoffs backoffs;
  private final ClaimWaitLimits limits;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final ExecutorService claimers;
  private final AutoCloseable signals;

  // guarded by this
  private final Map<String, Pump> pumps = new HashMap<>();
  private final Map<String, Integer> perCaller = new HashMap<>();
  private final Map<String, Waiter> byWorker = new HashMap<>();
  private final Map<String, Instant> rechecks = new HashMap<>();
  private int total;
  private boolean closed;

  /**
   * Signals numbered in order, and the number of the last one per bucket of queue names (and of the
   * last resync), so that a claim can tell whether its queues were signalled while it was being
   * parked. Buckets keep this bounded whatever the queue names; two queues sharing one only cost an
   * extra claim.
   */
  private final AtomicLong signalCount = new AtomicLong();

  private final AtomicLongArray lastSignal = new AtomicLongArray(SIGNAL_BUCKETS);
  private final AtomicLong lastResync = new AtomicLong();

  public LongPollClaimsService(
      WorkerProtocolUseCase claims,
      QueueBackoffs backoffs,
      ChangeSignals signals,
      ClaimWaitLimits limits,
      Clock clock) {
    this.claims = Objects.requireNonNull(claims, "claims");
    this.backoffs = Objects.requireNonNull(backoffs, "backoffs");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
    ScheduledThreadPoolExecutor deadlines =
        new ScheduledThreadPoolExecutor(1, threads("jobplane-claim-timer"));
    // most claims end long before their deadline: drop a cancelled deadline at once instead of
    // keeping it queued for up to 30 s (thousands, under a steady stream of short waits)
    deadlines.setRemoveOnCancelPolicy(true);
    this.timer = deadlines;
    this.claimers = Executors.newFixedThreadPool(CLAIM_THREADS, threads("jobplane-claim"));
    this.signals = Objects.requireNonNull(signals, "signals").listen(new Signals());
  }

  @Override
  public CompletableFuture<List<Lease>> claim(LongPollClaim request) {
    ClaimCommand command = request.claim();
    long signalsBefore = signalCount.get();
    List<Lease> leased = claims.claim(command); // access checks and their errors, before parking
    Duration wait = min(request.maxWait(), limits.longestPark());
    if (!leased.isEmpty() || wait.isZero()) {
      return CompletableFuture.completedFuture(leased);
    }
    Waiter waiter = new Waiter(command);
    Waiter superseded;
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
    if (signalledSince(command.queues(), signalsBefore)) {
      signal(Set.copyOf(command.queues())); // work may have landed before the claim listened
    } else {
      scheduleRecheck(command.queues(), wait);
    }
    return waiter.answer;
  }

  @Override
  public void release(Caller caller, String workerId) {
    WorkerProtocolService.requireWorker(caller);
    WorkerProtocolUseCase.requireWorkerId(workerId);
    Waiter waiter;
    synchronized (this) {
      waiter = byWorker.get(workerKey(caller.name(), workerId));
    }
    if (waiter != null) {
      waiter.end();
    }
  }

  /** A worker id is unique per token: two tokens may not end each other's claims. */
  private static String workerKey(String callerName, String workerId) {
    return callerName + "\u0000" + workerId;
  }

  @Override
  public synchronized int parkedClaims() {
    return total;
  }

  /** Answers every parked claim with an empty list (claims running for one answer first). */
  @Override
  public void close() {
    List<Waiter> parked;
    synchronized (this) {
      closed = true;
      parked = new ArrayList<>(byWorker.values());
    }
    try {
      signals.close();
    } catch (Exception e) {
      // the signal source is going away with the process anyway
    }
    parked.forEach(Waiter::end);
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
  private Waiter admit(Waiter waiter) {
    Waiter previous = byWorker.get(waiter.workerKey);
    int mine = perCaller.getOrDefault(waiter.callerName, 0) - (previous == null ? 0 : 1);
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
      remove(previous); // counted as gone at once, so the limits hold while it is answered
    }
    byWorker.put(waiter.workerKey, waiter);
    perCaller.merge(waiter.callerName, 1, Integer::sum);
    total++;
    for (String queue : waiter.command.queues()) {
      pumps.computeIfAbsent(queue, Pump::new).waiters.add(waiter);
    }
    return previous;
  }

  /** The answer is complete (leases, empty, failed or cancelled): forget the waiter. */
  private void leave(Waiter waiter) {
    ScheduledFuture<?> deadline = waiter.deadline;
    if (deadline != null) {
      deadline.cancel(false);
    }
    synchronized (this) {
      if (byWorker.get(waiter.workerKey) == waiter) {
        remove(waiter);
      }
    }
  }

  /** Guarded by this. */
  private void remove(Waiter waiter) {
    byWorker.remove(waiter.workerKey);
    perCaller.computeIfPresent(waiter.callerName, (k, n) -> n <= 1 ? null : n - 1);
    total--;
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

  private static int bucket(String queue) {
    return Math.floorMod(queue.hashCode(), SIGNAL_BUCKETS);
  }

  private boolean signalledSince(List<String> queues, long since) {
    if (lastResync.get() > since) {
      return true;
    }
    for (String queue : queues) {
      if (lastSignal.get(bucket(queue)) > since) {
        return true;
      }
    }
    return false;
  }

  /** Work landed in these queues (or may have): each pump with waiters claims for them in turn. */
  private void signal(Set<String> queues) {
    signal(queues, false);
  }

  /**
   * {@code followUp}: the second look after a round that claimed nothing; a round it starts alone
   * is never followed up itself.
   */
  private void signal(Set<String> queues, boolean followUp) {
    long number = signalCount.incrementAndGet();
    for (String queue : queues) {
      lastSignal.accumulateAndGet(bucket(queue), number, Math::max);
    }
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

  private synchronized Set<String> queuesWithWaiters() {
    return Set.copyOf(pumps.keySet());
  }

  /**
   * After an empty claim: signal its queues when the earliest retry backoff among them ends, if
   * that comes within {@code horizon}. One timer per queue and instant; an earlier one replaces
   * nothing, it simply fires first.
   */
  private void scheduleRecheck(List<String> queues, Duration horizon) {
    Instant now = clock.instant();
    Optional<Instant> next;
    try {
      next = backoffs.nextRetry(queues, now);
    } catch (RuntimeException e) {
      log.log(System.Logger.Level.DEBUG, "Cannot read retry backoffs: {0}", e.toString());
      return; // the deadline still answers; the next claim reads again
    }
    if (next.isEmpty()) {
      return;
    }
    Instant at = next.get();
    Duration delay = Duration.between(now, at).plus(RECHECK_SLACK);
    if (delay.compareTo(horizon) > 0) {
      return;
    }
    List<String> due = new ArrayList<>();
    synchronized (this) {
      for (String queue : queues) {
        Instant scheduled = rechecks.get(queue);
        if (scheduled == null || scheduled.isAfter(at) || scheduled.isBefore(now)) {
          rechecks.put(queue, at);
          due.add(queue);
        }
      }
    }
    if (due.isEmpty()) {
      return;
    }
    try {
      timer.schedule(
          () -> {
            synchronized (this) {
              due.forEach(q -> rechecks.remove(q, at));
            }
            signal(Set.copyOf(due));
          },
          Math.max(0, delay.toNanos()),
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // shutting down
    }
  }

  /** How a claim for a parked claim went. */
  private enum Outcome {
    /** Got every task it asked for: there may be more. */
    FULL,
    /** Got some, fewer than asked: the queues are empty for this claim's filter. */
    PARTIAL,
    NONE,
    /** Answered already, or a claim for it is running (which then claims once more). */
    SKIPPED
  }

  /** The parked claims of one queue and whether a round of claims for them is due or running. */
  private final class Pump {
    final String queue;
    final LinkedHashSet<Waiter> waiters =
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
        List<Waiter> round;
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
        for (Waiter w : round) {
          Outcome outcome = w.claimAgain();
          leased |= outcome == Outcome.FULL || outcome == Outcome.PARTIAL;
          boolean mayHaveLeftWork =
              outcome == Outcome.FULL || outcome == Outcome.SKIPPED || anyFiltered;
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
      lastResync.set(signalCount.incrementAndGet());
      signal(queuesWithWaiters());
    }
  }

  // ---- one parked claim ------------------------------------------------------------------------

  private final class Waiter {
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
    // guarded by this waiter
    private boolean claiming;
    private boolean again;
    private boolean ending;

    Waiter(ClaimCommand command) {
      this.command = command;
      this.callerName = command.caller().name();
      this.workerKey = workerKey(callerName, command.workerId());
      // a labelled worker may match a worker_selector (or hold a task bound to it) that others
      // do not, so an empty claim of another worker says nothing of its own
      this.filtered =
          command.types() != null
              || command.caller().projects() != null
              || !command.labels().values().isEmpty();
    }

    /**
     * Deadline, replacement or shutdown: an empty answer, after a running claim if there is one.
     */
    void end() {
      synchronized (this) {
        ending = true; // no claim starts for it any more
        if (claiming) {
          return; // the running claim answers, with its leases or empty
        }
      }
      answer.complete(List.of());
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
          if (!answer.complete(leases)) {
            log.log(
                System.Logger.Level.WARNING,
                "Leased {0} task(s) to worker {1}, whose claim had gone; they are claimable again"
                    + " when their leases expire",
                leases.size(),
                command.workerId());
          }
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
        scheduleRecheck(command.queues(), Duration.ofNanos(left));
      }
      return Outcome.NONE;
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static ThreadFactory threads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
