package io.jobplane.adapters.rest.resource;

import io.jobplane.adapters.rest.ApiSettings;
import io.jobplane.application.security.AccessPolicy;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;

/**
 * Prometheus scrape endpoint. Unless the server makes metrics public, it needs a token that may
 * read every project: the job counts add up all projects.
 */
@Path("/metrics")
@Tag(name = "operations")
@Singleton
public class MetricsResource {

  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final boolean metricsPublic;

  @Inject
  public MetricsResource(PrometheusMeterRegistry registry, ApiSettings settings) {
    this.registry = registry;
    this.metricsPublic = settings.metricsPublic();
  }

  @GET
  @Produces(PROMETHEUS_TEXT)
  @Operation(
      operationId = "scrapeMetrics",
      summary = "Metrics in the Prometheus text format",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "The metrics",
            content = @Content(mediaType = PROMETHEUS_TEXT, schema = @Schema(type = "string"))),
      })
  public String scrape(@Context SecurityContext security) {
    if (!metricsPublic) {
      AccessPolicy.requireMetrics(Callers.of(security));
    }
    return registry.scrape();
  }
}
