package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.jobplane.domain.JobError;
import io.swagger.v3.oas.annotations.media.Schema;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "JobError")
public record ErrorBody(String reason, String message) {

  public static ErrorBody from(JobError error) {
    return error == null ? null : new ErrorBody(error.reason(), error.message());
  }
}
