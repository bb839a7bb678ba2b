package io.jobplane.adapters.persistence;

import io.jobplane.domain.DesiredState;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobInput;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.Labels;
import io.jobplane.domain.StopMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** Builds job snapshots with any combination of fields for tests. */
final class TestJobs {

  static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123456Z");

  String name = "nightly import";
  String type = "etl";
  String project = "alpha";
  Map<String, String> labels = Map.of();
  String input = "{}";
  int maxAttempts = 3;
  int priority = 0;
  String queue = "default";
  Integer timeoutSeconds = null;
  int parallelism = 1;
  JobStatus status = JobStatus.QUEUED;
  int runId = 1;
  int attempt = 1;
  Integer progress = null;
  String createdBy = "alice";
  Instant createdAt = T0;
  Instant updatedAt = T0;
  Instant queuedAt = T0;
  Instant startedAt = null;
  Instant finishedAt = null;
  JobError error = null;
  DesiredState desiredState = DesiredState.RUNNING;
  StopMode stopMode = null;
  Integer stopTimeoutSeconds = null;
  String checkpointId = null;
  JobId id = JobId.random();

  static TestJobs job() {
    return new TestJobs();
  }

  TestJobs with(java.util.function.Consumer<TestJobs> change) {
    change.accept(this);
    return this;
  }

  JobSnapshot snapshot() {
    return JobSnapshot.builder()
        .id(id)
        .definition(
            JobDefinition.builder()
                .name(name)
                .type(type)
                .project(project)
                .labels(new Labels(labels))
                .input(new JobInput(input))
                .maxAttempts(maxAttempts)
                .priority(priority)
                .queue(queue)
                .runtime(JobRuntime.WORKER)
                .timeoutSeconds(timeoutSeconds)
                .parallelism(parallelism)
                .build())
        .status(status)
        .runId(runId)
        .attempt(attempt)
        .progress(progress)
        .createdBy(createdBy)
        .createdAt(createdAt)
        .updatedAt(updatedAt)
        .queuedAt(queuedAt)
        .startedAt(startedAt)
        .finishedAt(finishedAt)
        .error(error)
        .desiredState(desiredState)
        .stopMode(stopMode)
        .stopTimeoutSeconds(stopTimeoutSeconds)
        .checkpointId(checkpointId)
        .version(0L)
        .build();
  }

  /** A job without uncommitted events, for inserting arbitrary states. */
  Job restored() {
    return Job.restore(snapshot());
  }

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
