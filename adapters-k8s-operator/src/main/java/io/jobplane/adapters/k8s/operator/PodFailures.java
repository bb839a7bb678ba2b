package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Tells from a run's pods whether and why the run failed: the application (a container exited
 * non-zero) or the infrastructure (eviction, node loss, image pull, a container that cannot be
 * created). Pure: pods come in, the clock comes in as {@code now}.
 */
public final class PodFailures {

  private static final String REJECTED = "rejected by its node";

  /** Pod-level reasons the kubelet or the node lifecycle controller set when the cluster fails. */
  static final Map<String, String> INFRASTRUCTURE_POD_REASONS =
      Map.of(
          "Evicted", "evicted",
          "NodeLost", "lost its node",
          "Shutdown", "terminated by a node shutdown",
          "NodeShutdown", "terminated by a node shutdown",
          "Terminated", "terminated by its node",
          "Preempting", "preempted by its node",
          "UnexpectedAdmissionError", REJECTED,
          "NodeAffinity", REJECTED);

  /** Waiting reasons of a container that cannot start; none of them is the application's exit. */
  static final Map<String, String> INFRASTRUCTURE_WAITING_REASONS =
      Map.of(
          "ErrImagePull", "cannot pull its image",
          "ImagePullBackOff", "cannot pull its image",
          "ErrImageNeverPull", "cannot pull its image",
          "InvalidImageName", "has an invalid image name",
          "CreateContainerConfigError", "cannot be configured",
          "CreateContainerError", "cannot be created",
          "RunContainerError", "cannot be started");

  /** Waiting reasons that never clear by themselves: the batch Job would wait forever. */
  static final Set<String> STUCK_WAITING_REASONS =
      Set.of(
          "ErrImagePull",
          "ImagePullBackOff",
          "ErrImageNeverPull",
          "InvalidImageName",
          "CreateContainerConfigError",
          "CreateContainerError");

  /** Terminated reasons for a container the runtime could not run or lost track of. */
  static final Map<String, String> INFRASTRUCTURE_TERMINATED_REASONS =
      Map.of(
          "ContainerCannotRun", "could not start",
          "StartError", "could not start",
          "ContainerStatusUnknown", "was lost with its node");

  static final String DISRUPTION_TARGET = "DisruptionTarget";
  static final String OOM_KILLED = "OOMKilled";

  /** Kubelet admission rejects a pod with OutOfcpu, OutOfmemory, OutOfpods, ... */
  private static final String OUT_OF = "OutOf";

  private static final int MAX_DETAIL = 300;

  private PodFailures() {}

  /**
   * The outcome of the run whose pods are {@code pods} (any phase). An application failure
   * outweighs infrastructure failures in the same run: retrying does not fix the code. Containers
   * of a pod that the cluster failed (evicted, lost) are listed but not counted as application
   * failures, since they were killed; native sidecars (init containers with restartPolicy Always)
   * are killed when the pod ends and are never counted either. A container waiting with an
   * image-pull or configuration error counts as an infrastructure failure at once, although the
   * kubelet keeps trying: {@link #stuck} says when to give up on it.
   */
  public static RunOutcome classify(List<Pod> pods) {
    List<PodOutcome> outcomes = new ArrayList<>();
    for (Pod pod : inCreationOrder(pods)) {
      outcomes.addAll(outcomesOf(pod));
    }
    return summarize(outcomes);
  }

  /**
   * An infrastructure failure when a container of an unfinished pod has been waiting with an
   * image-pull or configuration error for longer than {@code grace}: the batch Job would wait
   * forever otherwise. A container has been waiting since its last termination, else since the pod
   * started, else since the pod was created.
   */
  public static Optional<RunOutcome> stuck(List<Pod> pods, Instant now, Duration grace) {
    List<PodOutcome> outcomes = new ArrayList<>();
    for (Pod pod : inCreationOrder(pods)) {
      PodStatus status = pod.getStatus();
      if (status == null || "Succeeded".equals(status.getPhase()) || isFailed(status)) {
        continue;
      }
      for (ContainerStatus container : containerStatuses(status)) {
        String reason = waitingReason(container);
        Instant since = waitingSince(pod, container);
        if (STUCK_WAITING_REASONS.contains(reason)
            && since != null
            && Duration.between(since, now).compareTo(grace) > 0) {
          outcomes.add(
              cannotStart(name(pod), container, " (waiting for more than " + human(grace) + ")"));
        }
      }
    }
    return outcomes.isEmpty() ? Optional.empty() : Optional.of(summarize(outcomes));
  }

