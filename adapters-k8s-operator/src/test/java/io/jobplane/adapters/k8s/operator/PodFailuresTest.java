package io.jobplane.adapters.k8s.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodFailuresTest {

  private static final String CREATED = "2026-11-23T10:00:00Z";
  private static final Instant STARTED = Instant.parse("2026-11-23T10:00:02Z");
  private static final Duration GRACE = Duration.ofMinutes(5);

  @Test
  void aSucceededRunIsNoFailureAndRecordsTheExitCodes() {
    Pod pod = pod("report-r1-a", "Succeeded", exited("main", 0, "Completed", null));

    RunOutcome outcome = PodFailures.classify(List.of(pod));

    assertThat(outcome.kind()).isEqualTo(FailureKind.NONE);
    assertThat(outcome.reason()).isNull();
    assertThat(outcome.message()).isNull();
    assertThat(outcome.pods())
        .containsExactly(
            new PodOutcome(
                "report-r1-a",
                "main",
                0,
                "Completed",
                "container main exited with code 0",
                FailureKind.NONE));
  }

  @Test
  void aNonZeroExitIsAnApplicationFailure() {
    Pod pod = pod("report-r1-a", "Failed", exited("main", 3, "Error", null));

    RunOutcome outcome = PodFailures.classify(List.of(pod));

    assertThat(outcome.kind()).isEqualTo(FailureKind.APPLICATION);
    assertThat(outcome.reason()).isEqualTo("Error");
    assertThat(outcome.message()).isEqualTo("container main exited with code 3");
    assertThat(outcome.pods())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.pod()).isEqualTo("report-r1-a");
              assertThat(o.container()).isEqualTo("main");
              assertThat(o.exitCode()).isEqualTo(3);
              assertThat(o.kind()).isEqualTo(FailureKind.APPLICATION);
            });
  }

  @Test
  void oomKilledIsAnApplicationFailureAndTheMessageSaysSo() {
    Pod pod = pod("report-r1-a", "Failed", exited("main", 137, "OOMKilled", null));

    RunOutcome outcome = PodFailures.classify(List.of(pod));

    assertThat(outcome.kind()).isEqualTo(FailureKind.APPLICATION);
    assertThat(outcome.reason()).isEqualTo("OOMKilled");
    assertThat(outcome.message())
        .isEqualTo("container main exited with code 137 (OOMKilled: it ran out of memory)");
  }

  @Test
  void theTerminationMessageAddsItsFirstLineShortened() {
    Pod pod =
        pod(
            "report-r1-a",
            "Failed",
            exited("main", 2, "Error", "  input file missing\n  at Main.run(Main.java:10)\n"));
    Pod longMessage = pod("report-r1-b", "Failed", exited("main", 2, "Error", "x".repeat(1000)));

    assertThat(PodFailures.classify(List.of(pod)).message())
        .isEqualTo("container main exited with code 2: input file missing");
    assertThat(PodFailures.classify(List.of(longMessage)).message())
        .hasSize("container main exited with code 2: ".length() + 303)
        .endsWith("x...");
  }

  static Stream<Arguments> podLevelInfrastructureFailures() {
    return Stream.of(
        Arguments.of(
            "Evicted",
            "The node was low on resource: memory.",
            "pod report-r1-a evicted: The node was low on resource: memory."),
        Arguments.of(
            "NodeLost",
            "Node node-3 which was running pod report-r1-a is unresponsive",
            "pod report-r1-a lost its node: Node node-3 which was running pod report-r1-a is"
                + " unresponsive"),
        Arguments.of(
            "Shutdown",
            "Pod was terminated in response to imminent node shutdown.",
            "pod report-r1-a terminated by a node shutdown: Pod was terminated in response to"
                + " imminent node shutdown."),
        Arguments.of(
            "Terminated",
            "Pod was terminated in response to imminent node shutdown.",
            "pod report-r1-a terminated by its node: Pod was terminated in response to imminent"
                + " node shutdown."),
        Arguments.of(
            "OutOfcpu",
            "Node didn't have enough resource: cpu, requested: 4000, used: 0, capacity: 2000",
            "pod report-r1-a rejected by its node (OutOfcpu): Node didn't have enough resource:"
                + " cpu, requested: 4000, used: 0, capacity: 2000"),
        Arguments.of(
            "UnexpectedAdmissionError",
            null,
            "pod report-r1-a rejected by its node (UnexpectedAdmissionError)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("podLevelInfrastructureFailures")
  void podLevelReasonsOfTheClusterAreInfrastructureFailures(
      String reason, String message, String expected) {
    Pod pod = pod("report-r1-a", "Failed", exited("main", 137, "Error", null));
    pod.getStatus().setReason(reason);
    pod.getStatus().setMessage(message);

    RunOutcome outcome = PodFailures.classify(List.of(pod));

    assertThat(outcome.kind()).isEqualTo(FailureKind.INFRASTRUCTURE);
    assertThat(outcome.reason()).isEqualTo(reason);
    assertThat(outcome.message()).isEqualTo(expected);
    assertThat(outcome.pods())
        .as("the killed container is listed but is not the application's failure")
        .containsExactly(
            new PodOutcome("report-r1-a", null, null, reason, expected, FailureKind.INFRASTRUCTURE),
            new PodOutcome(
                "report-r1-a",
                "main",
                137,
                "Error",
                "container main exited with code 137",
                FailureKind.NONE));
  }

  @Test
  void aDisruptionTargetConditionIsAnInfrastructureFailure() {
    Pod pod = pod("report-r1-a", "Failed", exited("main", 143, "Error", null));
    pod.getStatus()
        .getConditions()
        .add(
            new PodConditionBuilder()
                .withType("DisruptionTarget")
                .withStatus("True")
                .withReason("PreemptionByScheduler")
                .withMessage("Preempted in order to admit critical pod")
                .build());

    RunOutcome outcome = PodFailures.classify(List.of(pod));

    assertThat(outcome.kind()).isEqualTo(FailureKind.INFRASTRUCTURE);
    assertThat(outcome.reason()).isEqualTo("PreemptionByScheduler");
    assertThat(outcome.message())
        .isEqualTo(
            "pod report-r1-a disrupted (PreemptionByScheduler): Preempted in order to admit"
                + " critical pod");
  }

  @Test
  void aDisruptionTargetConditionThatIsFalseIsIgnored() {
    Pod pod = pod("report-r1-a", "Failed", exited("main", 1, "Error", null));
    pod.getStatus()
        .getConditions()
        .add(new PodConditionBuilder().withType("DisruptionTarget").withStatus("False").build());

    assertThat(PodFailures.classify(List.of(pod)).kind()).isEqualTo(FailureKind.APPLICATION);
  }

  static Stream<Arguments> containersThatCannotStart() {
    return Stream.of(
        Arguments.of(
            waiting("main", "ErrImagePull", "rpc error: pull access denied"),
            "ErrImagePull",
            "container main cannot pull its image: rpc error: pull access denied"),
        Arguments.of(
            waiting("main", "ImagePullBackOff", "Back-off pulling image \"ghcr.io/x:9\""),
            "ImagePullBackOff",
            "container main cannot pull its image: Back-off pulling image \"ghcr.io/x:9\""),
        Arguments.of(
            waiting("main", "InvalidImageName", "couldn't parse image name \"UPPER\""),
            "InvalidImageName",
            "container main has an invalid image name: couldn't parse image name \"UPPER\""),
        Arguments.of(
            waiting("main", "CreateContainerConfigError", "secret \"db\" not found"),
            "CreateContainerConfigError",
            "container main cannot be configured: secret \"db\" not found"),
        Arguments.of(
            waiting("main", "CreateContainerError", "context deadline exceeded"),
            "CreateContainerError",
            "container main cannot be created: context deadline exceeded"),
        Arguments.of(
            exited("main", 128, "ContainerCannotRun", "exec: \"run.sh\": not found"),
            "ContainerCannotRun",
            "container main could not start (exit code 128): exec: \"run.sh\": not found"),
        Arguments.of(
            exited("main", 128, "StartError", "failed to create containerd task"),
            "StartError",
            "container main could not start (exit code 128): failed to create containerd task"),
        Arguments.of(
            exited("main", 137, "ContainerStatusUnknown", "The container could not be located"),
            "ContainerStatusUnknown",
            "container main was lost with its node (exit code 137): The container could not be"
                + " located"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("containersThatCannotStart")
  void containersThatCannotStartAreInfrastructureFailures(
      ContainerStatus status, String reason, String message) {
    Pod pod = pod("report-r1-a", "Pending", status);

    RunOutcome outcome = PodFailures.classify(List.of(pod));

    assertThat(outcome.kind()).isEqualTo(FailureKind.INFRASTRUCTURE);
    assertThat(outcome.reason()).isEqualTo(reason);
    assertThat(outcome.message()).isEqualTo(message);
  }

  @Test
  void anApplicationFailureOutweighsInfrastructureFailuresOfTheSameRun() {
    Pod evicted = pod("report-r1-a", "Failed");
    evicted.getStatus().setReason("Evicted");
    Pod exited = pod("report-r1-b", "Failed", exited("main", 3, "Error", null));

    RunOutcome outcome = PodFailures.classify(List.of(evicted, exited));

    assertThat(outcome.kind()).isEqualTo(FailureKind.APPLICATION);
    assertThat(outcome.message())
        .isEqualTo("container main exited with code 3 (and 1 more failed pod)");
    assertThat(outcome.pods())
        .extracting(PodOutcome::pod)
        .containsExactly("report-r1-a", "report-r1-b");
  }

  @Test
  void theFirstFailureInCreationOrderGivesTheMessage() {
    Pod third = pod("report-r1-c", "Failed", exited("main", 5, "Error", null));
    third.getMetadata().setCreationTimestamp("2026-11-23T10:03:00Z");
    Pod first = pod("report-r1-z", "Failed", exited("main", 4, "Error", null));
    first.getMetadata().setCreationTimestamp("2026-11-23T10:01:00Z");
    Pod second = pod("report-r1-b", "Failed", exited("main", 6, "Error", null));
    second.getMetadata().setCreationTimestamp("2026-11-23T10:02:00+00:00");

    RunOutcome outcome = PodFailures.classify(List.of(third, second, first));

    assertThat(outcome.message())
        .isEqualTo("container main exited with code 4 (and 2 more failed pods)");
    assertThat(outcome.pods())
        .extracting(PodOutcome::pod)
        .containsExactly("report-r1-z", "report-r1-b", "report-r1-c");
  }

  @Test
  void anInitContainerThatFailsIsAnApplicationFailure() {
    Pod pod = pod("report-r1-a", "Failed");
    pod.getStatus().getInitContainerStatuses().add(exited("migrate", 1, "Error", null));
    pod.getStatus().getContainerStatuses().add(waiting("main", "PodInitializing", null));

    RunOutcome outcome = PodFailures.classify(List.of(pod));

    assertThat(outcome.kind()).isEqualTo(FailureKind.APPLICATION);
    assertThat(outcome.message()).isEqualTo("container migrate exited with code 1");
    assertThat(outcome.pods()).hasSize(1);
  }

  @Test
  void aSidecarKilledWhenThePodEndsIsNotTheFailure() {
    Pod pod = pod("report-r1-a", "Failed", exited("main", 3, "Error", null));
    pod.getSpec()
        .getInitContainers()
        .add(new ContainerBuilder().withName("proxy").withRestartPolicy("Always").build());
    pod.getStatus().getInitContainerStatuses().add(exited("proxy", 143, "Error", null));

    RunOutcome outcome = PodFailures.classify(List.of(pod));

    assertThat(outcome.pods())
        .extracting(PodOutcome::container, PodOutcome::exitCode, PodOutcome::kind)
        .containsExactly(
            tuple("proxy", 143, FailureKind.NONE), tuple("main", 3, FailureKind.APPLICATION));
    assertThat(outcome.kind()).isEqualTo(FailureKind.APPLICATION);
    assertThat(outcome.message()).isEqualTo("container main exited with code 3");
  }

  @Test
  void aNonZeroExitInASucceededPodIsNotAFailure() {
    Pod pod =
        pod(
            "report-r1-a",
            "Succeeded",
            exited("main", 0, "Completed", null),
            exited("helper", 137, "Error", null));

    assertThat(PodFailures.classify(List.of(pod)).kind()).isEqualTo(FailureKind.NONE);
  }

  @Test
  void aContainerInCrashLoopBackOffFailsWithItsLastExitCode() {
    ContainerStatus crashing = waiting("main", "CrashLoopBackOff", "back-off 40s restarting");
    crashing.setLastState(exited("main", 42, "Error", null).getState());
    Pod pod = pod("report-r1-a", "Running", crashing);

    RunOutcome outcome = PodFailures.classify(List.of(pod));

    assertThat(outcome.kind()).isEqualTo(FailureKind.APPLICATION);
    assertThat(outcome.message()).isEqualTo("container main exited with code 42");
  }

  @Test
  void runningAndPendingPodsAreNoFailureAndListNothing() {
    ContainerStatus running =
        new ContainerStatusBuilder()
            .withName("main")
            .withNewState()
            .withNewRunning()
            .withStartedAt(CREATED)
            .endRunning()
            .endState()
            .build();
    Pod runningPod = pod("report-r1-a", "Running", running);
    Pod creating = pod("report-r1-b", "Pending", waiting("main", "ContainerCreating", null));
    Pod noStatus = pod("report-r1-c", "Pending");
    noStatus.setStatus(null);

    RunOutcome outcome = PodFailures.classify(List.of(runningPod, creating, noStatus));

    assertThat(outcome).isEqualTo(new RunOutcome(List.of(), FailureKind.NONE, null, null));
    assertThat(PodFailures.classify(List.of()).kind()).isEqualTo(FailureKind.NONE);
  }

  @Test
  void aFailedPodWithoutContainerStatusesIsAnInfrastructureFailure() {
    Pod pod = pod("report-r1-a", "Failed");
    pod.getStatus().setMessage("Pod was rejected: Predicate NodePorts failed");

    RunOutcome outcome = PodFailures.classify(List.of(pod));

    assertThat(outcome.kind()).isEqualTo(FailureKind.INFRASTRUCTURE);
    assertThat(outcome.reason()).isEqualTo("Failed");
    assertThat(outcome.message())
        .isEqualTo("pod report-r1-a failed: Pod was rejected: Predicate NodePorts failed");
  }

  @Test
  void anImagePullErrorLongerThanTheGraceIsStuck() {
    Pod pod =
        pod(
            "report-r1-a",
            "Pending",
            waiting("main", "ImagePullBackOff", "Back-off pulling image \"ghcr.io/x:9\""));

    Optional<RunOutcome> early = PodFailures.stuck(List.of(pod), STARTED.plus(GRACE), GRACE);
    Optional<RunOutcome> late =
        PodFailures.stuck(List.of(pod), STARTED.plus(GRACE).plusSeconds(1), GRACE);

    assertThat(early).isEmpty();
    assertThat(late)
        .hasValueSatisfying(
            outcome -> {
              assertThat(outcome.kind()).isEqualTo(FailureKind.INFRASTRUCTURE);
              assertThat(outcome.reason()).isEqualTo("ImagePullBackOff");
              assertThat(outcome.message())
                  .isEqualTo(
                      "container main cannot pull its image (waiting for more than 5m): Back-off"
                          + " pulling image \"ghcr.io/x:9\"");
              assertThat(outcome.pods())
                  .singleElement()
                  .satisfies(o -> assertThat(o.container()).isEqualTo("main"));
            });
  }

  @Test
  void waitingIsCountedFromTheLastTerminationThenThePodsStartThenItsCreation() {
    ContainerStatus restarted = waiting("main", "CreateContainerConfigError", null);
    restarted.setLastState(exited("main", 1, "Error", null).getState());
    restarted.getLastState().getTerminated().setFinishedAt("2026-11-23T10:20:00Z");
    Pod afterRestart = pod("report-r1-a", "Pending", restarted);
    Pod notStarted = pod("report-r1-b", "Pending", waiting("main", "InvalidImageName", null));
    notStarted.getStatus().setStartTime(null);
    Instant at = Instant.parse("2026-11-23T10:10:00Z");

    assertThat(PodFailures.stuck(List.of(afterRestart), at, GRACE)).isEmpty();
    assertThat(PodFailures.stuck(List.of(afterRestart), at.plus(Duration.ofMinutes(16)), GRACE))
        .isPresent();
    assertThat(
            PodFailures.stuck(List.of(notStarted), Instant.parse(CREATED).plusSeconds(301), GRACE))
        .hasValueSatisfying(
            o ->
                assertThat(o.message())
                    .isEqualTo(
                        "container main has an invalid image name (waiting for more than 5m)"));
  }

  @Test
  void onlyErrorsThatNeverClearByThemselvesInUnfinishedPodsAreStuck() {
    Instant muchLater = STARTED.plus(Duration.ofHours(2));
    Pod creating = pod("report-r1-a", "Pending", waiting("main", "ContainerCreating", null));
    Pod crashing = pod("report-r1-b", "Running", waiting("main", "CrashLoopBackOff", null));
    Pod failed =
        pod("report-r1-c", "Failed", waiting("main", "ImagePullBackOff", "Back-off pulling"));

    assertThat(PodFailures.stuck(List.of(creating, crashing, failed), muchLater, GRACE)).isEmpty();
  }

  @Test
  void everyStuckContainerIsListed() {
    Pod a = pod("report-r1-a", "Pending", waiting("main", "ErrImagePull", null));
    Pod b = pod("report-r1-b", "Pending", waiting("main", "CreateContainerError", null));

    Optional<RunOutcome> outcome =
        PodFailures.stuck(List.of(a, b), STARTED.plus(Duration.ofMinutes(90)), Duration.ofHours(1));

    assertThat(outcome)
        .hasValueSatisfying(
            o -> {
              assertThat(o.pods()).hasSize(2);
              assertThat(o.message())
                  .isEqualTo(
                      "container main cannot pull its image (waiting for more than 1h)"
                          + " (and 1 more failed pod)");
            });
  }

  /** Through JSON, as the informer delivers it: absent lists are empty, not null. */
  private static Pod pod(String name, String phase, ContainerStatus... containers) {
    return Serialization.clone(
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("team-a")
            .withCreationTimestamp(CREATED)
            .endMetadata()
            .withNewSpec()
            .withContainers(new ContainerBuilder().withName("main").build())
            .endSpec()
            .withNewStatus()
            .withPhase(phase)
            .withStartTime(STARTED.toString())
            .withContainerStatuses(containers)
            .endStatus()
            .build());
  }

  private static ContainerStatus exited(String name, int code, String reason, String message) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withNewState()
        .withNewTerminated()
        .withExitCode(code)
        .withReason(reason)
        .withMessage(message)
        .withStartedAt("2026-11-23T10:00:05Z")
        .withFinishedAt("2026-11-23T10:01:00Z")
        .endTerminated()
        .endState()
        .build();
  }

  private static ContainerStatus waiting(String name, String reason, String message) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withNewState()
        .withNewWaiting(message, reason)
        .endState()
        .build();
  }
}
