package io.jobplane.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.openapitools.codegen.validation.Invalid;
import org.openapitools.codegen.validation.ValidationResult;
import org.openapitools.codegen.validations.oas.OpenApiEvaluator;
import org.openapitools.codegen.validations.oas.RuleConfiguration;

/**
 * The served document passes the same checks openapi-generator runs with {@code validateSpec} (the
 * swagger-parser messages plus the generator's own evaluator), so clients generate cleanly.
 */
class OpenApiValidationTest extends ApiTestSupport {

  private String served() {
    return get(null, "openapi.json").readEntity(String.class);
  }

  @Test
  void the_document_passes_openapi_generator_validation() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult parsed = new OpenAPIParser().readContents(served(), null, options);
    assertThat(parsed.getMessages()).isEmpty();
    assertThat(parsed.getOpenAPI()).isNotNull();

    ValidationResult result =
        new OpenApiEvaluator(new RuleConfiguration()).validate(parsed.getOpenAPI());
    assertThat(result.getErrors().stream().map(Invalid::getMessage)).isEmpty();
  }

  @Test
  void operation_ids_are_unique_and_carry_no_generated_suffix() {
    Map<String, List<String>> ids = new TreeMap<>();
    documentedOperations()
        .forEach(
            (op, operation) ->
                ids.computeIfAbsent(operation.path("operationId").asText(), k -> new ArrayList<>())
                    .add(op));
    assertThat(ids).doesNotContainKey("").hasSizeGreaterThan(20);
    assertThat(ids.values()).allSatisfy(ops -> assertThat(ops).hasSize(1));
    // swagger-core numbers a repeated method name (logs1, errors1): a sign of a collision
    assertThat(ids.keySet()).noneMatch(id -> id.matches(".*\\d$"));
  }

  @Test
  void every_response_has_a_description_or_references_a_shared_one() {
    JsonNode doc = json(get(null, "openapi.json"));
    List<String> undescribed = new ArrayList<>();
    documentedOperations()
        .forEach(
            (op, operation) ->
                operation
                    .path("responses")
                    .fields()
                    .forEachRemaining(
                        r -> {
                          boolean described =
                              r.getValue().hasNonNull("$ref")
                                  || !r.getValue().path("description").asText().isBlank();
                          // a header without a schema makes generators guess
                          r.getValue()
                              .path("headers")
                              .fields()
                              .forEachRemaining(
                                  h -> {
                                    if (!h.getValue().has("schema")) {
                                      undescribed.add(op + " header " + h.getKey());
                                    }
                                  });
                          if (!described) {
                            undescribed.add(op + " " + r.getKey());
                          }
                        }));
    assertThat(undescribed).isEmpty();
    assertThat(doc.at("/components/responses/Problem/description").asText()).isNotBlank();
  }

  @Test
  void the_file_written_for_client_generation_is_the_served_document() {
    assertThat(OpenApiDocumentFile.servedDocument()).isEqualTo(served());
  }
}
