package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.jobplane.application.port.out.WebhookOutbox.LogPage;
import io.jobplane.application.port.out.WebhookOutbox.Logged;
import io.jobplane.domain.webhook.DeliveryStatus;
import io.jobplane.domain.webhook.Webhook;
import io.jobplane.domain.webhook.WebhookEvent;
import io.jobplane.domain.webhook.WebhookSecret;
import io.jobplane.domain.webhook.WebhookUrl;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Wire records of the webhooks API: the signing secret goes in and never comes out. */
public final class WebhookDtos {

  private WebhookDtos() {}

  /** The CloudEvents type of a job event (e.g. io.jobplane.job.succeeded). */
  public static String cloudEventType(WebhookEvent event) {
    return "io.jobplane.job." + event.transition().type().name().toLowerCase(Locale.ROOT);
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "WebhookRequest", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  public record WebhookRequest(
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              maxLength = WebhookUrl.MAX_LENGTH,
              description =
                  "an http or https URL the server posts each event to (no user information,"
                      + " no fragment)",
              example = "https://ci.example.com/hooks/jobplane")
          String url,
      @Schema(
              description = "only events whose new status is one of these (default: every status)",
              example = "[\"SUCCEEDED\", \"FAILED\"]")
          List<String> statuses,
      @Schema(description = "only jobs of these types (default: every type); at most 20")
          List<String> types,
      @Schema(
              description =
                  "only jobs whose labels match this selector (as ?labels= of the jobs list)",
              example = "env=prod,!canary")
          String labels,
      @Schema(
              minLength = WebhookSecret.MIN_LENGTH,
              maxLength = WebhookSecret.MAX_LENGTH,
              accessMode = Schema.AccessMode.WRITE_ONLY,
              description =
                  "the HMAC-SHA256 key of the Jobplane-Signature header, printable ASCII;"
                      + " required on create, kept when left out of a replace; never shown")
          String secret) {

    @Override
    public String toString() {
      return "WebhookRequest[url=" + url + "]"; // never the secret
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "Webhook", description = "a webhook; its secret is never shown")
  public record WebhookResponse(
      String id,
      String project,
      String url,
      @Schema(description = "empty: every status") List<String> statuses,
      @Schema(description = "empty: every type") List<String> types,
      @Schema(nullable = true, description = "null: any labels") String labels,
      Instant createdAt,
      Instant updatedAt,
      String updatedBy) {

    public static WebhookResponse from(Webhook w) {
      return new WebhookResponse(
          w.id().toString(),
          w.project(),
          w.url().toString(),
          w.filter().sortedStatuses().stream().map(Enum::name).toList(),
          w.filter().sortedTypes(),
          w.filter().labels(),
          w.createdAt(),
          w.updatedAt(),
          w.updatedBy());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "WebhookList")
  public record WebhookListResponse(
      @Schema(description = "oldest first") List<WebhookResponse> data) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "WebhookDelivery", description = "one event sent (or to be sent) to a webhook")
  public record DeliveryResponse(
      @Schema(description = "the CloudEvent id; the same on every retry and redelivery") String id,
      @Schema(example = "io.jobplane.job.succeeded") String type,
      String jobId,
      @Schema(nullable = true) String fromStatus,
      String toStatus,
      Instant occurredAt,
      DeliveryStatus status,
      @Schema(description = "attempts started so far") int attempts,
      @Schema(nullable = true) Integer lastResponseCode,
      @Schema(nullable = true) String lastError,
      @Schema(nullable = true, description = "when a pending delivery is tried next")
          Instant nextAttemptAt,
      Instant updatedAt) {

    public static DeliveryResponse from(Logged d) {
      WebhookEvent e = d.event();
      var p = d.progress();
      return new DeliveryResponse(
          e.id().toString(),
          cloudEventType(e),
          e.job().id().toString(),
          e.transition().from() == null ? null : e.transition().from().name(),
          e.transition().to().name(),
          e.transition().at(),
          p.status(),
          p.attempts(),
          p.lastResponseCode(),
          p.lastError(),
          p.status() == DeliveryStatus.PENDING ? p.nextAttemptAt() : null,
          p.updatedAt());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "WebhookDeliveryPage")
  public record DeliveryPageResponse(
      @Schema(description = "newest first") List<DeliveryResponse> data,
      @Schema(nullable = true, description = "pass as ?before= for the next page; null on the last")
          String nextCursor) {

    public static DeliveryPageResponse from(LogPage page) {
      return new DeliveryPageResponse(
          page.deliveries().stream().map(DeliveryResponse::from).toList(),
          page.next() == null ? null : page.next().toString());
    }
  }
}
