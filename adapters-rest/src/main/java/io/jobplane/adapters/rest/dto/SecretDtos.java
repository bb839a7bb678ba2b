package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.jobplane.application.port.out.SecretStore.SecretInfo;
import io.jobplane.domain.SecretData;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Wire records of the secrets API: values go in, only names, keys and times come out. */
public final class SecretDtos {

  private SecretDtos() {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "PutSecretRequest", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  public record PutSecretRequest(
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              description =
                  "1 to "
                      + SecretData.MAX_KEYS
                      + " keys (names like environment variables) with string values, at most "
                      + SecretData.MAX_BYTES
                      + " bytes together; replaces every key the secret had",
              example = "{\"PASSWORD\": \"s3cr3t\"}")
          Map<String, String> data) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "Secret", description = "a secret's names and times; values are never shown")
  public record SecretResponse(
      String project,
      String name,
      List<String> keys,
      Instant createdAt,
      Instant updatedAt,
      String updatedBy) {

    public static SecretResponse from(SecretInfo s) {
      return new SecretResponse(
          s.project(), s.name(), s.keys(), s.createdAt(), s.updatedAt(), s.updatedBy());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "SecretList")
  public record SecretListResponse(@Schema(description = "by name") List<SecretResponse> data) {}
}
