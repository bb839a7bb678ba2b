package io.jobplane.adapters.rest.resource;

import io.jobplane.adapters.rest.dto.WebhookDtos.DeliveryPageResponse;
import io.jobplane.adapters.rest.dto.WebhookDtos.DeliveryResponse;
import io.jobplane.adapters.rest.dto.WebhookDtos.WebhookListResponse;
import io.jobplane.adapters.rest.dto.WebhookDtos.WebhookRequest;
import io.jobplane.adapters.rest.dto.WebhookDtos.WebhookResponse;
import io.jobplane.adapters.rest.problem.ProblemDetail;
import io.jobplane.application.port.in.ManageWebhooksUseCase;
import io.jobplane.application.port.in.ManageWebhooksUseCase.Target;
import io.jobplane.application.port.in.ManageWebhooksUseCase.WebhookSpec;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.webhook.Webhook;
import io.jobplane.domain.webhook.WebhookFilter;
import io.jobplane.domain.webhook.WebhookId;
import io.jobplane.domain.webhook.WebhookUrl;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;

/**
 * The webhooks of a project: where its jobs' events are posted, as signed CloudEvents. The project
 * is part of the path, like a secret's, because a webhook belongs to exactly one project and its
 * filter applies to that project's jobs only. Every operation needs the right to submit jobs in the
 * project; a project the caller cannot see is 404 for every operation, before the body is read. The
 * signing secret is accepted and never answered, and a malformed body is refused without quoting
 * any of it.
 */
