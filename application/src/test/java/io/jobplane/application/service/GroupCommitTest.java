package io.jobplane.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.testing.DirectTransactionRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

  private final List<List<String>> batches = new CopyOnWriteArrayList<>();
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private GroupCommit<String, String> commits;

  @AfterEach
  void stop() {
    callers.shutdownNow();
    if (commits != null) {
      commits.close();
    }
  }

  @Test
  void aLoneWriteIsStoredAtOnceInItsOwnTransaction() {
    DirectTransactionRunner tx = new DirectTransactionRunner();
    commits = new GroupCommit<>("test", 1, 8, tx, this::upperCase);

    assertThat(commits.write("a")).contains("A");
    assertThat(batches).containsExactly(List.of("a"));
    assertThat(tx.transactions()).isEqualTo(1);
  }

  @Test
  void writesThatArriveWhileABatchCommitsAreStoredTogetherInTheNextTransaction() throws Exception {
    DirectTransactionRunner tx = new DirectTransactionRunner();
    CountDownLatch releaseFirst = new CountDownLatch(1);
    Future<Optional<String>> first = firstBatchHeld(tx, 8, releaseFirst);
    List<Future<Optional<String>>> later = writeEach("b", "c", "d");
    // the three wait in the queue behind the blocked batch; then they go in one transaction
    waitUntil(() -> queuedBehind(later));
    releaseFirst.countDown();

    assertThat(first.get(5, TimeUnit.SECONDS)).contains("FIRST");
    List<String> results = new ArrayList<>();
    for (Future<Optional<String>> f : later) {
      results.add(f.get(5, TimeUnit.SECONDS).orElseThrow());
    }
    assertThat(results).containsExactly("B", "C", "D");
    assertThat(batches).hasSize(2);
    assertThat(batches.get(1)).containsExactlyInAnyOrder("b", "c", "d");
    assertThat(tx.transactions()).isEqualTo(2);
  }

  @Test
  void aBatchTakesNoMoreThanItsMaximum() throws Exception {
    CountDownLatch releaseFirst = new CountDownLatch(1);
    Future<Optional<String>> first = firstBatchHeld(new DirectTransactionRunner(), 2, releaseFirst);
    List<Future<Optional<String>>> later = writeEach("b", "c", "d", "e", "f");
    waitUntil(() -> queuedBehind(later));
    releaseFirst.countDown();

    for (Future<Optional<String>> f : later) {
      assertThat(f.get(5, TimeUnit.SECONDS)).isPresent();
    }
    assertThat(first.get(5, TimeUnit.SECONDS)).contains("FIRST");
    assertThat(batches).hasSize(4).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(2));
    assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(6);
  }

  @Test
  void anItemTheBatchLeavesOutComesBackEmptyToBeWrittenAlone() {
    commits =
        new GroupCommit<>(
            "test",
            1,
            8,
            new DirectTransactionRunner(),
            batch -> batch.stream().map(i -> Optional.<String>empty()).toList());

    assertThat(commits.write("limited")).isEmpty();
  }

  @Test
  void whenTheBatchFailsBeforeCommittingEveryItemComesBackEmptyToBeWrittenAlone() {
    commits =
        new GroupCommit<>(
            "test",
            1,
            8,
            new DirectTransactionRunner(),
            batch -> {
              throw new IllegalArgumentException("one bad row rolls the batch back");
            });

    assertThat(commits.write("a")).isEmpty();
  }

  @Test
  void whenTheCommitItselfFailsTheCallerLearnsThatTheOutcomeIsUnknown() {
    TransactionRunner failingCommit =
        new TransactionRunner() {
          @Override
          public <T> T inTransaction(Supplier<T> work) {
            work.get();
            throw new IllegalStateException("connection lost during COMMIT");
          }

          @Override
          public void afterCommit(Runnable action) {}

          @Override
          public boolean inProgress() {
            return false;
          }
        };
    commits = new GroupCommit<>("test", 1, 8, failingCommit, this::upperCase);

    assertThatThrownBy(() -> commits.write("a"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("COMMIT");
  }

  @Test
  void afterCloseWritesAreLeftToTheirCallers() {
    commits = new GroupCommit<>("test", 2, 8, new DirectTransactionRunner(), this::upperCase);
    commits.close();

    assertThat(commits.write("a")).isEmpty();
    assertThat(batches).isEmpty();
  }

  /**
   * A group commit with one committer whose first batch, of the item "first", waits for {@code
   * release}; returns that write once its batch has started.
   */
  private Future<Optional<String>> firstBatchHeld(
      TransactionRunner tx, int maxBatch, CountDownLatch release) throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    commits =
        new GroupCommit<>(
            "test",
            1,
            maxBatch,
            tx,
            batch -> {
              if (batch.contains("first")) {
                started.countDown();
                await(release);
              }
              return upperCase(batch);
            });
    Future<Optional<String>> first = callers.submit(() -> commits.write("first"));
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    return first;
  }

  private List<Future<Optional<String>>> writeEach(String... items) {
    List<Future<Optional<String>>> writes = new ArrayList<>();
    for (String item : items) {
      writes.add(callers.submit(() -> commits.write(item)));
    }
    return writes;
  }

  private List<Optional<String>> upperCase(List<String> batch) {
    batches.add(List.copyOf(batch));
    return batch.stream().map(i -> Optional.of(i.toUpperCase())).toList();
  }

  /** True once every later caller waits in {@link GroupCommit#write}, next to the first one. */
  private static boolean queuedBehind(List<Future<Optional<String>>> later) {
    long waitingInWrite =
        Thread.getAllStackTraces().entrySet().stream()
            .filter(e -> e.getKey().getState() == Thread.State.WAITING)
            .filter(e -> List.of(e.getValue()).stream().anyMatch(GroupCommitTest::isWrite))
            .count();
    return later.stream().noneMatch(Future::isDone) && waitingInWrite >= later.size() + 1;
  }

  private static boolean isWrite(StackTraceElement frame) {
    return frame.getClassName().equals(GroupCommit.class.getName())
        && frame.getMethodName().equals("write");
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void waitUntil(Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.get()) {
      assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}
