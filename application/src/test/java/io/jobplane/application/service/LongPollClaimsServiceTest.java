package io.jobplane.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jobplane.application.port.in.LongPollClaimsUseCase.LongPollClaim;
import io.jobplane.application.port.in.WorkerProtocolUseCase;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.port.out.QueueBackoffs;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.testing.InMemoryChangeSignals;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobId;
import io.jobplane.domain.TaskState;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Parked claims against a fake claim use case: who is woken, when, and how waiting ends. */
class LongPollClaimsServiceTest {

  private static final Caller WORKER = new Caller("fleet", Set.of(Role.WORKER), null);
  private static final Caller OTHER_TOKEN = new Caller("other", Set.of(Role.WORKER), null);
  private static final Duration LONG = Duration.ofSeconds(20);

  private final FakeClaims fake = new FakeClaims();
  private final InMemoryChangeSignals signals = new InMemoryChangeSignals();
  private final AtomicReference<Optional<Instant>> nextRetry =
      new AtomicReference<>(Optional.empty());
  private final AtomicInteger backoffReads = new AtomicInteger();
  private final QueueBackoffs backoffs =
      (queues, now) -> {
        backoffReads.incrementAndGet();
        return nextRetry.get();
      };
  private LongPollClaimsService service = service(ClaimWaitLimits.DEFAULTS);

  private LongPollClaimsService service(ClaimWaitLimits limits) {
    return new LongPollClaimsService(fake.useCase(), backoffs, signals, limits, Clock.systemUTC());
  }

  @AfterEach
  void close() {
    service.close();
  }

  // ----- fixtures
  // ---------------------------------------------------------------------------------

  /** Queued work as the fake claim sees it: a queue, a type, and when its backoff ends. */
  record Work(String queue, String type, Instant availableAt) {}

  /**
   * The claim use case, in memory: hands out queued work of the command's queues (and types), up to
   * max_tasks; counts calls. Only {@code claim} may be called: anything else fails the test.
   */
  static final class FakeClaims {
    final List<Work> queued = new ArrayList<>();
    final AtomicInteger claims = new AtomicInteger();
    volatile RuntimeException failure;
    volatile Runnable afterFirstClaim;
    private final AtomicInteger index = new AtomicInteger();

    synchronized void add(String queue, String type) {
      queued.add(new Work(queue, type, Instant.EPOCH));
    }

    synchronized void addAvailableAt(String queue, Instant at) {
      queued.add(new Work(queue, "etl", at));
    }

    List<Lease> claim(ClaimCommand c) {
      int n = claims.incrementAndGet();
      if (failure != null) {
        throw failure;
      }
      List<Lease> leases = new ArrayList<>();
      synchronized (this) {
        Instant now = Instant.now();
        for (Iterator<Work> it = queued.iterator();
            it.hasNext() && leases.size() < c.maxTasks(); ) {
          Work w = it.next();
          if (c.queues().contains(w.queue())
              && (c.types() == null || c.types().contains(w.type()))
              && !w.availableAt().isAfter(now)) {
            it.remove();
            leases.add(
                new Lease(
                    null,
                    TaskState.queued(JobId.random(), 1, index.getAndIncrement(), 0, now),
                    null,
                    "jpl_lease_" + index.get()));
          }
        }
      }
      Runnable hook = afterFirstClaim;
      if (n == 1 && hook != null) {
        hook.run();
      }
      return leases;
    }

    WorkerProtocolUseCase useCase() {
      return (WorkerProtocolUseCase)
          Proxy.newProxyInstance(
              WorkerProtocolUseCase.class.getClassLoader(),
              new Class<?>[] {WorkerProtocolUseCase.class},
              (proxy, method, args) -> {
                if (method.getName().equals("claim")) {
                  return claim((ClaimCommand) args[0]);
                }
                throw new AssertionError("a parked claim only claims; it called " + method);
              });
    }
  }

  private static ClaimCommand command(Caller caller, String worker, List<String> types, int max) {
    return new ClaimCommand(caller, worker, "host", List.of("default"), types, max, 30);
  }

  private CompletableFuture<List<Lease>> park(String worker) {
    return park(command(WORKER, worker, null, 1), LONG);
  }