@Path("/api/v1/projects/{project}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "webhooks")
@Singleton
public class WebhooksResource {

  private final ManageWebhooksUseCase webhooks;

  @Inject
  public WebhooksResource(ManageWebhooksUseCase webhooks) {
    this.webhooks = webhooks;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "createWebhook",
      summary = "Create a webhook",
      description =
          "From now on, every event of the project's jobs that matches the filter is posted to the"
              + " URL as a CloudEvent signed with the secret (header Jobplane-Signature:"
              + " t=<unix seconds>,v1=<hex HMAC-SHA256 of '<t>.<body>'>), retried with backoff"
              + " for 24 hours until answered 2xx. At most "
              + ManageWebhooksUseCase.MAX_WEBHOOKS_PER_PROJECT
              + " per project.",
      responses = {
        @ApiResponse(
            responseCode = "201",
            description = "created",
            content = @Content(schema = @Schema(implementation = WebhookResponse.class))),
        @ApiResponse(responseCode = "409", ref = "Problem")
      })
  public Response create(
      @Context SecurityContext security,
      @Context UriInfo uriInfo,
      @PathParam("project") String project,
      @RequestBody(
              required = true,
              content = @Content(schema = @Schema(implementation = WebhookRequest.class)))
          String body) {
    Webhook created =
        webhooks.create(new Target(Callers.of(security), project, null), () -> spec(body, true));
    return Locations.created(
            uriInfo, "api/v1/projects", project, "webhooks", created.id().toString())
        .entity(WebhookResponse.from(created))
        .build();
  }

  @GET
  @Operation(
      operationId = "listWebhooks",
      summary = "List a project's webhooks",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the project's webhooks, oldest first, without secrets",
            content = @Content(schema = @Schema(implementation = WebhookListResponse.class)))
      })
  public WebhookListResponse list(
      @Context SecurityContext security, @PathParam("project") String project) {
    return new WebhookListResponse(
        webhooks.list(new Target(Callers.of(security), project, null)).stream()
            .map(WebhookResponse::from)
            .toList());
  }

  @GET
  @Path("{id}")
  @Operation(
      operationId = "getWebhook",
      summary = "Get a webhook",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the webhook, without its secret",
            content = @Content(schema = @Schema(implementation = WebhookResponse.class)))
      })
  public WebhookResponse get(
      @Context SecurityContext security,
      @PathParam("project") String project,
      @PathParam("id") String id) {
    return WebhookResponse.from(webhooks.get(target(security, project, id)));
  }

  @PUT
  @Path("{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "replaceWebhook",
      summary = "Replace a webhook's URL, filter and secret",
      description =
          "The secret may be left out to keep the current one. Deliveries already queued go to"
              + " the new URL, signed with the new secret.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the webhook as stored",
            content = @Content(schema = @Schema(implementation = WebhookResponse.class)))
      })
  public WebhookResponse replace(
      @Context SecurityContext security,
      @PathParam("project") String project,
      @PathParam("id") String id,
      @RequestBody(
              required = true,
              content = @Content(schema = @Schema(implementation = WebhookRequest.class)))
          String body) {
    return WebhookResponse.from(
        webhooks.update(target(security, project, id), () -> spec(body, false)));
  }

  @DELETE
  @Path("{id}")
  // no body to answer: a client that accepts only problem+json must not get 406
  @Produces({MediaType.APPLICATION_JSON, ProblemDetail.MEDIA_TYPE})
  @Operation(
      operationId = "deleteWebhook",
      summary = "Delete a webhook",
      description = "Its pending deliveries are dropped with its delivery log.",
      responses = {@ApiResponse(responseCode = "204", description = "deleted")})
  public Response delete(
      @Context SecurityContext security,
      @PathParam("project") String project,
      @PathParam("id") String id) {
    webhooks.delete(target(security, project, id));
    return Response.noContent().build();
  }

  @GET
  @Path("{id}/deliveries")
  @Operation(
      operationId = "listWebhookDeliveries",
      summary = "A webhook's delivery log",
      description = "Newest first: each event, how many attempts it took and how the last went.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "a page of deliveries",
            content = @Content(schema = @Schema(implementation = DeliveryPageResponse.class)))
      })
  public DeliveryPageResponse deliveries(
      @Context SecurityContext security,
      @PathParam("project") String project,
      @PathParam("id") String id,
      @Parameter(schema = @Schema(minimum = "1", maximum = "100", defaultValue = "20"))
          @QueryParam("limit")
          String limit,
      @Parameter(description = "next_cursor of the previous page") @QueryParam("before")
          String before) {
    Target target = target(security, project, id);
    Params p = new Params();
    Integer max = p.integer("limit", limit, 1, ManageWebhooksUseCase.MAX_LOG_PAGE);
    Integer cursor = before == null ? null : p.integer("before", before, 1, Integer.MAX_VALUE);
    p.check();
    return DeliveryPageResponse.from(
        webhooks.deliveries(
            target, cursor == null ? null : cursor.longValue(), max == null ? 20 : max));
  }

  @POST
  @Path("{id}/deliveries/{delivery}/redeliver")
  @Operation(
      operationId = "redeliverWebhookDelivery",
      summary = "Send a delivery again",
      description =
          "A delivered or failed delivery becomes pending and is sent at once, with the same"
              + " CloudEvent id (a receiver that deduplicates ignores it) and a new 24-hour retry"
              + " window. 409 while it is still pending.",
      responses = {
        @ApiResponse(
            responseCode = "202",
            description = "queued",
            content = @Content(schema = @Schema(implementation = DeliveryResponse.class))),
        @ApiResponse(responseCode = "409", ref = "Problem")
      })
  public Response redeliver(
      @Context SecurityContext security,
      @PathParam("project") String project,
      @PathParam("id") String id,
      @PathParam("delivery") String delivery) {
    Target target = target(security, project, id);
    UUID deliveryId = WebhookId.uuid(delivery, "delivery");
    return Response.accepted(DeliveryResponse.from(webhooks.redeliver(target, deliveryId))).build();
  }

  /**
   * The caller's target. A malformed id is refused before the project is checked: it names no
   * webhook of any project, so the answer tells nothing about one.
   */
  private static Target target(SecurityContext security, String project, String id) {
    return new Target(Callers.of(security), project, WebhookId.parse(id, "id"));
  }

  /** The body as a spec; errors name the field, and never quote the body (it holds the secret). */
  private static WebhookSpec spec(String body, boolean create) {
    WebhookRequest request =
        QuietBodies.read(
            body,
            WebhookRequest.class,
            "body",
            "must be a JSON object with url, statuses, types, labels and secret (strings, lists of"
                + " strings)");
    if (create && request.secret() == null) {
      throw DomainException.invalid("secret", "is required");
    }
    return new WebhookSpec(
        WebhookUrl.parse(request.url(), "url"),
        WebhookFilter.of(request.statuses(), request.types(), request.labels()),
        request.secret());
  }
}
