package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.ClusterObservation;
import io.jobplane.application.service.ClusterJobsService;
import io.jobplane.application.service.RunCredentialsService;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.KubernetesPlacement;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kubernetes jobs in PostgreSQL: placement columns, run credentials, run fencing. */
class KubernetesJobsIT {

  private final PostgresStore store = TestDatabase.store();
  private final ClusterJobsService cluster =
      new ClusterJobsService(
          store.jobRepository(),
          store.jobLocks(),
          store.telemetryRepository(),
          store.jobCredentials(),
          store.projectLimits(),
          store.transactions(),
          Clock.systemUTC());

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  private static JobDefinition kubernetes(String template) {
    return JobDefinition.builder()
        .name("train")
        .type("training")
        .project("ml")
        .maxAttempts(2)
        .runtime(JobRuntime.KUBERNETES)
        .timeoutSeconds(600)
        .parallelism(4)
        .kubernetes(new KubernetesPlacement("ml-team", "train-1", template))
        .build();
  }

  @Test
  void aKubernetesJobKeepsItsPlacementAndTemplate() {
    String template = "{\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"x:1\"}]}}";
    JobId id = JobId.random();

    JobSnapshot stored = cluster.register(id, kubernetes(template), "kubernetes:ml-team");

    JobSnapshot read = store.jobRepository().findById(id).orElseThrow();
    assertThat(read).isEqualTo(stored);
    assertThat(read.definition().kubernetes().namespace()).isEqualTo("ml-team");
    assertThat(read.definition().kubernetes().resourceName()).isEqualTo("train-1");
    assertThat(read.definition().kubernetes().podTemplate()).isEqualTo(template);
    assertThat(store.taskRepository().forRun(id, 1)).as("no tasks to lease").isEmpty();
  }

  @Test
  void aResourceAppliedWithoutAStoredTemplateIsStillAKubernetesJob() {
    JobId id = JobId.random();
    cluster.register(id, kubernetes(null), "kubernetes:ml-team");

    assertThat(store.jobRepository().findById(id).orElseThrow().definition().kubernetes())
        .isEqualTo(new KubernetesPlacement("ml-team", "train-1", null));
  }

  @Test
  void registeringTwiceStoresOneJob() {
    JobId id = JobId.random();

    cluster.register(id, kubernetes(null), "a");
    cluster.register(id, kubernetes(null), "b");

    assertThat(store.jobRepository().countByStatus().get(JobStatus.QUEUED)).isEqualTo(1);
  }

  @Test
  void runCredentialsAreFoundByTheirHashOnlyAndGoWithTheirJob() {
    JobId id = JobId.random();
    cluster.register(id, kubernetes(null), "k");
    String token = cluster.issueRunCredential(id, 1);
    RunCredentialsService auth =
        new RunCredentialsService(
            store.jobCredentials(), store.jobRepository(), store.transactions());

    assertThat(auth.authenticate(token)).isPresent();
    assertThat(auth.authenticate(token.substring(0, token.length() - 1) + "x")).isEmpty();

    cluster.observe(id, ClusterObservation.of(1, JobStatus.SUCCEEDED));
    JobSnapshot done = store.jobRepository().findById(id).orElseThrow();
    store.jobRepository().delete(id, done.version());
    assertThat(auth.authenticate(token)).isEmpty();
  }

  @Test
  void runFencingAcceptsTheCurrentRunWhileItLastsOnly() {
    JobId id = JobId.random();
    cluster.register(id, kubernetes(null), "k");
    cluster.observe(id, ClusterObservation.of(1, JobStatus.RUNNING));

    assertThat(store.leaseVerifier().requireCurrentRun(id, 3, 1).runId()).isEqualTo(1);
    assertThatThrownBy(() -> store.leaseVerifier().requireCurrentRun(id, 0, 2))
        .isInstanceOf(DomainException.class)
        .hasMessageContaining("stale run credential");

    cluster.observe(id, ClusterObservation.of(1, JobStatus.SUCCEEDED));
    assertThatThrownBy(() -> store.leaseVerifier().requireCurrentRun(id, 0, 1))
        .hasMessageContaining("stale run credential");
    assertThatThrownBy(() -> store.leaseVerifier().requireCurrentRun(JobId.random(), 0, 1))
        .hasMessageContaining("not found");
  }

  @Test
  void theDatabaseRefusesAPlacementOnAWorkerJob() throws Exception {
    JobSnapshot worker = store.jobRepository().insert(TestJobs.job().restored());

    try (java.sql.Connection c = store.dataSource().getConnection();
        java.sql.PreparedStatement s =
            c.prepareStatement(
                "UPDATE jobs SET k8s_namespace = 'ml', k8s_name = 'x' WHERE id = ?")) {
      s.setObject(1, worker.id().value());
      assertThatThrownBy(s::executeUpdate)
          .isInstanceOf(java.sql.SQLException.class)
          .hasMessageContaining("jobs_k8s_placement");
    }
  }
}
