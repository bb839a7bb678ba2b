package io.jobplane.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reference for the worker benchmark: db-scheduler, a well-used PostgreSQL-backed scheduler,
 * running the same number of one-time tasks with the same number of threads on the same PostgreSQL,
 * in process (no HTTP). Each task does nothing, so the figure is its pick + complete cost, as
 * {@link WorkerBenchmark}'s is Jobplane's claim + complete.
 */
final class DbSchedulerReference {

  /** Both of db-scheduler's polling strategies; lock-and-fetch is its faster one on PostgreSQL. */
  enum Strategy {
    FETCH_AND_LOCK_ON_EXECUTE,
    LOCK_AND_FETCH
  }

  private DbSchedulerReference() {}

  /** Tasks per second for {@code jobs} due tasks run by a scheduler with {@code n} threads. */
  static double tasksPerSecond(String jdbcUrl, Strategy strategy, int n, int jobs)
      throws Exception {
    try (HikariDataSource dataSource = dataSource(jdbcUrl, n + 5)) {
      createTable(dataSource);
      return jobs / run(dataSource, strategy, n, jobs);
    }
  }

  private static double run(HikariDataSource dataSource, Strategy strategy, int n, int jobs)
      throws Exception {
    AtomicInteger done = new AtomicInteger();
    OneTimeTask<Void> task =
        Tasks.oneTime("bench").execute((instance, context) -> done.incrementAndGet());
    List<TaskInstance<?>> instances = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      instances.add(task.instance("t-" + i));
    }
    SchedulerClient.Builder.create(dataSource, task)
        .build()
        .scheduleBatch(instances, Instant.now().minusSeconds(1));

    var builder =
        Scheduler.create(dataSource, task)
            .threads(n)
            .pollingInterval(Duration.ofSeconds(1))
            .shutdownMaxWait(Duration.ofSeconds(5));
    builder =
        strategy == Strategy.LOCK_AND_FETCH
            ? builder.pollUsingLockAndFetch(0.5, 1.0)
            : builder.pollUsingFetchAndLockOnExecute(0.5, 3.0);
    Scheduler scheduler = builder.build();
    long t0 = System.nanoTime();
    scheduler.start();
    long deadline = t0 + TimeUnit.MINUTES.toNanos(5);
    while (done.get() < jobs) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("db-scheduler ran " + done.get() + " of " + jobs);
      }
      Thread.sleep(1);
    }
    // the handler has run; a task is done when db-scheduler has also removed its row
    while (remaining(dataSource) > 0) {
      Thread.sleep(2);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    scheduler.stop();
    return seconds;
  }

  private static long remaining(HikariDataSource dataSource) throws Exception {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM scheduled_tasks")) {
      r.next();
      return r.getLong(1);
    }
  }

  private static HikariDataSource dataSource(String jdbcUrl, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setMaximumPoolSize(size);
    return new HikariDataSource(config);
  }

  /** db-scheduler's PostgreSQL table as its documentation gives it. */
  private static void createTable(HikariDataSource dataSource) throws Exception {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS scheduled_tasks");
      s.execute(
          "CREATE TABLE scheduled_tasks (task_name text NOT NULL, task_instance text NOT NULL,"
              + " task_data bytea, execution_time timestamp with time zone NOT NULL,"
              + " picked boolean NOT NULL, picked_by text,"
              + " last_success timestamp with time zone, last_failure timestamp with time zone,"
              + " consecutive_failures int, last_heartbeat timestamp with time zone,"
              + " version bigint NOT NULL, priority smallint,"
              + " PRIMARY KEY (task_name, task_instance))");
      s.execute("CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)");
      s.execute("CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
      s.execute(
          "CREATE INDEX priority_execution_time_idx ON scheduled_tasks"
              + " (priority DESC, execution_time ASC)");
    }
  }
}
