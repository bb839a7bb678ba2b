package io.jobplane.domain;

/**
 * Named setters for a {@link JobDefinition}, from the shared defaults; the record validates on
 * {@link #build}.
 */
public final class JobDefinitionBuilder {
  private String name;
  private String type;
  private String project = JobDefinition.DEFAULT_PROJECT;
  private Labels labels;
  private JobInput input;
  private int maxAttempts = JobDefinition.DEFAULT_MAX_ATTEMPTS;
  private int priority;
  private String queue = JobDefinition.DEFAULT_QUEUE;
  private JobRuntime runtime = JobRuntime.WORKER;
  private Integer timeoutSeconds;
  private int parallelism = 1;
  private WorkerCommand command;
  private KubernetesPlacement kubernetes;
  private WorkerPlacement placement;

  JobDefinitionBuilder() {}

  public JobDefinitionBuilder name(String value) {
    this.name = value;
    return this;
  }

  public JobDefinitionBuilder type(String value) {
    this.type = value;
    return this;
  }

  public JobDefinitionBuilder project(String value) {
    this.project = value;
    return this;
  }

  public JobDefinitionBuilder labels(Labels value) {
    this.labels = value;
    return this;
  }

  public JobDefinitionBuilder input(JobInput value) {
    this.input = value;
    return this;
  }

  public JobDefinitionBuilder maxAttempts(int value) {
    this.maxAttempts = value;
    return this;
  }

  public JobDefinitionBuilder priority(int value) {
    this.priority = value;
    return this;
  }

  public JobDefinitionBuilder queue(String value) {
    this.queue = value;
    return this;
  }

  public JobDefinitionBuilder runtime(JobRuntime value) {
    this.runtime = value;
    return this;
  }

  public JobDefinitionBuilder timeoutSeconds(Integer value) {
    this.timeoutSeconds = value;
    return this;
  }

  public JobDefinitionBuilder parallelism(int value) {
    this.parallelism = value;
    return this;
  }

  public JobDefinitionBuilder command(WorkerCommand value) {
    this.command = value;
    return this;
  }

  public JobDefinitionBuilder placement(WorkerPlacement value) {
    this.placement = value;
    return this;
  }

  public JobDefinitionBuilder kubernetes(KubernetesPlacement value) {
    this.kubernetes = value;
    return this;
  }

  public JobDefinition build() {
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
        parallelism,
        command,
        kubernetes,
        placement);
  }
}
