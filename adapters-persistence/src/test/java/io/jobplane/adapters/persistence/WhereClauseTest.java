package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WhereClauseTest {

  @Test
  void noConditionMatchesEveryRow() {
    assertThat(new WhereClause().sql()).isEqualTo("TRUE");
  }

  @Test
  void anUnsetCriterionAddsNothingAndASetOneIsBound() {
    WhereClause where = new WhereClause();
    where.add("job_id = " + where.bind(7));
    where.addIfSet("level =", null);
    where.addIfSet("operator_id =", "x'; DROP TABLE jobs; --");

    assertThat(where.sql()).isEqualTo("job_id = :p0 AND operator_id = :p1");
    assertThat(where.params()).isEqualTo(Map.of("p0", 7, "p1", "x'; DROP TABLE jobs; --"));
  }
}
