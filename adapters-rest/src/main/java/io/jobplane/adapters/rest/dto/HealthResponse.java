package io.jobplane.adapters.rest.dto;

import io.swagger.v3.oas.annotations.media.Schema;

@Schema(name = "Health")
public record HealthResponse(@Schema(example = "UP") String status) {

  public static final HealthResponse UP = new HealthResponse("UP");
}
