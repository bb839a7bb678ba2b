package io.jobplane.adapters.persistence;

import io.jobplane.domain.JobId;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Run in a child JVM by {@link EmbeddedPostgresDatabaseIT}: starts the embedded database in
 * args[0], stores a job with id args[1], prints READY and waits to be killed, leaving its
 * postmaster orphaned.
 */
public final class OrphanedPostgresMain {

  private OrphanedPostgresMain() {}

  public static void main(String[] args) throws Exception {
    EmbeddedPostgresDatabase db = EmbeddedPostgresDatabase.start(Path.of(args[0]));
    PostgresStore store = PostgresStore.open(db.config(2), null);
    TestJobs job = TestJobs.job();
    job.id = new JobId(UUID.fromString(args[1]));
    store.jobRepository().insert(job.restored());
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