  private static List<PodOutcome> outcomesOf(Pod pod) {
    PodStatus status = pod.getStatus();
    if (status == null) {
      return List.of();
    }
    String podName = name(pod);
    List<PodOutcome> outcomes = new ArrayList<>();
    podLevelFailure(podName, status).ifPresent(outcomes::add);
    boolean clusterFailedPod = !outcomes.isEmpty();
    boolean succeeded = "Succeeded".equals(status.getPhase());
    Set<String> sidecars = sidecars(pod);
    for (ContainerStatus container : containerStatuses(status)) {
      containerOutcome(
              podName,
              container,
              succeeded || clusterFailedPod || sidecars.contains(container.getName()))
          .ifPresent(outcomes::add);
    }
    boolean anyFailure = outcomes.stream().anyMatch(o -> o.kind() != FailureKind.NONE);
    if (isFailed(status) && !anyFailure) {
      // failed with no container exit to blame: the kubelet or the node gave up on it
      outcomes.add(
          infrastructure(
              podName,
              null,
              null,
              status.getReason() == null ? "Failed" : status.getReason(),
              line("pod " + podName + " failed", status.getMessage())));
    }
    return outcomes;
  }

  private static Optional<PodOutcome> podLevelFailure(String podName, PodStatus status) {
    String reason = status.getReason();
    if (reason != null
        && (INFRASTRUCTURE_POD_REASONS.containsKey(reason) || reason.startsWith(OUT_OF))) {
      String what = INFRASTRUCTURE_POD_REASONS.getOrDefault(reason, REJECTED);
      String prefix =
          "pod " + podName + " " + what + (REJECTED.equals(what) ? " (" + reason + ")" : "");
      return Optional.of(
          infrastructure(podName, null, null, reason, line(prefix, status.getMessage())));
    }
    return list(status.getConditions()).stream()
        .filter(c -> DISRUPTION_TARGET.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst()
        .map(c -> disrupted(podName, c));
  }

  private static PodOutcome disrupted(String podName, PodCondition condition) {
    String reason = condition.getReason() == null ? DISRUPTION_TARGET : condition.getReason();
    return infrastructure(
        podName,
        null,
        null,
        reason,
        line("pod " + podName + " disrupted (" + reason + ")", condition.getMessage()));
  }

  /**
   * @param notItsFault the pod succeeded, the cluster failed it, or the container is a sidecar: a
   *     non-zero exit is then not an application failure
   */
  private static Optional<PodOutcome> containerOutcome(
      String podName, ContainerStatus container, boolean notItsFault) {
    String name = container.getName();
    if (INFRASTRUCTURE_WAITING_REASONS.containsKey(waitingReason(container))) {
      return Optional.of(cannotStart(podName, container, ""));
    }
    ContainerStateTerminated terminated = terminated(container);
    if (terminated == null) {
      return Optional.empty();
    }
    Integer exitCode = terminated.getExitCode();
    String reason = terminated.getReason();
    if (reason != null && INFRASTRUCTURE_TERMINATED_REASONS.containsKey(reason)) {
      return Optional.of(
          infrastructure(
              podName,
              name,
              exitCode,
              reason,
              line(
                  "container "
                      + name
                      + " "
                      + INFRASTRUCTURE_TERMINATED_REASONS.get(reason)
                      + (exitCode == null ? "" : " (exit code " + exitCode + ")"),
                  terminated.getMessage())));
    }
    boolean failed = exitCode != null && exitCode != 0;
    String prefix = "container " + name + " exited with code " + exitCode;
    if (OOM_KILLED.equals(reason)) {
      prefix += " (OOMKilled: it ran out of memory)";
    }
    return Optional.of(
        new PodOutcome(
            podName,
            name,
            exitCode,
            reason,
            line(prefix, terminated.getMessage()),
            failed && !notItsFault ? FailureKind.APPLICATION : FailureKind.NONE));
  }

  /** A container waiting with one of the {@link #INFRASTRUCTURE_WAITING_REASONS}. */
  private static PodOutcome cannotStart(String podName, ContainerStatus container, String suffix) {
    String reason = waitingReason(container);
    return infrastructure(
        podName,
        container.getName(),
        null,
        reason,
        line(
            "container "
                + container.getName()
                + " "
                + INFRASTRUCTURE_WAITING_REASONS.get(reason)
                + suffix,
            container.getState().getWaiting().getMessage()));
  }

  private static PodOutcome infrastructure(
      String podName, String container, Integer exitCode, String reason, String message) {
    return new PodOutcome(
        podName, container, exitCode, reason, message, FailureKind.INFRASTRUCTURE);
  }

  /** The reason the container is waiting, or "" when it is not waiting. */
  private static String waitingReason(ContainerStatus container) {
    ContainerState state = container.getState();
    if (state == null || state.getWaiting() == null || state.getWaiting().getReason() == null) {
      return "";
    }
    return state.getWaiting().getReason();
  }

  /** The current termination, or the last one of a container waiting to restart after it. */
  private static ContainerStateTerminated terminated(ContainerStatus container) {
    ContainerState state = container.getState();
    if (state != null && state.getTerminated() != null) {
      return state.getTerminated();
    }
    ContainerState last = container.getLastState();
    if (state != null && state.getWaiting() != null && last != null) {
      return last.getTerminated();
    }
    return null;
  }

  private static RunOutcome summarize(List<PodOutcome> outcomes) {
    FailureKind kind =
        outcomes.stream().anyMatch(o -> o.kind() == FailureKind.APPLICATION)
            ? FailureKind.APPLICATION
            : outcomes.stream().anyMatch(o -> o.kind() == FailureKind.INFRASTRUCTURE)
                ? FailureKind.INFRASTRUCTURE
                : FailureKind.NONE;
    if (kind == FailureKind.NONE) {
      return new RunOutcome(outcomes, kind, null, null);
    }
    PodOutcome first = outcomes.stream().filter(o -> o.kind() == kind).findFirst().orElseThrow();
    long otherFailedPods =
        outcomes.stream()
            .filter(o -> o.kind() != FailureKind.NONE && !o.pod().equals(first.pod()))
            .map(PodOutcome::pod)
            .distinct()
            .count();
    String message =
        otherFailedPods == 0
            ? first.message()
            : first.message()
                + " (and "
                + otherFailedPods
                + " more failed pod"
                + (otherFailedPods == 1 ? ")" : "s)");
    return new RunOutcome(outcomes, kind, first.reason(), message);
  }

  private static boolean isFailed(PodStatus status) {
    return "Failed".equals(status.getPhase());
  }

  private static Instant waitingSince(Pod pod, ContainerStatus container) {
    ContainerState last = container.getLastState();
    if (last != null && last.getTerminated() != null) {
      Instant finished = instant(last.getTerminated().getFinishedAt());
      if (finished != null) {
        return finished;
      }
    }
    Instant started = instant(pod.getStatus().getStartTime());
    return started != null ? started : instant(pod.getMetadata().getCreationTimestamp());
  }

  private static List<ContainerStatus> containerStatuses(PodStatus status) {
    List<ContainerStatus> all = new ArrayList<>(list(status.getInitContainerStatuses()));
    all.addAll(list(status.getContainerStatuses()));
    return all;
  }

  /** Init containers with restartPolicy Always run beside the main containers until they end. */
  private static Set<String> sidecars(Pod pod) {
    if (pod.getSpec() == null) {
      return Set.of();
    }
    return list(pod.getSpec().getInitContainers()).stream()
        .filter(c -> "Always".equals(c.getRestartPolicy()))
        .map(Container::getName)
        .collect(Collectors.toSet());
  }

  private static List<Pod> inCreationOrder(List<Pod> pods) {
    Function<Pod, Instant> created =
        p -> p.getMetadata() == null ? null : instant(p.getMetadata().getCreationTimestamp());
    return pods.stream()
        .sorted(
            Comparator.comparing(created, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(PodFailures::name))
        .toList();
  }

  private static String name(Pod pod) {
    return pod.getMetadata() == null ? "" : String.valueOf(pod.getMetadata().getName());
  }

  private static Instant instant(String timestamp) {
    if (timestamp == null || timestamp.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(timestamp).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** {@code prefix: first line of detail}, the detail cut to keep the message one short line. */
  private static String line(String prefix, String detail) {
    if (detail == null || detail.isBlank()) {
      return prefix;
    }
    String first = detail.strip().lines().findFirst().orElse("");
    if (first.length() > MAX_DETAIL) {
      first = first.substring(0, MAX_DETAIL) + "...";
    }
    return prefix + ": " + first;
  }

  /** 300s -> 5m, 90s -> 90s. */
  private static String human(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds % 3600 == 0 && seconds > 0) {
      return seconds / 3600 + "h";
    }
    return seconds % 60 == 0 && seconds > 0 ? seconds / 60 + "m" : seconds + "s";
  }

  private static <T> List<T> list(List<T> values) {
    return values == null ? List.of() : values;
  }
}
