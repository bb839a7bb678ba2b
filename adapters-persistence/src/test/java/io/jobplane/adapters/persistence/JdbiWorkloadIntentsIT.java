package io.jobplane.adapters.persistence;

import static io.jobplane.adapters.persistence.TestJobs.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.port.out.WorkloadIntents;
import io.jobplane.application.port.out.WorkloadIntents.Intent;
import io.jobplane.application.port.out.WorkloadIntents.Kind;
import io.jobplane.domain.JobId;
import io.jobplane.domain.KubernetesPlacement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbiWorkloadIntentsIT {

  private static final Duration LEASE = Duration.ofSeconds(60);
  private static final KubernetesPlacement ML = new KubernetesPlacement("ml", "train", "{}");

  private final PostgresStore store = TestDatabase.store();
  private final WorkloadIntents intents = store.workloadIntents();
  private final TransactionRunner tx = store.transactions();

  @BeforeEach
  void emptyTables() {
    TestDatabase.reset();
  }

  @Test
  void onlyTheOldestIntentOfAJobIsDueAndALeaseKeepsItFromOtherRelays() {
    JobId a = JobId.random();
    JobId b = JobId.random();
    intents.add(a, Kind.LAUNCH, ML, T0);
    intents.add(a, Kind.STOP, ML, T0);
    intents.add(b, Kind.DELETE, ML, T0);

    List<Intent> first = intents.claim(T0, LEASE, 10);
    assertThat(first)
        .extracting(Intent::job, Intent::kind, Intent::attempts)
        .containsExactly(tuple(a, Kind.LAUNCH, 1), tuple(b, Kind.DELETE, 1));
    assertThat(intents.claim(T0, LEASE, 10)).as("leased").isEmpty();
    assertThat(intents.claim(a, T0, LEASE)).isEmpty();

    intents.delivered(first.get(0));

    assertThat(intents.claim(a, T0, LEASE)).extracting(Intent::kind).containsExactly(Kind.STOP);
    assertThat(intents.claim(T0.plus(LEASE), LEASE, 10))
        .as("the leases are over: claimed again, attempts counted")
        .extracting(Intent::kind, Intent::attempts)
        .containsExactly(tuple(Kind.STOP, 2), tuple(Kind.DELETE, 2));
  }

  @Test
  void aRetryWaitsUntilItsTimeAndAStaleRelaysResultChangesNothing() {
    JobId a = JobId.random();
    intents.add(a, Kind.LAUNCH, ML, T0);
    Intent dead = intents.claim(T0, LEASE, 10).get(0);
    Intent again = intents.claim(T0.plus(LEASE), LEASE, 10).get(0);

    intents.delivered(dead); // the first relay comes back late: its claim is not the current one
    intents.retry(again, "connection refused", T0.plus(LEASE).plusSeconds(5));

    assertThat(intents.claim(T0.plus(LEASE).plusSeconds(4), LEASE, 10)).isEmpty();
    assertThat(intents.claim(T0.plus(LEASE).plusSeconds(5), LEASE, 10))
        .extracting(Intent::attempts)
        .containsExactly(3);
  }

  @Test
  void anIntentWrittenInARolledBackTransactionIsNeverDue() {
    try {
      tx.inTransaction(
          () -> {
            intents.add(JobId.random(), Kind.LAUNCH, ML, T0);
            throw new IllegalStateException("the change failed");
          });
    } catch (IllegalStateException expected) {
      // rolled back
    }

    assertThat(intents.claim(T0, LEASE, 10)).isEmpty();
  }

  @Test
  void concurrentRelaysMakeEachCallOnceAndAJobsCallsInOrderOneAtATime() throws Exception {
    List<JobId> jobs = new ArrayList<>();
    for (int j = 0; j < 40; j++) {
      JobId job = JobId.random();
      jobs.add(job);
      for (Kind kind : List.of(Kind.LAUNCH, Kind.STOP, Kind.RESTART, Kind.DELETE)) {
        intents.add(job, kind, ML, T0);
      }
    }
    Set<Long> made = ConcurrentHashMap.newKeySet();
    List<String> violations = new CopyOnWriteArrayList<>();
    Map<JobId, List<Kind>> order = new ConcurrentHashMap<>();
    Set<JobId> inFlight = ConcurrentHashMap.newKeySet();
    ExecutorService relays = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int r = 0; r < 8; r++) {
        done.add(
            relays.submit(
                () -> {
                  int idle = 0;
                  while (idle < 3) {
                    List<Intent> claimed = intents.claim(T0, LEASE, 5);
                    idle = claimed.isEmpty() ? idle + 1 : 0;
                    for (Intent i : claimed) {
                      if (!inFlight.add(i.job())) {
                        violations.add("two calls of job " + i.job() + " at once");
                      }
                      if (!made.add(i.id())) {
                        violations.add("intent " + i.id() + " made twice");
                      }
                      order
                          .computeIfAbsent(i.job(), k -> new CopyOnWriteArrayList<>())
                          .add(i.kind());
                      inFlight.remove(i.job());
                      intents.delivered(i);
                    }
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      relays.shutdownNow();
    }

    assertThat(violations).isEmpty();
    assertThat(made).hasSize(160);
    assertThat(order).hasSize(40);
    order
        .values()
        .forEach(
            kinds ->
                assertThat(kinds)
                    .containsExactly(Kind.LAUNCH, Kind.STOP, Kind.RESTART, Kind.DELETE));
  }
}
