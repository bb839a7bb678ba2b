package io.jobplane.application.testing;

import io.jobplane.domain.Job;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobInput;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.KubernetesPlacement;
import io.jobplane.domain.Labels;
import io.jobplane.domain.StopMode;
import io.jobplane.domain.WorkerCommand;
import io.jobplane.domain.WorkerPlacement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds jobs in any status by walking the real {@link Job} transitions, so test data can only be
 * in states the domain can reach: {@code JobTestData.aJob().withStatus(RUNNING).build()}. {@link
 * #buildJob()} keeps the uncommitted events, so {@code repository.insert(builder.buildJob())}
 * stores the whole timeline.
 */
public final class JobTestData {

  private static final String SOURCE = "test";

  private JobId id = JobId.random();
  private String name = "nightly-report";
  private String type = "report";
  private String project = JobDefinition.DEFAULT_PROJECT;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private String inputJson = "{}";
  private int maxAttempts = 3;
  private int priority = 0;
  private String queue = JobDefinition.DEFAULT_QUEUE;
  private Integer timeoutSeconds;
  private int parallelism = 1;
  private String createdBy = "alice";
  private Instant createdAt = MutableClock.DEFAULT_START;
  private JobStatus status = JobStatus.QUEUED;
  private Integer progress;
  private KubernetesPlacement kubernetes;
  private WorkerCommand command;
  private WorkerPlacement placement;

  private JobTestData() {}

  public static JobTestData aJob() {
    return new JobTestData();
  }

  public JobTestData withId(JobId value) {
    this.id = value;
    return this;
  }

  public JobTestData withName(String value) {
    this.name = value;
    return this;
  }

  public JobTestData withType(String value) {
    this.type = value;
    return this;
  }

  public JobTestData inProject(String value) {
    this.project = value;
    return this;
  }

  public JobTestData withLabel(String key, String value) {
    this.labels.put(key, value);
    return this;
  }

  public JobTestData withInput(String json) {
    this.inputJson = json;
    return this;
  }

  public JobTestData withMaxAttempts(int value) {
    this.maxAttempts = value;
    return this;
  }

  public JobTestData withPriority(int value) {
    this.priority = value;
    return this;
  }

  public JobTestData inQueue(String value) {
    this.queue = value;
    return this;
  }

  public JobTestData withTimeoutSeconds(Integer value) {
    this.timeoutSeconds = value;
    return this;
  }

  public JobTestData withParallelism(int value) {
    this.parallelism = value;
    return this;
  }

  public JobTestData createdBy(String value) {
    this.createdBy = value;
    return this;
  }

  public JobTestData createdAt(Instant value) {
    this.createdAt = value;
    return this;
  }

  public JobTestData withStatus(JobStatus value) {
    this.status = value;
    return this;
  }

  /** Progress reported while running; only for RUNNING and STOPPING and the states after them. */
  public JobTestData withProgress(Integer value) {
    this.progress = value;
    return this;
  }

  /** A job of runtime kubernetes, placed as given. */
  public JobTestData placedOn(KubernetesPlacement value) {
    this.kubernetes = value;
    return this;
  }

  /** The program a worker runs, with its environment (plain and secret references). */
  public JobTestData withCommand(WorkerCommand value) {
    this.command = value;
    return this;
  }

  public JobTestData placedBy(WorkerPlacement value) {
    this.placement = value;
    return this;
  }

  public JobDefinition definition() {
    return new JobDefinition(
        name,
        type,
        project,
        new Labels(labels),
        new JobInput(inputJson),
        maxAttempts,
        priority,
        queue,
        kubernetes == null ? JobRuntime.WORKER : JobRuntime.KUBERNETES,
        timeoutSeconds,
        parallelism,
        command,
        kubernetes,
        placement);
  }

  public JobSnapshot build() {
    return buildJob().snapshot();
  }

  /** The job with its whole history as uncommitted events (version 0, never stored). */
  public Job buildJob() {
    Instant t = createdAt;
    Job job = Job.submit(id, definition(), createdBy, t, SOURCE);
    if (status == JobStatus.PENDING) {
      return job;
    }
    if (status == JobStatus.SUSPENDED) {
      job.suspend(t = t.plusMillis(1), SOURCE);
      return job;
    }
    if (status == JobStatus.SKIPPED) {
      job.skip(JobId.random(), JobStatus.FAILED, t.plusMillis(1), SOURCE);
      return job;
    }
    job.enqueue(t = t.plusMillis(1), SOURCE);
    switch (status) {
      case QUEUED -> {}
      case REJECTED ->
          job.reject(
              new JobError("NO_WORKER", "no worker serves this type"), t.plusMillis(1), SOURCE);
      case STOPPED -> job.requestStop(StopMode.GRACEFUL, null, t.plusMillis(1), SOURCE);
      default -> {
        job.start(t = t.plus(Duration.ofSeconds(1)), SOURCE);
        if (progress != null) {
          job.reportProgress(progress, t = t.plusMillis(1));
        }
        Instant end = t.plus(Duration.ofSeconds(10));
        switch (status) {
          case RUNNING -> {}
          case STOPPING -> job.requestStop(StopMode.GRACEFUL, 30, end, SOURCE);
          case SUCCEEDED -> job.succeed(end, SOURCE);
          case FAILED -> job.fail(new JobError("EXIT_CODE", "process exited with 1"), end, SOURCE);
          case TIMED_OUT -> job.timeOut(end, SOURCE);
          case PARTIALLY_FAILED ->
              job.partiallyFail(
                  new JobError("PARTIAL_FAILURE", "1 of 2 tasks did not succeed"), end, SOURCE);
          default -> throw new IllegalStateException("unhandled status " + status);
        }
      }
    }
    return job;
  }
}
