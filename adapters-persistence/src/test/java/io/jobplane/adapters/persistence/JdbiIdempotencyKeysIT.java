package io.jobplane.adapters.persistence;

import static io.jobplane.adapters.persistence.TestJobs.T0;
import static io.jobplane.adapters.persistence.TestJobs.job;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.port.out.IdempotencyKeys;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbiIdempotencyKeysIT {

  private final PostgresStore store = TestDatabase.store();
  private final JobRepository jobs = store.jobRepository();
  private final IdempotencyKeys keys = store.idempotencyKeys();
  private final TransactionRunner tx = store.transactions();

  @BeforeEach
  void emptyTables() {
    TestDatabase.reset();
  }

  @Test
  void aRememberedKeyIsFoundWithItsFingerprintAndJob() {
    JobSnapshot s = jobs.insert(job().restored());

    assertThat(keys.remember("alice", "key-1", "fp-1", s.id(), T0)).isTrue();

    assertThat(keys.find("alice", "key-1")).contains(new IdempotencyKeys.Entry("fp-1", s.id()));
    assertThat(keys.find("alice", "key-2")).isEmpty();
    assertThat(keys.find("bob", "key-1")).isEmpty();
  }

  @Test
  void aKeyIsRememberedOncePerPrincipalAndTheFirstEntryStays() {
    JobSnapshot first = jobs.insert(job().restored());
    JobSnapshot second = jobs.insert(job().restored());
    keys.remember("alice", "k", "fp-1", first.id(), T0);

    assertThat(keys.remember("alice", "k", "fp-2", second.id(), T0)).isFalse();
    assertThat(keys.remember("bob", "k", "fp-2", second.id(), T0)).isTrue();

    assertThat(keys.find("alice", "k")).contains(new IdempotencyKeys.Entry("fp-1", first.id()));
    assertThat(keys.find("bob", "k")).contains(new IdempotencyKeys.Entry("fp-2", second.id()));
  }

  @Test
  void ofConcurrentSubmitsWithOneKeyExactlyOneRemembersItAndTheLosersRollBack() throws Exception {
    int contenders = 8;
    ExecutorService threads = Executors.newFixedThreadPool(contenders);
    try {
      CyclicBarrier start = new CyclicBarrier(contenders);
      List<Future<Boolean>> results = new ArrayList<>();
      List<JobId> ids = new ArrayList<>();
      for (int i = 0; i < contenders; i++) {
        JobSnapshot s = job().snapshot();
        ids.add(s.id());
        results.add(
            threads.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  try {
                    return tx.inTransaction(
                        () -> {
                          jobs.insert(Job.restore(s));
                          if (!keys.remember("alice", "same", "fp", s.id(), T0)) {
                            throw new KeyTaken();
                          }
                          return true;
                        });
                  } catch (KeyTaken e) {
                    return false;
                  }
                }));
      }
      int winners = 0;
      for (Future<Boolean> f : results) {
        winners += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }

      assertThat(winners).isEqualTo(1);
      JobId winner = keys.find("alice", "same").orElseThrow().jobId();
      for (JobId id : ids) {
        assertThat(jobs.findById(id).isPresent()).isEqualTo(id.equals(winner));
      }
    } finally {
      threads.shutdownNow();
    }
  }

  private static final class KeyTaken extends RuntimeException {}
}
