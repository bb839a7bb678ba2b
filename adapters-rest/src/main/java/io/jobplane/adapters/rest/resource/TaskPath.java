package io.jobplane.adapters.rest.resource;

import io.jobplane.domain.JobId;

/**
 * The {@code {job_id}/tasks/{task_index}} of a report on a leased task, parsed; a request with both
 * wrong is one 400 naming both.
 */
record TaskPath(JobId jobId, int taskIndex) {

  /** The path parameters {@link #parse} reads, below a resource's path. */
  static final String PATH = "{job_id}/tasks/{task_index}";

  static TaskPath parse(String jobId, String taskIndex) {
    Params p = new Params();
    JobId id = p.parse("job_id", () -> JobId.parse(jobId));
    Integer index = p.integer("task_index", taskIndex, 0, Integer.MAX_VALUE);
    if (taskIndex == null) {
      p.error("task_index", "is required");
    }
    p.check();
    return new TaskPath(id, index);
  }
}
