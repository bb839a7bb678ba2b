package io.jobplane.adapters.rest.resource;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.jobplane.adapters.rest.dto.JobResponse;
import io.jobplane.adapters.rest.json.JsonMapping;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.JobSnapshot;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * How the jobs API answers with one job, whichever operation read or changed it: the job's JSON
 * written by one prepared writer, and its version as the ETag.
 */
final class JobAnswers {

  private static final ObjectWriter JOB_JSON = JsonMapping.writerFor(JobResponse.class);

  private JobAnswers() {}

  /** 200 with the job as it is at {@code now}, and its ETag. */
  static Response ok(JobSnapshot job, Instant now) {
    return Response.ok(json(JobResponse.from(job, now))).tag(etag(job)).build();
  }

  /** The job's JSON, written by the prepared writer (see {@link JsonMapping#bytes}). */
  static byte[] json(JobResponse job) {
    return JsonMapping.bytes(JOB_JSON, job);
  }

  static EntityTag etag(JobSnapshot job) {
    return new EntityTag(Long.toString(job.version()));
  }

  /**
   * Whose {@code env} values a caller sees: those of the projects it may submit to. A viewer gets
   * {@link JobResponse#HIDDEN} for each value (env is where users put credentials).
   */
  static Predicate<String> revealsEnv(Caller caller) {
    return project -> caller.canWrite() && caller.sees(project);
  }
}
