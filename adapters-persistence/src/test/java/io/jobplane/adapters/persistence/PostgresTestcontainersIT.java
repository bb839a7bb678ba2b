package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jobplane.domain.JobSnapshot;
import org.junit.jupiter.api.Test;

/**
 * The store on a Testcontainers PostgreSQL. Runs only with -Djobplane.test.db=testcontainers (which
 * also moves every other integration test there) and a Docker engine; otherwise skipped.
 */
class PostgresTestcontainersIT {

  @Test
  void aJobRoundTripsThroughTheContainerisedDatabase() {
    assumeTrue(
        "testcontainers".equals(System.getProperty(TestDatabase.MODE_PROPERTY)),
        "Testcontainers tests run only with -D"
            + TestDatabase.MODE_PROPERTY
            + "=testcontainers and a Docker engine");
    PostgresStore store = TestDatabase.store(); // skips by assumption without Docker
    assertThat(TestDatabase.description()).startsWith("Testcontainers");
    TestDatabase.reset();

    JobSnapshot stored = store.jobRepository().insert(TestJobs.job().restored());

    assertThat(store.jobRepository().findById(stored.id())).contains(stored);
  }
}
