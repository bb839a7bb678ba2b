package io.jobplane.domain.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class QueryRulesTest {

  @Test
  void pageSizeIsOneToOneHundredAndDefaultsToTwenty() {
    assertThat(PageRequest.of(null, null, null).limit()).isEqualTo(20);
    assertThat(PageRequest.of(100, 0, null).limit()).isEqualTo(100);
    assertThatThrownBy(() -> PageRequest.of(0, null, null)).hasMessageContaining("limit");
    assertThatThrownBy(() -> PageRequest.of(101, null, null)).hasMessageContaining("limit");
    assertThatThrownBy(() -> PageRequest.of(10, -1, null)).hasMessageContaining("offset");
  }

  @Test
  void aCursorAndAnOffsetCannotBeCombined() {
    String cursor =
        new Cursor("-created_at", "x", List.of("2026-01-01T00:00:00Z"), UUID.randomUUID()).encode();
    assertThatThrownBy(() -> PageRequest.of(10, 0, cursor)).hasMessageContaining("cursor");
  }

  @Test
  void sortDefaultsToNewestFirstAndParsesSeveralFields() {
    assertThat(Sort.parse(null).wire()).isEqualTo("-created_at");
    Sort s = Sort.parse("-priority,name");
    assertThat(s.keys())
        .containsExactly(
            new Sort.Key(SortField.PRIORITY, true), new Sort.Key(SortField.NAME, false));
    assertThat(s.idDescending()).isFalse();
  }

  @Test
  void sortingByAFieldOutsideTheWhitelistIsRejected() {
    assertThatThrownBy(() -> Sort.parse("input")).hasMessageContaining("allowed");
    assertThatThrownBy(() -> Sort.parse("name;drop table jobs"))
        .isInstanceOf(DomainException.class);
    assertThatThrownBy(() -> Sort.parse("name,-name")).hasMessageContaining("more than once");
    assertThatThrownBy(() -> Sort.parse("")).isInstanceOf(DomainException.class);
  }

  @Test
  void cursorsRoundTripIncludingMissingValues() {
    UUID id = UUID.randomUUID();
    Cursor c = new Cursor("progress,name", "abc", java.util.Arrays.asList(null, "Zoë, etl"), id);
    Cursor back = Cursor.decode(c.encode());
    assertThat(back.value(0)).isNull();
    assertThat(back.value(1)).isEqualTo("Zoë, etl");
    assertThat(back.lastId()).isEqualTo(id);
    assertThat(back.sort()).isEqualTo("progress,name");
  }

  @Test
  void garbageIsNotACursor() {
    assertThatThrownBy(() -> Cursor.decode("not-a-cursor")).hasMessageContaining("cursor");
    assertThatThrownBy(() -> Cursor.decode("%%%")).hasMessageContaining("cursor");
  }

  @Test
  void aCursorIsBoundToItsSortAndFilter() {
    JobFilter filter = JobFilter.ALL;
    Cursor c =
        new Cursor(
            "-created_at",
            filter.fingerprint(),
            List.of(Instant.EPOCH.toString()),
            UUID.randomUUID());
    PageRequest page = new PageRequest(10, 0, c);
    assertThat(new JobQuery(filter, Sort.DEFAULT, page).page().cursor()).isEqualTo(c);
    assertThatThrownBy(() -> new JobQuery(filter, Sort.parse("name"), page))
        .hasMessageContaining("sort");
    JobFilter other =
        new JobFilter(
            Set.of(JobStatus.QUEUED), null, null, null, null, null, null, null, null, null, null);
    assertThatThrownBy(() -> new JobQuery(other, Sort.DEFAULT, page))
        .hasMessageContaining("other filters");
  }

  @Test
  void labelSelectorsSupportEqualityInequalityAndExistence() {
    LabelSelector s = LabelSelector.parse("env=prod,tier!=web,gpu,!spot,team==ml");
    assertThat(s.matches(Map.of("env", "prod", "tier", "db", "gpu", "a100", "team", "ml")))
        .isTrue();
    assertThat(s.matches(Map.of("env", "prod", "tier", "web", "gpu", "", "team", "ml"))).isFalse();
    assertThat(s.matches(Map.of("env", "prod", "gpu", "", "spot", "y", "team", "ml"))).isFalse();
    assertThat(s.matches(Map.of("env", "dev", "gpu", "", "team", "ml"))).isFalse();
  }

  @Test
  void selectorInjectionAttemptsAreRejected() {
    assertThatThrownBy(() -> LabelSelector.parse("env=prod' OR '1'='1"))
        .isInstanceOf(DomainException.class);
    assertThatThrownBy(() -> LabelSelector.parse("a b=c")).isInstanceOf(DomainException.class);
    assertThatThrownBy(() -> LabelSelector.parse("")).isInstanceOf(DomainException.class);
  }

  @Test
  void createdAfterMustBeBeforeCreatedBefore() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    assertThatThrownBy(
            () -> new JobFilter(null, null, null, null, null, null, null, t, t, null, null))
        .hasMessageContaining("created_after");
  }

  @Test
  void onlySummaryDimensionsAreCountableWithoutAScan() {
    assertThat(JobFilter.ALL.countableFromSummary()).isTrue();
    assertThat(
            new JobFilter(
                    Set.of(JobStatus.FAILED),
                    "etl",
                    "p",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    Set.of("p"))
                .countableFromSummary())
        .isTrue();
    assertThat(
            new JobFilter(null, null, null, "q", null, null, null, null, null, null, null)
                .countableFromSummary())
        .isFalse();
  }

  @Test
  void aFilterBuiltByNameMatchesOnlyWhatIsSetAndItsWithersKeepTheRest() {
    JobFilter filter =
        JobFilter.builder()
            .statuses(Set.of(JobStatus.FAILED))
            .project("etl")
            .visibleProjects(Set.of("etl", "ml"))
            .build();
    assertThat(JobFilter.builder().build()).isEqualTo(JobFilter.ALL);
    assertThat(JobFilter.ALL.labels()).isEqualTo(LabelSelector.EVERYTHING);
    assertThat(filter.withoutStatuses().statuses()).isNull();
    assertThat(filter.withoutStatuses().project()).isEqualTo("etl");
    assertThat(filter.withSearch("nightly").search()).isEqualTo("nightly");
    assertThat(filter.withSearch("nightly").visibleProjects())
        .containsExactlyInAnyOrder("etl", "ml");
    assertThat(filter.withVisibleProjects(Set.of("ml")).statuses())
        .containsExactly(JobStatus.FAILED);
    assertThatThrownBy(() -> filter.withSearch("x".repeat(JobFilter.MAX_SEARCH + 1)))
        .hasMessageContaining("search");
  }

  @Test
  void aStreamFilterBuiltWithNothingSetCarriesEveryEvent() {
    assertThat(StreamFilter.builder().build()).isEqualTo(StreamFilter.ALL);
    assertThat(StreamFilter.ALL.statuses()).isNull();
    assertThat(StreamFilter.ALL.labels()).isEqualTo(LabelSelector.EVERYTHING);
    StreamFilter failedEtl =
        StreamFilter.builder().statuses(Set.of(JobStatus.FAILED)).project("etl").build();
    assertThat(failedEtl.project()).isEqualTo("etl");
    assertThat(failedEtl.type()).isNull();
  }
}
