package io.jobplane.app;

import io.jobplane.adapters.rest.dto.HealthResponse;
import io.jobplane.adapters.rest.json.ObjectMapperResolver;
import io.jobplane.adapters.rest.problem.Problems;
import io.jobplane.adapters.rest.problem.UnexpectedExceptionMapper;
import io.jobplane.adapters.rest.problem.WebApplicationExceptionMapper;
import io.jobplane.application.port.out.StoreHealth;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * What an operator-only process serves for its probes and scrapes: /healthz (the process is up),
 * /readyz (the store answers and the operator's informers are healthy) and /metrics.
 */
@Path("/")
public final class OperatorEndpoints {

  private final StoreHealth store;
  private final BooleanSupplier operatorReady;
  private final PrometheusMeterRegistry registry;

  OperatorEndpoints(
      StoreHealth store, BooleanSupplier operatorReady, PrometheusMeterRegistry registry) {
    this.store = store;
    this.operatorReady = operatorReady;
    this.registry = registry;
  }

  /** The endpoints as a Jersey application for the HTTP container. */
  ResourceConfig application() {
    ResourceConfig config = new ResourceConfig();
    config.property(ServerProperties.WADL_FEATURE_DISABLE, true);
    config.property(ServerProperties.METAINF_SERVICES_LOOKUP_DISABLE, true);
    config.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
    config.register(JacksonFeature.withoutExceptionMappers());
    config.register(ObjectMapperResolver.class);
    config.register(WebApplicationExceptionMapper.class);
    config.register(UnexpectedExceptionMapper.class);
    config.registerInstances(this);
    return config;
  }

  @GET
  @Path("healthz")
  @Produces(MediaType.APPLICATION_JSON)
  public HealthResponse health() {
    return HealthResponse.UP;
  }

  @GET
  @Path("readyz")
  @Produces(MediaType.APPLICATION_JSON)
  public Response ready() {
    boolean storeUp = store.isReachable();
    boolean operatorUp = operatorReady.getAsBoolean();
    if (storeUp && operatorUp) {
      return Response.ok(
              Map.of("status", "UP", "checks", Map.of("database", "UP", "operator", "UP")))
          .build();
    }
    return Problems.response(
        503,
        "not-ready",
        "Service Unavailable",
        "database " + (storeUp ? "UP" : "DOWN") + ", operator " + (operatorUp ? "UP" : "DOWN"),
        "/readyz",
        List.of());
  }

  @GET
  @Path("metrics")
  @Produces("text/plain; version=0.0.4; charset=utf-8")
  public String metrics() {
    return registry.scrape();
  }
}
