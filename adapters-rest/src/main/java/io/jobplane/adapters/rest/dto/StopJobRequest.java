package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "StopJobRequest")
public record StopJobRequest(
    @Schema(
            defaultValue = "graceful",
            allowableValues = {"graceful", "immediate", "force", "checkpoint"},
            description = "'checkpoint' is accepted as 'graceful'")
        String mode,
    @Schema(minimum = "0", maximum = "86400") Integer timeoutSeconds) {}
