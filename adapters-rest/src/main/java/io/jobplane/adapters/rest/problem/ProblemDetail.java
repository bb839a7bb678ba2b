package io.jobplane.adapters.rest.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** An RFC 9457 problem document, sent as application/problem+json for every error. */
@Schema(name = "Problem", description = "RFC 9457 problem details")
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemDetail(
    @Schema(example = "https://jobplane.io/problems/invalid-argument") String type,
    @Schema(example = "Invalid argument") String title,
    @Schema(example = "400") int status,
    String detail,
    @Schema(description = "the request path") String instance,
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
        @Schema(description = "what exactly is wrong, per body field or query parameter")
        List<FieldProblem> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";

  /** One offending body field ({@code field}) or query/path parameter ({@code parameter}). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(name = "FieldProblem")
  public record FieldProblem(String field, String parameter, String message) {

    public static FieldProblem field(String field, String message) {
      return new FieldProblem(field, null, message);
    }

    public static FieldProblem parameter(String parameter, String message) {
      return new FieldProblem(null, parameter, message);
    }
  }
}
