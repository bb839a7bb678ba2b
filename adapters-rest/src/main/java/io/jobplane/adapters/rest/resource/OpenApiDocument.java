package io.jobplane.adapters.rest.resource;

import io.jobplane.adapters.rest.dto.WorkerReports;
import io.jobplane.adapters.rest.problem.ProblemDetail;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The OpenAPI 3 document, generated once from the resource classes and their annotations. */
public final class OpenApiDocument {

  public static final String BEARER = "bearer";

  /** Served without a token (metrics only when the server is configured so). */
  public static final Set<String> PUBLIC_PATHS = Set.of("/healthz", "/readyz", "/openapi.json");

  private final Set<Class<?>> resources;
  private volatile String json;

  public OpenApiDocument(List<Class<?>> resources) {
    this.resources = new LinkedHashSet<>(resources);
  }

  public String json() {
    String doc = json;
    if (doc == null) {
      synchronized (this) {
        if (json == null) {
          json = Json.pretty(build());
        }
        doc = json;
      }
    }
    return doc;
  }

  /** Paths whose GET also streams server-sent events (JobWatchResource, hidden operations). */
  public static final List<String> WATCH_PATHS =
      List.of("/api/v1/jobs", "/api/v1/jobs/{id}/events", "/api/v1/jobs/{id}/logs");

  /**
   * The live watch shares its paths with the JSON reads (chosen by Accept), so it is documented as
   * a second media type of their 200 answers plus the Last-Event-ID header.
   */
  @SuppressWarnings("rawtypes")
  private static void documentWatchStreams(OpenAPI doc) {
    for (String path : WATCH_PATHS) {
      var item = doc.getPaths() == null ? null : doc.getPaths().get(path);
      if (item == null || item.getGet() == null) {
        continue;
      }
      var get = item.getGet();
      boolean logs = path.endsWith("/logs");
      get.setDescription(
          (get.getDescription() == null ? "" : get.getDescription() + " ")
              + (logs
                  ? "With Accept: text/event-stream (or follow=true) the answer is a live stream"
                      + " of log lines (events named log, data a LogLine JSON, id the line id)"
                  : "With Accept: text/event-stream the answer is a live stream of timeline"
                      + " events (server-sent events named job_event, data a WatchEvent JSON, id"
                      + " the store-wide event id)")
              + "; send Last-Event-ID to resume after one. Idle streams get a keep-alive comment"
              + " at least every 15 s. A token holding too many streams gets 429, a server"
              + " holding too many 503, both with Retry-After."
              + (path.endsWith("/events") || logs
                  ? " With until=finished the stream ends with an event named end once the job"
                      + " is finished."
                  : ""));
      if (path.endsWith("/events")) {
        get.addParametersItem(
            new io.swagger.v3.oas.models.parameters.Parameter()
                .in("query")
                .name("until")
                .description("SSE only: 'finished' ends the stream when the job finishes")
                .schema(new Schema<String>().type("string")._enum(List.of("finished"))));
      }
      addProblem(get, "429");
      addProblem(get, "503");
      get.addParametersItem(
          new io.swagger.v3.oas.models.parameters.Parameter()
              .in("header")
              .name("Last-Event-ID")
              .description("SSE only: resume after this event id")
              .schema(new Schema<>().type("integer").format("int64")));
      ApiResponse ok = get.getResponses().get("200");
      if (ok != null && ok.getContent() != null) {
        ok.getContent()
            .addMediaType(
                "text/event-stream",
                new MediaType()
                    .schema(new Schema<>().type("string"))
                    .example("id: 42\nevent: job_event\ndata: {\"id\":42,...}\n\n"));
      }
    }
    ModelConverters.getInstance()
        .readAll(io.jobplane.adapters.rest.dto.TelemetryResponses.WatchEvent.class)
        .forEach(doc.getComponents()::addSchemas);
  }

  /** Every 201 names what it created in Location (the resources set it with Response.created). */
  private static void addLocation(io.swagger.v3.oas.models.Operation op) {
    ApiResponse created = op.getResponses().get("201");
    if (created != null
        && (created.getHeaders() == null || !created.getHeaders().containsKey("Location"))) {
      created.addHeaderObject(
          "Location",
          new io.swagger.v3.oas.models.headers.Header()
              .description("the URL of what was created")
              .schema(new Schema<String>().type("string")));
    }
  }

  /**
   * Every submit that takes an Idempotency-Key answers a retry as {@link Submissions#answer} does:
   * 200 with the 201's body and Idempotent-Replayed, listed right after the 201.
   */
  private static void addIdempotentReplay(io.swagger.v3.oas.models.Operation op) {
    ApiResponses responses = op.getResponses();
    ApiResponse created = responses.get("201");
    boolean idempotent =
        op.getParameters() != null
            && op.getParameters().stream()
                .anyMatch(
                    p ->
                        "header".equals(p.getIn())
                            && Submissions.IDEMPOTENCY_KEY.equals(p.getName()));
    if (created == null || !idempotent || responses.containsKey("200")) {
      return;
    }
    List<String> codes = List.copyOf(responses.keySet());
    ApiResponse replay =
        new ApiResponse()
            .description("idempotent replay")
            .addHeaderObject(
                Submissions.IDEMPOTENT_REPLAYED,
                new io.swagger.v3.oas.models.headers.Header()
                    .description("true: the answer of an earlier submit with this Idempotency-Key")
                    .style(io.swagger.v3.oas.models.headers.Header.StyleEnum.SIMPLE)
                    .schema(new Schema<String>().type("string")))
            .content(created.getContent());
    insert(responses, codes.indexOf("201") + 1, "200", replay);
  }

