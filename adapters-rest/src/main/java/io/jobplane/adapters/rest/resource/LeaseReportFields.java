package io.jobplane.adapters.rest.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobplane.adapters.rest.dto.WorkerDtos.StopBody;
import io.jobplane.adapters.rest.json.JsonMapping;
import io.jobplane.application.port.in.WorkerProtocolUseCase.HeartbeatAnswer;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobError;
import io.jobplane.domain.Text;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What the fields of a worker's report on a lease mean, read the same way whether the report comes
 * alone ({@link LeasesResource}) or in a batch ({@link LeaseReportsResource}), so that both answer
 * alike.
 */
final class LeaseReportFields {

  /** Bound on a completed task's output document. */
  static final int MAX_OUTPUT_BYTES = 256 * 1024;

  private LeaseReportFields() {}

  /** What a fail report names, with the defaults of absent fields. */
  static JobError failure(String reason, String message) {
    Text.linesOfText(reason, "reason");
    Text.linesOfText(message, "message");
    return new JobError(
        reason == null ? "WORKER_ERROR" : reason,
        message == null ? "the worker reported a failure" : message);
  }

  /** The stop instruction of a heartbeat answer, or null. */
  static StopBody stop(HeartbeatAnswer answer) {
    return answer.stop() == null
        ? null
        : new StopBody(
            answer.stop().mode().name().toLowerCase(Locale.ROOT), answer.stop().deadline());
  }

  static String outputJson(ObjectNode output) {
    if (output == null) {
      return null;
    }
    try {
      String json = JsonMapping.text(output);
      if (json.getBytes(StandardCharsets.UTF_8).length > MAX_OUTPUT_BYTES) {
        throw DomainException.invalid(
            "output", "must be at most " + MAX_OUTPUT_BYTES + " bytes of JSON");
      }
      return json;
    } catch (JsonProcessingException e) {
      throw DomainException.invalid("output", "is not a JSON object");
    }
  }
}
