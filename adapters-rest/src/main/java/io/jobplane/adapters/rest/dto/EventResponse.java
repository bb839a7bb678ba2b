package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.jobplane.domain.EventType;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.TimelineEvent;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "JobEvent")
public record EventResponse(
    Instant timestamp,
    EventType event,
    @Schema(nullable = true) JobStatus fromStatus,
    JobStatus toStatus,
    @Schema(example = "api:ci") String source,
    String message,
    @Schema(nullable = true) ErrorBody error,
    int runId,
    int attempt) {

  public static EventResponse from(TimelineEvent e) {
    return new EventResponse(
        e.timestamp(),
        e.type(),
        e.from(),
        e.to(),
        e.source(),
        e.message(),
        ErrorBody.from(e.error()),
        e.runId(),
        e.attempt());
  }
}
