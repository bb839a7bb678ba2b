package io.jobplane.domain.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebhookFilterTest {

  private static final Map<String, String> PROD = Map.of("env", "prod", "team", "data");

  @Test
  void anEmptyFilterLetsEveryEventThrough() {
    assertThat(WebhookFilter.EVERYTHING.matches(JobStatus.QUEUED, "etl", Map.of())).isTrue();
    assertThat(WebhookFilter.of(null, null, null).matches(JobStatus.FAILED, "x", PROD)).isTrue();
  }

  @Test
  void statusesTypesAndLabelsMustAllMatch() {
    WebhookFilter f =
        WebhookFilter.of(List.of("succeeded", "FAILED"), List.of("etl"), "env=prod,!canary");

    assertThat(f.matches(JobStatus.SUCCEEDED, "etl", PROD)).isTrue();
    assertThat(f.matches(JobStatus.FAILED, "etl", PROD)).isTrue();
    assertThat(f.matches(JobStatus.RUNNING, "etl", PROD)).as("status").isFalse();
    assertThat(f.matches(JobStatus.SUCCEEDED, "report", PROD)).as("type").isFalse();
    assertThat(f.matches(JobStatus.SUCCEEDED, "etl", Map.of("env", "dev"))).as("label").isFalse();
    assertThat(f.matches(JobStatus.SUCCEEDED, "etl", Map.of("env", "prod", "canary", "1")))
        .as("excluded label")
        .isFalse();
  }

  @Test
  void statusesReadBackInLifecycleOrderAndTypesSorted() {
    WebhookFilter f = WebhookFilter.of(List.of("failed", "queued"), List.of("b", "a"), null);

    assertThat(f.sortedStatuses()).containsExactly(JobStatus.QUEUED, JobStatus.FAILED);
    assertThat(f.sortedTypes()).containsExactly("a", "b");
    assertThat(f.statuses()).isEqualTo(Set.of(JobStatus.QUEUED, JobStatus.FAILED));
  }

  @Test
  void badInputNamesTheField() {
    assertThatThrownBy(() -> WebhookFilter.of(List.of("DONE"), null, null))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.errors().get(0).field()).isEqualTo("statuses"));
    assertThatThrownBy(() -> WebhookFilter.of(null, List.of("not a type!"), null))
        .isInstanceOfSatisfying(
            DomainException.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("types"));
    assertThatThrownBy(() -> WebhookFilter.of(null, null, "=x"))
        .isInstanceOfSatisfying(
            DomainException.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("labels"));
  }
}
