package io.jobplane.domain;

import java.util.Objects;

/**
 * What a submitter asks for: everything about a job that the submitter chooses. Validated once
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
    KubernetesPlacement kubernetes) {

  public static final String DEFAULT_PROJECT = "default";
  public static final String DEFAULT_QUEUE = "default";
  public static final int MAX_NAME = 200;
  public static final int MIN_PRIORITY = -1000;
  public static final int MAX_PRIORITY = 1000;
  public static final int MAX_ATTEMPTS = 100;
  public static final int MAX_PARALLELISM = 1000;
  public static final int MAX_TIMEOUT_SECONDS = 31 * 24 * 3600;

  /** A definition without a worker command (the worker decides what to run from type and input). */
  public JobDefinition(
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
      int parallelism) {
    this(
        name,
        type,
        project,
        labels,
        input,
        maxAttempts,
        priority,
        queue,
        runtime,
        timeoutSeconds,
        parallelism,
        null);
  }

  /** A definition of a job that is not placed on Kubernetes. */
  public JobDefinition(
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
      WorkerCommand command) {
    this(
        name,
        type,
        project,
        labels,
        input,
        maxAttempts,
        priority,
        queue,
        runtime,
        timeoutSeconds,
        parallelism,
        command,
        null);
  }

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
    return new JobDefinition(
        name,
        type,
        project,
        labels,
        input,
        maxAttempts,
        priority,
        queue,
        runtime,
        timeoutSeconds,
        newParallelism,
        command,
        kubernetes);
  }

  /** The same definition with other labels (validated like any definition's). */
  public JobDefinition withLabels(Labels newLabels) {
    return new JobDefinition(
        name,
        type,
        project,
        newLabels,
        input,
        maxAttempts,
        priority,
        queue,
        runtime,
        timeoutSeconds,
        parallelism,
        command,
        kubernetes);
  }
}
