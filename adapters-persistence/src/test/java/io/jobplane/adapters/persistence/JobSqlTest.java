package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.query.Cursor;
import io.jobplane.domain.query.JobFilter;
import io.jobplane.domain.query.LabelSelector;
import io.jobplane.domain.query.Sort;
import io.jobplane.domain.query.SortField;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobSqlTest {

  @Test
  void likeWildcardsAndTheEscapeCharacterAreEscaped() {
    assertThat(JobSql.escapeLike("100%_a\\b")).isEqualTo("100\\%\\_a\\\\b");
  }

  @Test
  void clientValuesNeverAppearInTheSqlText() {
    String evil = "x'; DROP TABLE jobs; --";
    JobFilter filter =
        new JobFilter(
            Set.of(JobStatus.QUEUED),
            "etl",
            "alpha",
            "default",
            null,
            LabelSelector.parse("env=prod,!gpu"),
            evil,
            Instant.EPOCH,
            null,
            evil,
            Set.of("alpha", "b"));

    WhereClause where = JobSql.where(filter, true);

    assertThat(where.sql()).doesNotContain("DROP", "prod", "alpha", "etl", "EPOCH", "gpu");
    assertThat(where.params()).hasSize(10);
    assertThat(where.params().values()).contains(evil, "%" + evil.toLowerCase() + "%");
  }

  @Test
  void theStatusPartCanBeLeftOut() {
    JobFilter filter =
        new JobFilter(
            Set.of(JobStatus.QUEUED), null, null, null, null, null, null, null, null, null, null);

    assertThat(JobSql.where(filter, false).sql()).isEqualTo("TRUE");
    assertThat(JobSql.where(filter, true).sql()).isEqualTo("status = ANY(:p0)");
  }

  @Test
  void orderEndsWithTheIdInTheDirectionOfTheLastKey() {
    assertThat(JobSql.orderBy(Sort.parse("-priority,progress")))
        .isEqualTo("priority DESC, COALESCE(progress, -1) ASC, id ASC");
    assertThat(JobSql.orderBy(Sort.DEFAULT)).isEqualTo("created_at DESC, id DESC");
  }

  @Test
  void aKeysetInOneDirectionIsARowComparison() {
    Sort sort = Sort.parse("-created_at");
    WhereClause where = new WhereClause();
    JobSql.after(
        sort,
        new Cursor(sort.wire(), "f", List.of("2025-01-01T00:00:00Z"), UUID.randomUUID()),
        where);

    assertThat(where.sql()).isEqualTo("(created_at, id) < (:p0, :p1)");
    assertThat(where.params().get("p0"))
        .isEqualTo(OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
  }

  @Test
  void aKeysetInMixedDirectionsIsTheLexicographicExpansion() {
    Sort sort = Sort.parse("-priority,name");
    WhereClause where = new WhereClause();
    JobSql.after(sort, new Cursor(sort.wire(), "f", List.of("5", "b"), UUID.randomUUID()), where);

    assertThat(where.sql())
        .isEqualTo(
            "((priority < :p0) OR (priority = :p0 AND name COLLATE \"C\" > :p1)"
                + " OR (priority = :p0 AND name COLLATE \"C\" = :p1 AND id > :p2))");
    assertThat(where.params().get("p0")).isEqualTo(5);
  }

  @Test
  void aMissingProgressInACursorIsTheLowestValue() {
    assertThat(JobSql.cursorValue(SortField.PROGRESS, null)).isEqualTo(-1);
    assertThat(JobSql.cursorValue(SortField.PROGRESS, "40")).isEqualTo(40);
  }

  @Test
  void malformedCursorValuesAreInvalidArguments() {
    for (SortField f : List.of(SortField.CREATED_AT, SortField.PRIORITY, SortField.NAME)) {
      assertThatThrownBy(() -> JobSql.cursorValue(f, f == SortField.NAME ? null : "zzz"))
          .isInstanceOfSatisfying(
              DomainException.class,
              e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.INVALID_ARGUMENT));
    }
  }
}
