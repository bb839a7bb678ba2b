package io.jobplane.adapters.k8s.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.jobplane.adapters.k8s.crd.DesiredState;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobStatus;
import io.jobplane.domain.JobId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reconciler's decision step as a table: each row is an observation (resource, previous status,
 * batch Job, pods) and the one decision it must lead to. Pure: no client, no store.
 */
class JobDecisionsTest {

  private static final Instant NOW = Instant.parse("2026-11-23T10:10:00Z");
  private static final Duration GRACE = Duration.ofMinutes(5);
  private static final JobDecisions DECISIONS = new JobDecisions(PodPolicy.defaults(), GRACE);

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void anObservationLeadsToOneDecision(
      String scenario,
      JobObservation observation,
      Class<? extends JobDecision> expected,
      Integer runId) {
    JobDecision decision = DECISIONS.decide(observation);

    assertThat(decision).isInstanceOf(expected);
    if (runId != null) {
      assertThat(run(decision).runId()).isEqualTo(runId);
      assertThat(run(decision).batchName()).isEqualTo("nightly-report-r" + runId);
    }
  }

  static Stream<Arguments> table() {
    return Stream.of(
        row(
            "a resource rejected before gets nothing",
            given().previous(JobPhase.REJECTED, 1, null),
            JobDecision.Nothing.class,
            null),
        row(
            "a spec the store refuses is rejected without a store job",
            given().refused("labels: too many"),
            JobDecision.RejectSpec.class,
            null),
        row("a new resource starts run 1", given(), JobDecision.CreateRun.class, 1),
        row(
            "a privileged pod template is rejected, nothing is created",
            given().template(r -> privileged(r)),
            JobDecision.RejectTemplate.class,
            1),
        row(
            "a foreign batch Job holding the run's name is left alone",
            given().batch(foreignBatch()),
            JobDecision.NameTaken.class,
            1),
        row(
            "the run's own batch Job is only recorded",
            given().previous(JobPhase.QUEUED, 1, "nightly-report-r1").ownBatch(null),
            JobDecision.RecordRun.class,
            1),
        row(
            "a batch Job gone before its run finished fails the run",
            given().previous(JobPhase.RUNNING, 1, "nightly-report-r1"),
            JobDecision.FailDeletedRun.class,
            1),
        row(
            "a running run asked to stop deletes its batch Job",
            given()
                .previous(JobPhase.RUNNING, 1, "nightly-report-r1")
                .desired(DesiredState.STOPPED)
                .ownBatch(new JobStatusBuilder().withActive(1).build()),
            JobDecision.StopRun.class,
            1),
        row(
            "a stopped resource without a batch Job is only recorded",
            given().desired(DesiredState.STOPPED),
            JobDecision.RecordRun.class,
            1),
        row(
            "a finished run whose batch Job expired is not created again",
            given().previous(JobPhase.SUCCEEDED, 1, "nightly-report-r1"),
            JobDecision.RecordRun.class,
            1),
        row(
            "a finished run asked to stop changes nothing",
            given()
                .previous(JobPhase.FAILED, 1, "nightly-report-r1")
                .desired(DesiredState.STOPPED)
                .ownBatch(failedStatus()),
            JobDecision.RecordRun.class,
            1),
        row(
            "a new restart nonce after a finished run starts the next run",
            given().previous(JobPhase.SUCCEEDED, 1, "nightly-report-r1").restartNonce("again"),
            JobDecision.CreateRun.class,
            2),
        row(
            "a new restart nonce while the run is going waits for it to finish",
            given()
                .previous(JobPhase.RUNNING, 1, "nightly-report-r1")
                .restartNonce("again")
                .ownBatch(new JobStatusBuilder().withActive(1).build()),
            JobDecision.RecordRun.class,
            1),
        row(
            "a pod waiting on its image past the grace fails the run",
            given()
                .previous(JobPhase.QUEUED, 1, "nightly-report-r1")
                .ownBatch(null)
                .pod(waitingPod("ImagePullBackOff", NOW.minus(GRACE).minusSeconds(1))),
            JobDecision.FailStuckRun.class,
            1),
        row(
            "a pod waiting on its image within the grace is only recorded",
            given()
                .previous(JobPhase.QUEUED, 1, "nightly-report-r1")
                .ownBatch(null)
                .pod(waitingPod("ImagePullBackOff", NOW.minusSeconds(30))),
            JobDecision.RecordRun.class,
            1),
        row(
            "a batch Job held for its project's room asks again",
            given().previous(JobPhase.QUEUED, 1, "nightly-report-r1").heldBatch(),
            JobDecision.ResumeRun.class,
            1),
        row(
            "a held batch Job asked to stop is deleted",
            given()
                .previous(JobPhase.QUEUED, 1, "nightly-report-r1")
                .heldBatch()
                .desired(DesiredState.STOPPED),
            JobDecision.StopRun.class,
            1),
        row(
            "a batch Job suspended by its resource is only recorded",
            given().previous(JobPhase.SUSPENDED, 1, "nightly-report-r1").suspendedBatch(),
            JobDecision.RecordRun.class,
            1));
  }

