package io.jobplane.adapters.rest;

import io.jobplane.adapters.rest.auth.AuthenticationFilter;
import io.jobplane.adapters.rest.auth.RateLimitFilter;
import io.jobplane.adapters.rest.auth.TokenRegistry;
import io.jobplane.adapters.rest.auth.TokenVerificationCache;
import io.jobplane.adapters.rest.http.FollowQueryFilter;
import io.jobplane.adapters.rest.http.RequestLoggingFilter;
import io.jobplane.adapters.rest.http.StrictQueryParameters;
import io.jobplane.adapters.rest.json.ObjectMapperResolver;
import io.jobplane.adapters.rest.json.WellFormedTextInterceptor;
import io.jobplane.adapters.rest.metrics.JobStatusGauges;
import io.jobplane.adapters.rest.problem.ApiProblemExceptionMapper;
import io.jobplane.adapters.rest.problem.DomainExceptionMapper;
import io.jobplane.adapters.rest.problem.JsonProcessingExceptionMapper;
import io.jobplane.adapters.rest.problem.UnexpectedExceptionMapper;
import io.jobplane.adapters.rest.problem.WebApplicationExceptionMapper;
import io.jobplane.adapters.rest.resource.HealthResource;
import io.jobplane.adapters.rest.resource.JobGraphsResource;
import io.jobplane.adapters.rest.resource.JobOutputResource;
import io.jobplane.adapters.rest.resource.JobTasksResource;
import io.jobplane.adapters.rest.resource.JobTelemetryResource;
import io.jobplane.adapters.rest.resource.JobWatchResource;
import io.jobplane.adapters.rest.resource.JobsResource;
import io.jobplane.adapters.rest.resource.JobsTransitionsResource;
import io.jobplane.adapters.rest.resource.LeaseReportsResource;
import io.jobplane.adapters.rest.resource.LeasesResource;
import io.jobplane.adapters.rest.resource.LimitsResource;
import io.jobplane.adapters.rest.resource.MetricsResource;
import io.jobplane.adapters.rest.resource.OpenApiDocument;
import io.jobplane.adapters.rest.resource.OpenApiResource;
import io.jobplane.adapters.rest.resource.QueuesResource;
import io.jobplane.adapters.rest.resource.SchedulesResource;
import io.jobplane.adapters.rest.resource.SecretsResource;
import io.jobplane.adapters.rest.resource.TelemetryReportsResource;
import io.jobplane.adapters.rest.resource.TokensResource;
import io.jobplane.adapters.rest.resource.WebhooksResource;
import io.jobplane.adapters.rest.resource.WorkersResource;
import io.jobplane.application.port.in.ApiTokensUseCase;
import io.jobplane.application.port.in.CheckReadinessUseCase;
import io.jobplane.application.port.in.ControlJobUseCase;
import io.jobplane.application.port.in.JobGraphsUseCase;
import io.jobplane.application.port.in.LiveStreamsUseCase;
import io.jobplane.application.port.in.LongPollClaimsUseCase;
import io.jobplane.application.port.in.ManageSecretsUseCase;
import io.jobplane.application.port.in.ManageWebhooksUseCase;
import io.jobplane.application.port.in.ProjectLimitsUseCase;
import io.jobplane.application.port.in.QueryJobsUseCase;
import io.jobplane.application.port.in.QueueOverviewUseCase;
import io.jobplane.application.port.in.SchedulesUseCase;
import io.jobplane.application.port.in.SubmitJobUseCase;
import io.jobplane.application.port.in.TelemetryQueries;
import io.jobplane.application.port.in.TelemetryUseCase;
import io.jobplane.application.port.in.WorkerProtocolUseCase;
import io.jobplane.application.port.in.WorkersUseCase;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.media.sse.SseFeature;
import org.glassfish.jersey.micrometer.server.DefaultJerseyTagsProvider;
import org.glassfish.jersey.micrometer.server.MetricsApplicationEventListener;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The whole REST API as one Jersey application: resources, JSON, problem details, bearer
 * authentication, body limits, request logging, metrics and the OpenAPI document. The composition
 * root hands it the use cases and mounts it in a container.
 */
public final class JobplaneApi extends ResourceConfig {

  /** Name of the HTTP server timer, exported as {@code http_server_requests_seconds}. */
  public static final String HTTP_METRIC = "http.server.requests";

  /** Every resource class; the OpenAPI document is generated from exactly these. */
  public static final List<Class<?>> RESOURCES =
      List.of(
          JobsResource.class,
          JobsTransitionsResource.class,
          JobTasksResource.class,
          LeasesResource.class,
          LeaseReportsResource.class,
          JobTelemetryResource.class,
          JobOutputResource.class,
          JobWatchResource.class,
          TelemetryReportsResource.class,
          TokensResource.class,
          HealthResource.class,
          MetricsResource.class,
          OpenApiResource.class,
          SecretsResource.class,
          SchedulesResource.class,
          JobGraphsResource.class,
          QueuesResource.class,
          WebhooksResource.class,
          WorkersResource.class,
          LimitsResource.class);

