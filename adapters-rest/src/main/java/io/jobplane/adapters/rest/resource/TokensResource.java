package io.jobplane.adapters.rest.resource;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.jobplane.adapters.rest.auth.TokenEntry;
import io.jobplane.adapters.rest.auth.TokenRegistry;
import io.jobplane.adapters.rest.auth.TokenVerificationCache;
import io.jobplane.adapters.rest.dto.TokenDtos.CreateTokenRequest;
import io.jobplane.adapters.rest.dto.TokenDtos.IssuedToken;
import io.jobplane.adapters.rest.dto.TokenDtos.TokenList;
import io.jobplane.adapters.rest.dto.TokenDtos.TokenResponse;
import io.jobplane.adapters.rest.json.JsonMapping;
import io.jobplane.adapters.rest.problem.ProblemDetail;
import io.jobplane.application.port.in.ApiTokensUseCase;
import io.jobplane.application.port.in.IssueTokenCommand;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.security.TokenGrant;
import io.jobplane.domain.DomainException;
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
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * API tokens kept in the store (admin only): issue one, list them, read one, revoke one. The tokens
 * file still works beside them as the bootstrap source.
 */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tokens")
@Singleton
public class TokensResource {

  private static final ObjectWriter ISSUED_JSON = JsonMapping.writerFor(IssuedToken.class);
  private static final ObjectWriter TOKEN_JSON = JsonMapping.writerFor(TokenResponse.class);
  private static final ObjectWriter LIST_JSON = JsonMapping.writerFor(TokenList.class);

  private final ApiTokensUseCase tokens;
  private final TokenVerificationCache verified;
  private final Set<String> fileTokenNames;

  @Inject
  public TokensResource(
      ApiTokensUseCase tokens, TokenVerificationCache verified, TokenRegistry fileTokens) {
    this.tokens = tokens;
    this.verified = verified;
    this.fileTokenNames =
        fileTokens.entries().stream().map(TokenEntry::name).collect(Collectors.toUnmodifiableSet());
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "issueToken",
      summary = "Issue an API token (admin)",
      description =
          "The answer carries the secret once; the server keeps only its SHA-256. A token may be"
              + " limited to projects and may expire (expires_at, or expires_in_seconds from"
              + " now).",
      responses = {
        @ApiResponse(
            responseCode = "201",
            description = "issued",
            content = @Content(schema = @Schema(implementation = IssuedToken.class))),
        @ApiResponse(
            responseCode = "409",
            description = "a token of that name is not revoked, or is in the tokens file",
            ref = "Problem")
      })
  public Response issue(
      @Context SecurityContext security,
      @Context UriInfo uriInfo,
      @RequestBody(required = true) CreateTokenRequest body) {
    Caller caller = Callers.of(security);
    // before looking at the body: a non-admin learns nothing from this endpoint, not even a 400
    AccessPolicy.requireAdmin(caller);
    Bodies.required(body);
    TokenGrant grant =
        new TokenGrant(
            body.name(),
            roles(body.roles()),
            body.projects() == null ? null : new LinkedHashSet<>(body.projects()));
    if (fileTokenNames.contains(grant.name())) {
      // the name is the caller's identity (created_by, idempotency scope): never shared with the
      // tokens file's entries, which the store does not know
      throw DomainException.conflict(
          "a token named '" + grant.name() + "' is in the tokens file; choose another name");
    }
    IssueTokenCommand command =
        new IssueTokenCommand(
            grant,
            body.expiresAt(),
            body.expiresInSeconds() == null ? null : Duration.ofSeconds(body.expiresInSeconds()));
    ApiTokensUseCase.IssuedToken issued = tokens.issue(caller, command);
    return Locations.created(uriInfo, "api/v1/tokens", issued.token().id().toString())
        .entity(JsonMapping.bytes(ISSUED_JSON, IssuedToken.from(issued.token(), issued.secret())))
        .build();
  }

  @GET
  @Operation(
      operationId = "listTokens",
      summary = "List API tokens (admin)",
      description =
          "The newest first, at most 1,000, revoked and expired ones included. Never a secret.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the tokens the caller may see, never their secrets",
            content = @Content(schema = @Schema(implementation = TokenList.class)))
      })
  public Response list(@Context SecurityContext security) {
    List<TokenResponse> items =
        tokens.list(Callers.of(security)).stream().map(TokenResponse::from).toList();
    return Response.ok(JsonMapping.bytes(LIST_JSON, new TokenList(items))).build();
  }

  @GET
  @Path("{id}")
  @Operation(
      operationId = "getToken",
      summary = "An API token's metadata (admin)",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the token, never its secret",
            content = @Content(schema = @Schema(implementation = TokenResponse.class)))
      })
  public Response get(
      @Context SecurityContext security,
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("id") String id) {
    TokenResponse token = TokenResponse.from(tokens.get(Callers.of(security), pathId(id)));
    return Response.ok(JsonMapping.bytes(TOKEN_JSON, token)).build();
  }

  @DELETE
  @Path("{id}")
  // no body to answer: a client that accepts only problem+json (what the document lists for
  // this operation, so what generated clients send) must not get 406
  @Produces({MediaType.APPLICATION_JSON, ProblemDetail.MEDIA_TYPE})
  @Operation(
      operationId = "revokeToken",
      summary = "Revoke an API token (admin)",
      description =
          "Requests with the token are refused at once on this server, and within 5 s on the"
              + " others. Revoking a revoked token again is no error.",
      responses = {@ApiResponse(responseCode = "204", description = "revoked")})
  public Response revoke(
      @Context SecurityContext security,
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("id") String id) {
    tokens.revoke(Callers.of(security), pathId(id));
    // this server forgets what it remembered about tokens; others forget within the cache's ttl
    verified.forgetAll();
    return Response.noContent().build();
  }

  private static Set<Role> roles(List<String> names) {
    if (names == null) {
      return Set.of(); // the grant says which field is missing
    }
    Set<Role> roles = new LinkedHashSet<>();
    for (String name : names) {
      try {
        roles.add(Role.parse(name));
      } catch (IllegalArgumentException e) {
        throw DomainException.invalid(
            "roles",
            "unknown role '"
                + (name.length() > 40 ? name.substring(0, 40) + "..." : name)
                + "'; expected viewer, submitter, worker, metrics or admin");
      }
    }
    return roles;
  }

  private static UUID pathId(String id) {
    // token ids are UUIDs like job ids, so they follow the same parsing rule
    return Params.jobId("id", id).value();
  }
}