  private static Arguments row(
      String scenario, Given given, Class<? extends JobDecision> expected, Integer runId) {
    return Arguments.of(scenario, given.observation(), expected, runId);
  }

  private static RunPlan run(JobDecision decision) {
    if (decision instanceof JobDecision.CreateRun d) {
      return d.run();
    }
    if (decision instanceof JobDecision.RejectTemplate d) {
      return d.run();
    }
    if (decision instanceof JobDecision.NameTaken d) {
      return d.run();
    }
    if (decision instanceof JobDecision.StopRun d) {
      return d.run();
    }
    if (decision instanceof JobDecision.FailStuckRun d) {
      return d.run();
    }
    if (decision instanceof JobDecision.FailDeletedRun d) {
      return d.run();
    }
    if (decision instanceof JobDecision.ResumeRun d) {
      return d.run();
    }
    return ((JobDecision.RecordRun) decision).run();
  }

  private static Given given() {
    return new Given();
  }

  /** An observation, built by name; the resource is {@link BatchJobsTest#resource()}. */
  private static final class Given {
    private final JobResource resource = BatchJobsTest.resource();
    private Job batch;
    private Pod pod;
    private String refusal;

    Given() {
      resource.getSpec().setSuspend(false);
    }

    Given previous(JobPhase phase, int runId, String batchJob) {
      JobStatus status = new JobStatus();
      status.setPhase(phase);
      status.setRunId(runId);
      status.setJobId(JobId.random().toString());
      status.setBatchJob(batchJob);
      resource.setStatus(status);
      return this;
    }

    Given refused(String why) {
      refusal = why;
      return this;
    }

    Given desired(DesiredState state) {
      resource.getSpec().setDesiredState(state);
      return this;
    }

    Given restartNonce(String nonce) {
      resource.getSpec().setRestartNonce(nonce);
      return this;
    }

    Given template(Consumer<JobResource> change) {
      change.accept(resource);
      return this;
    }

    Given batch(Job job) {
      batch = job;
      return this;
    }

    Given ownBatch(io.fabric8.kubernetes.api.model.batch.v1.JobStatus status) {
      int runId = resource.getStatus() == null ? 1 : resource.getStatus().getRunId();
      batch = BatchJobs.build(resource, runId);
      batch.setStatus(status);
      return this;
    }

    Given heldBatch() {
      ownBatch(null);
      batch = BatchJobs.held(batch, "project 'default' runs 1 job, its max_running is 1");
      return this;
    }

    Given suspendedBatch() {
      ownBatch(null);
      batch.getSpec().setSuspend(true);
      return this;
    }

    Given pod(Pod waiting) {
      pod = waiting;
      return this;
    }

    JobObservation observation() {
      if (resource.getStatus() != null && resource.getStatus().getPhase() == JobPhase.REJECTED) {
        return JobObservation.rejectedBefore(resource, NOW);
      }
      if (refusal != null) {
        return JobObservation.refused(resource, refusal, NOW);
      }
      return new JobObservation(
          resource,
          JobObservation.Identity.of(JobId.random(), ResourceDefinitions.definition(resource)),
          RunPlan.of(resource),
          Optional.ofNullable(batch),
          pod == null ? List.of() : List.of(pod),
          NOW);
    }
  }

  private static void privileged(JobResource resource) {
    resource
        .getSpec()
        .getPodTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .setSecurityContext(new SecurityContextBuilder().withPrivileged(true).build());
  }

  private static Job foreignBatch() {
    return new JobBuilder()
        .withNewMetadata()
        .withName("nightly-report-r1")
        .withNamespace("team-a")
        .endMetadata()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.batch.v1.JobStatus failedStatus() {
    return new JobStatusBuilder()
        .withFailed(1)
        .withConditions(new JobConditionBuilder().withType("Failed").withStatus("True").build())
        .build();
  }

  private static Pod waitingPod(String reason, Instant started) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("nightly-report-r1-abcde")
        .withNamespace("team-a")
        .withCreationTimestamp(started.toString())
        .endMetadata()
        .withNewStatus()
        .withPhase("Pending")
        .withStartTime(started.toString())
        .withContainerStatuses(
            new ContainerStatusBuilder()
                .withName("main")
                .withNewState()
                .withNewWaiting()
                .withReason(reason)
                .withMessage("Back-off pulling image")
                .endWaiting()
                .endState()
                .build())
        .endStatus()
        .build();
  }
}
