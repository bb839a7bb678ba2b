package io.jobplane.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KubernetesJobsTest {

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  private static JobDefinition kubernetes(KubernetesPlacement placement, WorkerCommand command) {
    return JobDefinition.builder()
        .name("train")
        .type("training")
        .project("ml")
        .runtime(JobRuntime.KUBERNETES)
        .command(command)
        .kubernetes(placement)
        .build();
  }

  @Test
  void runtimeKubernetesNeedsAPlacementAndNoWorkerCommand() {
    assertThatThrownBy(() -> kubernetes(null, null))
        .isInstanceOf(DomainException.class)
        .hasMessageContaining("kubernetes");
    assertThatThrownBy(
            () ->
                kubernetes(
                    new KubernetesPlacement("ml", "train", "{}"),
                    new WorkerCommand(List.of("run"), null)))
        .isInstanceOf(DomainException.class)
        .hasMessageContaining("command");
  }

  @Test
  void aPlacementIsOnlyForRuntimeKubernetes() {
    assertThatThrownBy(
            () ->
                JobDefinition.builder()
                    .name("w")
                    .type("t")
                    .project("p")
                    .maxAttempts(1)
                    .runtime(JobRuntime.WORKER)
                    .kubernetes(new KubernetesPlacement("ml", "x", "{}"))
                    .build())
        .isInstanceOf(DomainException.class);
  }

  @Test
  void namespaceAndNameMustBeKubernetesNames() {
    assertThatThrownBy(() -> new KubernetesPlacement("Team_A", "x", "{}"))
        .hasMessageContaining("DNS label");
    assertThatThrownBy(() -> new KubernetesPlacement("team-a", "-x", "{}"))
        .hasMessageContaining("DNS subdomain");
    assertThatThrownBy(() -> new KubernetesPlacement("", "x", "{}"))
        .hasMessageContaining("required");
    assertThat(new KubernetesPlacement("team-a", "a.b-c", null).resourceName()).isEqualTo("a.b-c");
  }

  @Test
  void aJobWithoutAResourceNameIsNamedAfterItsId() {
    JobId id = JobId.random();

    Job job =
        Job.submit(
            id, kubernetes(new KubernetesPlacement("ml", null, "{}"), null), "alice", T0, "test");

    assertThat(job.snapshot().definition().kubernetes().resourceName()).isEqualTo("job-" + id);
  }

  @Test
  void aFailedAttemptInsideARunnningRunMovesToTheNextAttemptAndStaysRunning() {
    Job job =
        Job.submit(
            JobId.random(),
            kubernetes(new KubernetesPlacement("ml", "train", "{}"), null),
            "alice",
            T0,
            "test");
    job.enqueue(T0, "test");
    job.start(T0, "test");

    job.noteAttemptFailed(2, new JobError("APPLICATION_FAILURE", "exit 1"), T0, "operator");

    assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(job.snapshot().attempt()).isEqualTo(2);
    assertThat(job.uncommittedEvents())
        .last()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo(EventType.RETRIED);
              assertThat(e.message()).contains("attempt 1 failed").contains("exit 1");
            });
    assertThatThrownBy(() -> job.noteAttemptFailed(2, new JobError("X", "again"), T0, "operator"))
        .isInstanceOf(DomainException.class);
    assertThatThrownBy(
            () -> job.noteAttemptFailed(4, new JobError("X", "past max"), T0, "operator"))
        .isInstanceOf(DomainException.class);
  }
}
