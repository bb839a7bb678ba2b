package io.jobplane.adapters.rest.resource;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/** Prometheus scrape endpoint. Needs a token unless the server makes metrics public. */
@Path("/metrics")
@Tag(name = "operations")
@Singleton
public class MetricsResource {

  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;

  @Inject
  public MetricsResource(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @GET
  @Produces(PROMETHEUS_TEXT)
  @Operation(
      summary = "Metrics in the Prometheus text format",
      responses =
          @ApiResponse(
              responseCode = "200",
              content = @Content(mediaType = PROMETHEUS_TEXT, schema = @Schema(type = "string"))))
  public String scrape() {
    return registry.scrape();
  }
}
