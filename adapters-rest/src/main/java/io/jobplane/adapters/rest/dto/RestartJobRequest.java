package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "RestartJobRequest")
public record RestartJobRequest(
    @Schema(description = "checkpoint the new run starts from") String checkpointId,
    @Schema(minimum = "1", maximum = "1000", description = "new parallelism")
        Integer parallelism) {}
