package io.jobplane.adapters.persistence;

import static io.jobplane.adapters.persistence.TestJobs.job;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.port.out.JobRepository;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.StopMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The status counts are spread over slots (V10) so that concurrent writers of one (project, type,
 * status) do not queue on one row; their sums must still equal a brute-force count.
 */
class StatusCountsIT {

  private static final int WRITERS = 8;
  private static final int STEPS_EACH = 300;

  private final PostgresStore store = TestDatabase.store();
  private final JobRepository jobs = store.jobRepository();

  @BeforeEach
  void emptyTables() {
    TestDatabase.reset();
  }

  @Test
  void summedCountsEqualABruteForceCountAfterARandomConcurrentRunOfSubmitsTransitionsAndDeletes()
      throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(WRITERS);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Integer>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        long seed = 7919L * (w + 1);
        writers.add(threads.submit(() -> randomWalk(new SplittableRandom(seed), go)));
      }
      go.countDown();
      int operations = 0;
      for (Future<Integer> f : writers) {
        operations += f.get(3, TimeUnit.MINUTES);
      }
      assertThat(operations).isEqualTo(WRITERS * STEPS_EACH);
    } finally {
      threads.shutdownNow();
    }

    assertThat(
            query(
                "SELECT project, type, status, sum(count) FROM job_status_counts"
                    + " GROUP BY 1, 2, 3 HAVING sum(count) <> 0"))
        .isEqualTo(query("SELECT project, type, status, count(*) FROM jobs GROUP BY 1, 2, 3"))
        .isNotEmpty();
    // the writers of the same four keys really did spread: more than one slot per key in use
    assertThat(
            query(
                    "SELECT project, type, 'slots', count(DISTINCT slot) FROM job_status_counts"
                        + " GROUP BY 1, 2")
                .values())
        .allSatisfy(slots -> assertThat(slots).isGreaterThan(1));
  }

  /**
   * Submits (alone or several together) and moves this writer's own jobs along the lifecycle at
   * random (the jobs of the other writers share its four (project, type) keys, so their count rows
   * are the same); returns the number of operations done.
   */
  private int randomWalk(SplittableRandom random, CountDownLatch go) throws InterruptedException {
    go.await();
    List<JobSnapshot> mine = new ArrayList<>();
    int done = 0;
    for (int step = 0; step < STEPS_EACH; step++) {
      if (mine.isEmpty() || random.nextInt(4) == 0) {
        // one job alone, or a batch of a group commit whose jobs may span several keys
        int together = random.nextInt(3) == 0 ? 2 + random.nextInt(4) : 1;
        List<Job> added = new ArrayList<>();
        for (int i = 0; i < together; i++) {
          String project = random.nextBoolean() ? "alpha" : "beta";
          String type = random.nextBoolean() ? "etl" : "ml";
          added.add(
              job()
                  .with(
                      j -> {
                        j.project = project;
                        j.type = type;
                      })
                  .restored());
        }
        mine.addAll(together == 1 ? List.of(jobs.insert(added.get(0))) : jobs.insertAll(added));
        done++;
        continue;
      }
      int pick = random.nextInt(mine.size());
      JobSnapshot current = mine.get(pick);
      if (current.status().isTerminal()) {
        jobs.delete(current.id(), current.version());
        mine.remove(pick);
        done++;
        continue;
      }
      Job j = Job.restore(current);
      var now = TestJobs.now();
      switch (current.status()) {
        case QUEUED -> {
          switch (random.nextInt(3)) {
            case 0 -> j.start(now, "test");
            case 1 -> j.suspend(now, "test");
            default -> j.requestStop(StopMode.GRACEFUL, null, now, "test");
          }
        }
        case RUNNING -> {
          if (random.nextBoolean()) {
            j.succeed(now, "test");
          } else {
            j.fail(new JobError("EXIT_CODE", "exit code 1"), now, "test");
          }
        }
        case SUSPENDED -> j.resume(now, "test");
        case STOPPING -> j.confirmStopped(now, "test");
        default -> throw new IllegalStateException("unexpected " + current.status());
      }
      mine.set(pick, jobs.update(j));
      done++;
    }
    return done;
  }

  /** Rows of (project, type, status or label) → number, in key order. */
  private Map<String, Long> query(String sql) throws SQLException {
    Map<String, Long> rows = new TreeMap<>();
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.put(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3), rs.getLong(4));
      }
    }
    return rows;
  }
}
