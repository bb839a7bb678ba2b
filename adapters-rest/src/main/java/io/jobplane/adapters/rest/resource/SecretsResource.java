package io.jobplane.adapters.rest.resource;

import io.jobplane.adapters.rest.dto.SecretDtos.PutSecretRequest;
import io.jobplane.adapters.rest.dto.SecretDtos.SecretListResponse;
import io.jobplane.adapters.rest.dto.SecretDtos.SecretResponse;
import io.jobplane.adapters.rest.problem.ProblemDetail;
import io.jobplane.application.port.in.ManageSecretsUseCase;
import io.jobplane.application.port.in.ManageSecretsUseCase.PutSecretCommand;
import io.jobplane.application.port.in.ManageSecretsUseCase.Written;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.SecretData;
import io.swagger.v3.oas.annotations.Operation;
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
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

/**
 * The secrets of a project, which job environments reference ({@code {"secret": name, "key":
 * key}}). The project is part of the path because it is part of the secret's identity: a PUT names
 * exactly one secret, with no default project to fall back on. Values are accepted and never
 * answered; a project the caller cannot see is 404 for every operation.
 */
@Path("/api/v1/projects/{project}/secrets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "secrets")
@Singleton
public class SecretsResource {

  private final ManageSecretsUseCase secrets;

  @Inject
  public SecretsResource(ManageSecretsUseCase secrets) {
    this.secrets = secrets;
  }

  @GET
  @Operation(
      operationId = "listSecrets",
      summary = "List a project's secrets",
      description =
          "Names, keys and times of the project's secrets (never values), by name; any caller who"
              + " may read the project's jobs may list them.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the project's secrets, names and keys only",
            content = @Content(schema = @Schema(implementation = SecretListResponse.class)))
      })
  public SecretListResponse list(
      @Context SecurityContext security, @PathParam("project") String project) {
    return new SecretListResponse(
        secrets.list(Callers.of(security), project).stream().map(SecretResponse::from).toList());
  }

  @GET
  @Path("{name}")
  @Operation(
      operationId = "getSecret",
      summary = "A secret's keys and times",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the secret's name and keys, never its values",
            content = @Content(schema = @Schema(implementation = SecretResponse.class)))
      })
  public SecretResponse get(
      @Context SecurityContext security,
      @PathParam("project") String project,
      @PathParam("name") String name) {
    return SecretResponse.from(secrets.get(Callers.of(security), project, name));
  }

  @PUT
  @Path("{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "putSecret",
      summary = "Create or replace a secret",
      description =
          "Stores the values encrypted (AES-256-GCM under the server key) and answers without"
              + " them. Needs the right to submit jobs in the project. A secret's name is a DNS"
              + " label, so the same name can refer to a Kubernetes Secret.",
      responses = {
        @ApiResponse(
            responseCode = "201",
            description = "created",
            content = @Content(schema = @Schema(implementation = SecretResponse.class))),
        @ApiResponse(
            responseCode = "200",
            description = "replaced",
            content = @Content(schema = @Schema(implementation = SecretResponse.class))),
        @ApiResponse(responseCode = "409", ref = "Problem")
      })
  public Response put(
      @Context SecurityContext security,
      @Context UriInfo uriInfo,
      @PathParam("project") String project,
      @PathParam("name") String name,
      @RequestBody(
              required = true,
              content = @Content(schema = @Schema(implementation = PutSecretRequest.class)))
          String body) {
    var caller = Callers.of(security);
    Written written =
        secrets.put(new PutSecretCommand(caller, project, name, new SecretData(data(body))));
    SecretResponse answer = SecretResponse.from(written.secret());
    if (!written.created()) {
      return Response.ok(answer).build();
    }
    return Locations.created(uriInfo, "api/v1/projects", project, "secrets", name)
        .entity(answer)
        .build();
  }

  @DELETE
  @Path("{name}")
  // no body to answer: a client that accepts only problem+json (what the document lists for
  // this operation, so what generated clients send) must not get 406
  @Produces({MediaType.APPLICATION_JSON, ProblemDetail.MEDIA_TYPE})
  @Operation(
      operationId = "deleteSecret",
      summary = "Delete a secret",
      description =
          "Jobs that reference it and have not been leased yet fail at their next claim"
              + " (SECRET_UNAVAILABLE, not retried).",
      responses = {@ApiResponse(responseCode = "204", description = "deleted")})
  public Response delete(
      @Context SecurityContext security,
      @PathParam("project") String project,
      @PathParam("name") String name) {
    secrets.delete(Callers.of(security), project, name);
    return Response.noContent().build();
  }

  /** The body's {@code data}, read without quoting any of the body (it holds values). */
  private static java.util.Map<String, String> data(String body) {
    PutSecretRequest request =
        QuietBodies.read(
            body,
            PutSecretRequest.class,
            "data",
            "the body must be {\"data\": {<key>: <string value>, ...}} and nothing else");
    if (request.data() == null) {
      throw DomainException.invalid("data", "is required");
    }
    return request.data();
  }
}
