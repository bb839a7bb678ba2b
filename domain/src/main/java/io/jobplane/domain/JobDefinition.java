package io.jobplane.domain;

import java.util.Objects;

/**
 * What a submitter asks for: everything about a job that the submitter chooses. {@code placement}
 * (null: any worker of the queue) says which workers may run a worker job's tasks. Validated once
 * here, so every driver (REST, operator) gets the same rules.
 */
public record JobDefinition(
    String name,
    String type,
    String project,
    Labels labels,
    JobInput input,
    int maxAttempts,
    int priority,
    String queue,
    JobRuntime runtime,
    Integer timeoutSeconds,
    int parallelism,
    WorkerCommand command,
    KubernetesPlacement kubernetes,
    WorkerPlacement placement) {

  public static final String DEFAULT_PROJECT = "default";
  public static final String DEFAULT_QUEUE = "default";
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final int MAX_NAME = 200;
  public static final int MIN_PRIORITY = -1000;
  public static final int MAX_PRIORITY = 1000;
  public static final int MAX_ATTEMPTS = 100;
  public static final int MAX_PARALLELISM = 1000;
  public static final int MAX_TIMEOUT_SECONDS = 31 * 24 * 3600;

  public JobDefinition {
    Text.displayText(name, "name", MAX_NAME);
    Text.identifier(type, "type");
    Text.identifier(project, "project");
    Text.identifier(queue, "queue");
    labels = labels == null ? Labels.EMPTY : labels;
    input = input == null ? JobInput.EMPTY : input;
    Objects.requireNonNull(runtime, "runtime");
    if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
      throw DomainException.invalid("max_attempts", "must be between 1 and " + MAX_ATTEMPTS);
    }
    if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
      throw DomainException.invalid(
          "priority", "must be between " + MIN_PRIORITY + " and " + MAX_PRIORITY);
    }
    validateTimeout(timeoutSeconds);
    validateParallelism(parallelism);
    if (runtime == JobRuntime.KUBERNETES) {
      if (kubernetes == null) {
        throw DomainException.invalid(
            "kubernetes", "is required for runtime kubernetes (namespace and pod_template)");
      }
      if (command != null) {
        throw DomainException.invalid(
            "command", "is for runtime worker; a kubernetes job runs its pod_template");
      }
    } else if (kubernetes != null) {
      throw DomainException.invalid("kubernetes", "is only allowed with runtime kubernetes");
    }
    if (placement != null && runtime != JobRuntime.WORKER) {
      throw DomainException.invalid(
          placement.isBroadcast() ? "placement" : "worker_selector",
          "is for runtime worker; a kubernetes job is placed by its pod_template");
    }
  }

  /** Whether its tasks are one per live matching worker, each bound to that worker. */
  public boolean isBroadcast() {
    return placement != null && placement.isBroadcast();
  }

  static void validateTimeout(Integer timeoutSeconds) {
    if (timeoutSeconds != null && (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS)) {
      throw DomainException.invalid(
          "timeout_seconds", "must be between 1 and " + MAX_TIMEOUT_SECONDS);
    }
  }

  static void validateParallelism(int parallelism) {
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      throw DomainException.invalid("parallelism", "must be between 1 and " + MAX_PARALLELISM);
    }
  }

  public JobDefinition withParallelism(int newParallelism) {
    return toBuilder().parallelism(newParallelism).build();
  }

  /** The same definition placed elsewhere on Kubernetes (validated like any definition's). */
  public JobDefinition withKubernetes(KubernetesPlacement newPlacement) {
    return toBuilder().kubernetes(newPlacement).build();
  }

  /** The same definition with other labels (validated like any definition's). */
  public JobDefinition withLabels(Labels newLabels) {
    return toBuilder().labels(newLabels).build();
  }

  /**
   * A definition by name, starting from the defaults every entry path shares: project and queue
   * {@value #DEFAULT_PROJECT}, runtime worker, {@value #DEFAULT_MAX_ATTEMPTS} attempts, priority 0,
   * parallelism 1, no timeout, labels or input.
   */
  public static JobDefinitionBuilder builder() {
    return new JobDefinitionBuilder();
  }

  /** This definition's fields, to change some by name. */
  public JobDefinitionBuilder toBuilder() {
    return new JobDefinitionBuilder()
        .name(name)
        .type(type)
        .project(project)
        .labels(labels)
        .input(input)
        .maxAttempts(maxAttempts)
        .priority(priority)
        .queue(queue)
        .runtime(runtime)
        .timeoutSeconds(timeoutSeconds)
        .parallelism(parallelism)
        .command(command)
        .kubernetes(kubernetes)
        .placement(placement);
  }
}