  /**
   * An operation on a path with a parameter names something that may not exist, or that the caller
   * may not see: it may answer 404. Listed after the operation's own successes.
   */
  private static void addNotFound(String path, io.swagger.v3.oas.models.Operation op) {
    ApiResponses responses = op.getResponses();
    if (!path.contains("{") || responses.containsKey("404")) {
      return;
    }
    int successes = 0;
    for (String code : responses.keySet()) {
      if (!code.startsWith("2")) {
        break;
      }
      successes++;
    }
    insert(responses, successes, "404", new ApiResponse().$ref("#/components/responses/Problem"));
  }

  /** Puts {@code response} at {@code index} of the (ordered) responses, the later ones after it. */
  private static void insert(ApiResponses responses, int index, String code, ApiResponse response) {
    Map<String, ApiResponse> after = new LinkedHashMap<>();
    int i = 0;
    for (var it = responses.entrySet().iterator(); it.hasNext(); i++) {
      var e = it.next();
      if (i >= index) {
        after.put(e.getKey(), e.getValue());
        it.remove();
      }
    }
    responses.addApiResponse(code, response);
    after.forEach(responses::addApiResponse);
  }

  private static void addProblem(io.swagger.v3.oas.models.Operation op, String status) {
    if (!op.getResponses().containsKey(status)) {
      op.getResponses()
          .addApiResponse(status, new ApiResponse().$ref("#/components/responses/Problem"));
    }
  }

  @SuppressWarnings("rawtypes")
  public OpenAPI build() {
    Components components =
        new Components()
            .addSecuritySchemes(
                BEARER,
                new SecurityScheme()
                    .type(SecurityScheme.Type.HTTP)
                    .scheme("bearer")
                    .description(
                        "an API token: from the tokens file, the admin token, or one issued"
                            + " through /api/v1/tokens"));
    ModelConverters.getInstance().readAll(ProblemDetail.class).forEach(components::addSchemas);
    Schema problemRef = new Schema<>().$ref("#/components/schemas/Problem");
    components.addResponses(
        "Problem",
        new ApiResponse()
            .description("an RFC 9457 problem")
            .content(
                new Content()
                    .addMediaType(ProblemDetail.MEDIA_TYPE, new MediaType().schema(problemRef))));
    OpenAPI base =
        new OpenAPI()
            .info(
                new Info()
                    .title("Jobplane API")
                    .version("v1")
                    .description(
                        "Submit, list, follow and control jobs. Every error is an RFC 9457"
                            + " problem (application/problem+json).")
                    .license(new License().name("Apache-2.0")))
            .components(components)
            .addSecurityItem(new SecurityRequirement().addList(BEARER));
    OpenAPI doc = new Reader(new SwaggerConfiguration().openAPI(base)).read(resources);
    // Jackson tree types stand for "any JSON object" (the job input)
    for (String tree : List.of("ObjectNode", "JsonNode")) {
      if (doc.getComponents().getSchemas().containsKey(tree)) {
        doc.getComponents()
            .addSchemas(
                tree, new ObjectSchema().additionalProperties(true).description("any JSON object"));
      }
    }
    // no type: any JSON value, which a generated client holds as a plain Object
    doc.getComponents()
        .addSchemas(
            WorkerReports.ANY_VALUE,
            new Schema<>().description("any JSON value: object, array, string, number or boolean"));
    // an env value is a string or a SecretRef: the marker type would make it "type: object" too,
    // which no string matches
    Schema<?> envValue = doc.getComponents().getSchemas().get("EnvValue");
    if (envValue != null) {
      envValue.setType(null);
      envValue.setTypes(null);
    }
    documentWatchStreams(doc);
    // answers every operation may give whatever its annotations list: filters and Jersey give them
    // before a resource method runs (StrictQueryParameters, AuthenticationFilter, RateLimitFilter,
    // the access policy, @Consumes) or the container (413, 431), and any of them may fail with
    // 500. Declared here once: a resource's annotations list only the answers of its own.
    doc.getPaths()
        .forEach(
            (path, item) ->
                item.readOperations()
                    .forEach(
                        op -> {
                          if (PUBLIC_PATHS.contains(path)) {
                            op.setSecurity(List.of()); // no token needed
                          } else {
                            addProblem(op, "401");
                            addProblem(op, "403");
                            // a token's rate limit (serve --rate-limit-per-second), if set
                            addProblem(op, "429");
                          }
                          addProblem(op, "400");
                          addLocation(op);
                          addIdempotentReplay(op);
                          addNotFound(path, op);
                          // the container refuses a request line or headers over its limit
                          addProblem(op, "414");
                          addProblem(op, "431");
                          if (op.getRequestBody() != null) {
                            addProblem(op, "413");
                            addProblem(op, "415");
                          }
                          addProblem(op, "500");
                        }));
    return doc;
  }
}