  private CompletableFuture<List<Lease>> park(ClaimCommand command, Duration wait) {
    CompletableFuture<List<Lease>> answer = service.claim(new LongPollClaim(command, wait));
    assertThat(answer).isNotDone();
    return answer;
  }

  private static void awaitLeases(CompletableFuture<List<Lease>> answer, int count) {
    await().atMost(Duration.ofSeconds(5)).until(answer::isDone);
    assertThat(answer.join()).hasSize(count);
  }

  /** The fake saw {@code expected} claims and no more came for a while (the pool is idle). */
  private void claimsStayAt(int expected) {
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> fake.claims.get() == expected);
  }

  // ----- answering at once
  // ------------------------------------------------------------------------

  @Test
  void aClaimThatFindsWorkIsAnsweredAtOnceWithoutParking() {
    fake.add("default", "etl");

    CompletableFuture<List<Lease>> answer =
        service.claim(new LongPollClaim(command(WORKER, "w-1", null, 1), LONG));

    assertThat(answer).isDone();
    assertThat(answer.join()).hasSize(1);
    assertThat(service.parkedClaims()).isZero();
  }

  @Test
  void aClaimWithoutWaitAnswersAnEmptyListAtOnce() {
    CompletableFuture<List<Lease>> answer =
        service.claim(new LongPollClaim(command(WORKER, "w-1", null, 1), Duration.ZERO));

    assertThat(answer).isDone();
    assertThat(answer.join()).isEmpty();
    assertThat(backoffReads).hasValue(0);
  }

  @Test
  void aRefusedClaimIsRefusedBeforeParking() {
    fake.failure = new DomainException(DomainException.Reason.FORBIDDEN, "role worker needed");

    assertThatThrownBy(
            () -> service.claim(new LongPollClaim(command(WORKER, "w-1", null, 1), LONG)))
        .isInstanceOf(DomainException.class)
        .extracting(e -> ((DomainException) e).reason())
        .isEqualTo(DomainException.Reason.FORBIDDEN);
    assertThat(service.parkedClaims()).isZero();
  }

  @Test
  void waitSecondsOutsideZeroToThirtyIsAnInvalidArgumentNamingIt() {
    for (int seconds : new int[] {-1, 31}) {
      assertThatThrownBy(
              () -> LongPollClaim.waitingSeconds(command(WORKER, "w-1", null, 1), seconds))
          .isInstanceOf(DomainException.class)
          .satisfies(
              e -> {
                DomainException d = (DomainException) e;
                assertThat(d.reason()).isEqualTo(DomainException.Reason.INVALID_ARGUMENT);
                assertThat(d.errors())
                    .extracting(DomainException.FieldError::field)
                    .containsExactly("wait_seconds");
              });
    }
    assertThat(LongPollClaim.waitingSeconds(command(WORKER, "w-1", null, 1), null).maxWait())
        .isZero();
  }

  // ----- waking
  // -----------------------------------------------------------------------------------

  @Test
  void aParkedClaimIsAnsweredWhenWorkLandsInItsQueue() {
    CompletableFuture<List<Lease>> answer = park("w-1");
    assertThat(service.parkedClaims()).isEqualTo(1);

    fake.add("default", "etl");
    signals.workQueued("default");

    awaitLeases(answer, 1);
    assertThat(fake.claims).hasValue(2); // the first attempt and the one the signal caused
    assertThat(service.parkedClaims()).isZero();
  }

  @Test
  void aParkedClaimSendsNothingWhileOtherQueuesGetWork() {
    CompletableFuture<List<Lease>> answer = park("w-1");

    fake.add("gpu", "etl");
    signals.workQueued("gpu");

    claimsStayAt(1);
    assertThat(answer).isNotDone();
  }

  @Test
  void oneNewTaskIsClaimedOnceAndTheOtherWaitersKeepWaiting() {
    List<CompletableFuture<List<Lease>>> answers =
        IntStream.range(0, 5).mapToObj(i -> park("w-" + i)).toList();

    fake.add("default", "etl");
    signals.workQueued("default");

    awaitLeases(answers.get(0), 1); // the oldest waiter first
    // the claim that got it, and one that found the queue empty: not one per waiter
    claimsStayAt(5 + 2);
    assertThat(answers.subList(1, 5)).noneMatch(CompletableFuture::isDone);
    assertThat(service.parkedClaims()).isEqualTo(4);
  }

  @Test
  void aBurstOfTasksFeedsTheWaitersInTurn() {
    List<CompletableFuture<List<Lease>>> answers =
        IntStream.range(0, 4).mapToObj(i -> park("w-" + i)).toList();

    for (int i = 0; i < 3; i++) {
      fake.add("default", "etl");
    }
    signals.workQueued("default");

    answers.subList(0, 3).forEach(a -> awaitLeases(a, 1));
    // three full claims, then the fourth waiter's claim finds the queue empty and ends the round
    claimsStayAt(4 + 4);
    assertThat(answers.get(3)).isNotDone();
  }

  @Test
  void workAWaiterMayNotTakeIsOfferedToTheNextWaiter() {
    CompletableFuture<List<Lease>> gpuOnly =
        park(command(WORKER, "w-gpu", List.of("gpu-train"), 1), LONG);
    CompletableFuture<List<Lease>> etlOnly =
        park(command(WORKER, "w-etl", List.of("etl"), 1), LONG);

    fake.add("default", "etl");
    signals.workQueued("default");

    awaitLeases(etlOnly, 1);
    assertThat(gpuOnly).isNotDone();
  }

  @Test
  void workThatLandsWhileAClaimIsBeingParkedIsNotMissed() {
    // the work commits (and signals) after the first attempt found nothing, before the claim
    // listens
    fake.afterFirstClaim =
        () -> {
          fake.add("default", "etl");
          signals.workQueued("default");
        };

    CompletableFuture<List<Lease>> answer =
        service.claim(new LongPollClaim(command(WORKER, "w-1", null, 1), LONG));

    awaitLeases(answer, 1);
  }

  @Test
  void aResyncClaimsAgainForEveryWaitingClaim() {
    CompletableFuture<List<Lease>> answer = park("w-1");
    fake.add("default", "etl"); // its notification was lost with the listening connection

    signals.resync();

    awaitLeases(answer, 1);
  }

  @Test
  void aRetryBackoffThatEndsBeforeTheDeadlineWakesTheClaimThen() {
    Instant backoffEnds = Instant.now().plusMillis(300);
    fake.addAvailableAt("default", backoffEnds);
    nextRetry.set(Optional.of(backoffEnds));

    CompletableFuture<List<Lease>> answer = park("w-1");

    awaitLeases(answer, 1);
    assertThat(Instant.now()).isAfterOrEqualTo(backoffEnds);
    assertThat(fake.claims).hasValue(2);
    assertThat(backoffReads).hasValue(1);
  }

  @Test
  void aRetryBackoffThatEndsAfterTheDeadlineIsLeftToTheNextClaim() {
    nextRetry.set(Optional.of(Instant.now().plusSeconds(60)));

    CompletableFuture<List<Lease>> answer =
        park(command(WORKER, "w-1", null, 1), Duration.ofMillis(300));

    awaitLeases(answer, 0);
    assertThat(fake.claims).hasValue(1);
  }

  @Test
  void aFailingClaimAfterASignalAnswersTheError() {
    CompletableFuture<List<Lease>> answer = park("w-1");
    fake.failure = new IllegalStateException("the store is unreachable");

    signals.workQueued("default");

    await().atMost(Duration.ofSeconds(5)).until(answer::isDone);
    assertThat(answer).isCompletedExceptionally();
    assertThat(service.parkedClaims()).isZero();
  }

  // ----- how waiting ends
  // -------------------------------------------------------------------------

  @Test
  void theDeadlineAnswersAnEmptyList() {
    CompletableFuture<List<Lease>> answer =
        park(command(WORKER, "w-1", null, 1), Duration.ofMillis(200));

    awaitLeases(answer, 0);
    assertThat(service.parkedClaims()).isZero();
  }

  @Test
  void noClaimWaitsLongerThanTheServerAllows() {
    service.close();
    service = service(ClaimWaitLimits.DEFAULTS.withLongestPark(Duration.ofMillis(200)));

    CompletableFuture<List<Lease>> answer = park(command(WORKER, "w-1", null, 1), LONG);

    awaitLeases(answer, 0);
  }

  @Test
  void aWaitEndsBeforeTheIdleTimeoutAndWithinTheWindowInWhichAWorkerCountsAsActive() {
    assertThat(ClaimWaitLimits.longestParkWithin(Duration.ofSeconds(30)))
        .isEqualTo(Duration.ofSeconds(29));
    assertThat(ClaimWaitLimits.longestParkWithin(Duration.ofSeconds(120)))
        .isEqualTo(Duration.ofSeconds(29));
    assertThat(ClaimWaitLimits.longestParkWithin(Duration.ofSeconds(10)))
        .isEqualTo(Duration.ofSeconds(9));
    assertThat(ClaimWaitLimits.longestParkWithin(Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aCancelledClaimLeavesAndIsNotClaimedFor() {
    CompletableFuture<List<Lease>> answer = park("w-1");

    answer.cancel(false); // the client went away

    assertThat(service.parkedClaims()).isZero();
    fake.add("default", "etl");
    signals.workQueued("default");
    claimsStayAt(1);
    assertThat(fake.queued).hasSize(1);
  }

  @Test
  void aNewerClaimOfTheSameWorkerEndsTheOlderOne() {
    CompletableFuture<List<Lease>> older = park("w-1");

    CompletableFuture<List<Lease>> newer = park("w-1");

    assertThat(older).isCompletedWithValue(List.of());
    assertThat(newer).isNotDone();
    assertThat(service.parkedClaims()).isEqualTo(1);
  }

  @Test
  void aWorkerThatStopsEndsItsOwnWaitingClaimOnly() {
    CompletableFuture<List<Lease>> mine = park("w-1");
    CompletableFuture<List<Lease>> sameIdOtherToken =
        park(command(OTHER_TOKEN, "w-1", null, 1), LONG);

    service.release(WORKER, "w-1");

    assertThat(mine).isCompletedWithValue(List.of());
    assertThat(sameIdOtherToken).isNotDone();
    assertThat(service.parkedClaims()).isEqualTo(1);
  }

  @Test
  void endingAWaitingClaimNeedsTheWorkerRole() {
    CompletableFuture<List<Lease>> answer = park("w-1");

    assertThatThrownBy(() -> service.release(new Caller("fleet", Set.of(Role.VIEWER), null), "w-1"))
        .isInstanceOf(DomainException.class)
        .extracting(e -> ((DomainException) e).reason())
        .isEqualTo(DomainException.Reason.FORBIDDEN);
    assertThat(answer).isNotDone();
  }

  @Test
  void shutdownAnswersEveryParkedClaimWithAnEmptyList() {
    List<CompletableFuture<List<Lease>>> answers =
        IntStream.range(0, 3).mapToObj(i -> park("w-" + i)).toList();

    service.close();

    assertThat(answers).allSatisfy(a -> assertThat(a).isCompletedWithValue(List.of()));
    assertThat(service.parkedClaims()).isZero();
    assertThat(signals.listeners()).isZero();
  }

  // ----- limits
  // -----------------------------------------------------------------------------------

  @Test
  void aTokenOverItsLimitIsToldToRetryLaterAndTheServerOverItsLimitIsUnavailable() {
    service.close();
    service = service(new ClaimWaitLimits(3, 2, LONG));
    park("w-1");
    park("w-2");

    assertThatThrownBy(() -> park("w-3"))
        .isInstanceOf(DomainException.class)
        .extracting(e -> ((DomainException) e).reason())
        .isEqualTo(DomainException.Reason.TOO_MANY_REQUESTS);
    park(command(OTHER_TOKEN, "o-1", null, 1), LONG);
    assertThatThrownBy(() -> park(command(OTHER_TOKEN, "o-2", null, 1), LONG))
        .isInstanceOf(DomainException.class)
        .extracting(e -> ((DomainException) e).reason())
        .isEqualTo(DomainException.Reason.UNAVAILABLE);
    assertThat(service.parkedClaims()).isEqualTo(3);
  }

  @Test
  void aClaimThatEndsFreesItsPlaceUnderTheLimits() {
    service.close();
    service = service(new ClaimWaitLimits(1, 1, LONG));
    park("w-1").cancel(false);

    CompletableFuture<List<Lease>> next = park("w-2");

    assertThat(next).isNotDone();
    assertThat(service.parkedClaims()).isEqualTo(1);
  }
}
