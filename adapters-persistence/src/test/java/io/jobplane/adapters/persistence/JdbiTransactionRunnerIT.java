package io.jobplane.adapters.persistence;

import static io.jobplane.adapters.persistence.TestJobs.T0;
import static io.jobplane.adapters.persistence.TestJobs.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.out.IdempotencyKeys;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbiTransactionRunnerIT {

  private final PostgresStore store = TestDatabase.store();
  private final JobRepository jobs = store.jobRepository();
  private final IdempotencyKeys keys = store.idempotencyKeys();
  private final TransactionRunner tx = store.transactions();

  @BeforeEach
  void emptyTables() {
    TestDatabase.reset();
  }

  @Test
  void anExceptionRollsBackEveryRepositoryWriteMadeInsideAndPropagatesUnchanged() {
    JobSnapshot s = job().snapshot();
    IllegalStateException boom = new IllegalStateException("boom");

    assertThatThrownBy(
            () ->
                tx.inTransaction(
                    () -> {
                      jobs.insert(Job.restore(s));
                      keys.remember("alice", "k", "fp", s.id(), T0);
                      // visible inside the transaction
                      assertThat(jobs.findById(s.id())).isPresent();
                      assertThat(keys.find("alice", "k")).isPresent();
                      throw boom;
                    }))
        .isSameAs(boom);

    assertThat(jobs.findById(s.id())).isEmpty();
    assertThat(keys.find("alice", "k")).isEmpty();
    assertThat(jobs.countByStatus().get(JobStatus.QUEUED)).isZero();
  }

  @Test
  void aDomainExceptionFromARepositoryInsideRollsBackTheEarlierWrites() {
    JobSnapshot existing = jobs.insert(job().restored());
    JobSnapshot fresh = job().snapshot();

    assertThatThrownBy(
            () ->
                tx.inTransaction(
                    () -> {
                      jobs.insert(Job.restore(fresh));
                      return jobs.insert(Job.restore(existing));
                    }))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.CONFLICT));

    assertThat(jobs.findById(fresh.id())).isEmpty();
  }

  @Test
  void writesCommitTogetherAndStayInvisibleToOtherConnectionsUntilThen() throws Exception {
    JobSnapshot a = job().snapshot();
    JobSnapshot b = job().snapshot();

    JobSnapshot result =
        tx.inTransaction(
            () -> {
              jobs.insert(Job.restore(a));
              jobs.insert(Job.restore(b));
              boolean seenFromOtherThread =
                  CompletableFuture.supplyAsync(() -> jobs.findById(a.id()).isPresent()).join();
              assertThat(seenFromOtherThread).isFalse();
              return jobs.findById(b.id()).orElseThrow();
            });

    assertThat(result.version()).isEqualTo(1);
    assertThat(
            CompletableFuture.supplyAsync(() -> jobs.findById(a.id()).isPresent())
                .get(10, TimeUnit.SECONDS))
        .isTrue();
    assertThat(jobs.findById(b.id())).isPresent();
  }

  @Test
  void nestedTransactionsJoinTheOuterOneAndRollBackWithIt() {
    JobSnapshot inner = job().snapshot();

    assertThatThrownBy(
            () ->
                tx.inTransaction(
                    () -> {
                      tx.inTransaction(() -> jobs.insert(Job.restore(inner)));
                      throw new IllegalStateException("outer fails after the inner one returned");
                    }))
        .isInstanceOf(IllegalStateException.class);

    assertThat(jobs.findById(inner.id())).isEmpty();
  }

  @Test
  void repositoriesWorkWithoutATransactionRunner() {
    JobSnapshot s = jobs.insert(job().restored());

    assertThat(jobs.findById(s.id())).contains(s);
    assertThat(keys.remember("bob", "k", "fp", s.id(), T0)).isTrue();
  }

  @Test
  void afterCommitActionsRunOnceTheOutermostTransactionHasCommitted() {
    JobSnapshot s = job().snapshot();
    List<Boolean> storedWhenRun = new ArrayList<>();

    tx.inTransaction(
        () ->
            tx.inTransaction(
                () -> {
                  jobs.insert(Job.restore(s));
                  tx.afterCommit(
                      () ->
                          storedWhenRun.add(
                              CompletableFuture.supplyAsync(() -> jobs.findById(s.id()).isPresent())
                                  .join()));
                  assertThat(storedWhenRun).as("not while the outer transaction is open").isEmpty();
                  return null;
                }));

    assertThat(storedWhenRun)
        .as("ran once, and saw the row committed, from another connection")
        .containsExactly(true);
  }

  @Test
  void afterCommitActionsOfARolledBackTransactionNeverRun() {
    List<String> ran = new ArrayList<>();

    assertThatThrownBy(
            () ->
                tx.inTransaction(
                    () -> {
                      tx.afterCommit(() -> ran.add("after commit"));
                      throw new IllegalStateException("rolled back");
                    }))
        .isInstanceOf(IllegalStateException.class);
    tx.afterCommit(() -> ran.add("outside a transaction"));

    assertThat(ran).containsExactly("outside a transaction");
  }
}
