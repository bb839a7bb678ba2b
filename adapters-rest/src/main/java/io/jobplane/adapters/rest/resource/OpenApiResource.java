package io.jobplane.adapters.rest.resource;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/openapi.json")
@Tag(name = "operations")
@Singleton
public class OpenApiResource {

  private final OpenApiDocument document;

  @Inject
  public OpenApiResource(OpenApiDocument document) {
    this.document = document;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @SecurityRequirements
  @Operation(
      operationId = "getOpenApiDocument",
      summary = "This API's OpenAPI 3 document",
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "this document",
              content = @Content(schema = @Schema(type = "object"))))
  public String openApi() {
    return document.json();
  }
}
