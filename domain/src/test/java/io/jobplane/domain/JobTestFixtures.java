package io.jobplane.domain;

import java.time.Instant;
import java.util.Map;

/** Builds jobs in any state by driving the real transitions. */
final class JobTestFixtures {

  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  private JobTestFixtures() {}

  static JobDefinition definition() {
    return JobDefinition.builder()
        .name("nightly etl")
        .type("etl")
        .project("analytics")
        .labels(new Labels(Map.of("env", "prod")))
        .input(new JobInput("{\"date\":\"2026-11-22\"}"))
        .maxAttempts(3)
        .priority(0)
        .queue("default")
        .runtime(JobRuntime.WORKER)
        .timeoutSeconds(600)
        .parallelism(1)
        .build();
  }

  static Job jobIn(JobStatus status) {
    Job job = Job.submit(JobId.random(), definition(), "alice", T0, "api:alice");
    Instant t = T0.plusSeconds(1);
    switch (status) {
      case PENDING -> {}
      case SUSPENDED -> job.suspend(t, "test");
      case QUEUED -> job.enqueue(t, "test");
      case RUNNING -> {
        job.enqueue(t, "test");
        job.start(t, "test");
      }
      case STOPPING -> {
        job.enqueue(t, "test");
        job.start(t, "test");
        job.requestStop(StopMode.GRACEFUL, 30, t, "test");
      }
      case SUCCEEDED -> {
        job.enqueue(t, "test");
        job.start(t, "test");
        job.succeed(t, "test");
      }
      case FAILED -> {
        job.enqueue(t, "test");
        job.start(t, "test");
        job.fail(new JobError("EXIT_CODE", "exit 1"), t, "test");
      }
      case STOPPED -> {
        job.enqueue(t, "test");
        job.requestStop(StopMode.GRACEFUL, null, t, "test");
      }
      case TIMED_OUT -> {
        job.enqueue(t, "test");
        job.start(t, "test");
        job.timeOut(t, "test");
      }
      case PARTIALLY_FAILED -> {
        job.enqueue(t, "test");
        job.start(t, "test");
        job.partiallyFail(new JobError("PARTIAL_FAILURE", "1 of 2 tasks failed"), t, "test");
      }
      case REJECTED -> job.reject(new JobError("QUOTA", "over quota"), t, "test");
      case SKIPPED -> job.skip(JobId.random(), JobStatus.FAILED, t, "test");
    }
    return Job.restore(job.snapshot());
  }
}
