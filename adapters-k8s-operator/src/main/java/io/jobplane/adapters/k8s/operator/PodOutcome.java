package io.jobplane.adapters.k8s.operator;

/**
 * What one container (or, with {@code container} null, the pod as a whole) of a run ended with.
 *
 * @param pod the pod's name
 * @param container the container's name; null for a pod-level outcome such as an eviction
 * @param exitCode the container's exit code; null when it did not terminate
 * @param reason Kubernetes' reason ({@code Error}, {@code OOMKilled}, {@code Evicted}, {@code
 *     ImagePullBackOff}, ...)
 * @param message one line a user understands
 * @param kind whether this is a failure, and whose
 */
public record PodOutcome(
    String pod,
    String container,
    Integer exitCode,
    String reason,
    String message,
    FailureKind kind) {}