  private final JobStatusGauges gauges; // held so the gauges stay registered

  public JobplaneApi(
      ApiServices services,
      TokenRegistry tokens,
      PrometheusMeterRegistry registry,
      ApiSettings settings) {
    Objects.requireNonNull(services, "services");
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(settings, "settings");

    property(ServerProperties.WADL_FEATURE_DISABLE, true);
    property(ServerProperties.METAINF_SERVICES_LOOKUP_DISABLE, true);
    property(ServerProperties.BV_FEATURE_DISABLE, true);
    property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
    // Location stays the relative reference a resource builds, never one completed from Host
    property(ServerProperties.LOCATION_HEADER_RELATIVE_URI_RESOLUTION_DISABLED, true);

    RESOURCES.forEach(this::register);

    // JSON: our mapper, and none of Jersey's Jackson exception mappers
    register(JacksonFeature.withoutExceptionMappers());
    register(ObjectMapperResolver.class);
    register(WellFormedTextInterceptor.class);
    // server-sent events framing for the live watch streams
    register(SseFeature.class);

    register(DomainExceptionMapper.class);
    register(ApiProblemExceptionMapper.class);
    register(JsonProcessingExceptionMapper.class);
    register(WebApplicationExceptionMapper.class);
    register(UnexpectedExceptionMapper.class);

    register(new RequestLoggingFilter());
    // shared with TokensResource, which empties it when it revokes a token
    TokenVerificationCache verified = TokenVerificationCache.withTtl(settings.tokenCacheTtl());
    register(
        new AuthenticationFilter(
            tokens,
            services.runCredentials(),
            services.apiTokens(),
            settings.metricsPublic(),
            verified));
    register(StrictQueryParameters.class);
    register(FollowQueryFilter.class);

    prepareRegistry(registry);
    // after authentication (it limits per caller), before any work is done for the request
    register(new RateLimitFilter(settings.rateLimit(), registry));
    register(
        new MetricsApplicationEventListener(
            registry, new DefaultJerseyTagsProvider(), HTTP_METRIC, true));
    this.gauges = JobStatusGauges.register(services.query(), registry);

    OpenApiDocument openApi = new OpenApiDocument(RESOURCES);
    register(
        new AbstractBinder() {
          @Override
          protected void configure() {
            bind(services.submit()).to(SubmitJobUseCase.class);
            bind(services.query()).to(QueryJobsUseCase.class);
            bind(services.control()).to(ControlJobUseCase.class);
            bind(services.readiness()).to(CheckReadinessUseCase.class);
            bind(services.worker()).to(WorkerProtocolUseCase.class);
            bind(services.telemetry()).to(TelemetryUseCase.class);
            bind(services.telemetryQueries()).to(TelemetryQueries.class);
            bind(services.live()).to(LiveStreamsUseCase.class);
            bind(services.longPolls()).to(LongPollClaimsUseCase.class);
            bind(services.apiTokens()).to(ApiTokensUseCase.class);
            bind(verified).to(TokenVerificationCache.class);
            bind(tokens).to(TokenRegistry.class);
            bind(services.secrets()).to(ManageSecretsUseCase.class);
            bind(services.webhooks()).to(ManageWebhooksUseCase.class);
            bind(services.schedules()).to(SchedulesUseCase.class);
            bind(services.graphs()).to(JobGraphsUseCase.class);
            bind(services.queues()).to(QueueOverviewUseCase.class);
            bind(services.workers()).to(WorkersUseCase.class);
            bind(services.limits()).to(ProjectLimitsUseCase.class);
            bind(registry).to(PrometheusMeterRegistry.class);
            bind(settings).to(ApiSettings.class);
            bind(openApi).to(OpenApiDocument.class);
            bind(Clock.systemUTC()).to(Clock.class);
          }
        });
  }

  JobStatusGauges gauges() {
    return gauges;
  }

  private static final java.util.Set<io.micrometer.core.instrument.MeterRegistry> PREPARED =
      java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());

  /**
   * Turns on latency histograms for HTTP requests. Call it before anything registers meters
   * (Micrometer applies filters only to meters registered afterwards); the constructor calls it
   * too, and a second call on the same registry does nothing.
   */
  public static void prepareRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
    synchronized (PREPARED) {
      if (!PREPARED.add(registry)) {
        return;
      }
    }
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                if (id.getName().equals(HTTP_METRIC)) {
                  return DistributionStatisticConfig.builder()
                      .percentilesHistogram(true)
                      .build()
                      .merge(config);
                }
                return config;
              }
            });
  }
}
