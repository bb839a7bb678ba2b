package io.jobplane.domain.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.domain.DomainException;
import org.junit.jupiter.api.Test;

class ListExpansionTest {

  @Test
  void names_are_read_case_insensitively_and_trimmed() {
    assertThat(ListExpansion.parse(" Tasks ", "expand")).isEqualTo(ListExpansion.TASKS);
    assertThat(ListExpansion.parse("timeline", "expand")).isEqualTo(ListExpansion.TIMELINE);
    assertThat(ListExpansion.TIMELINE.wireName()).isEqualTo("timeline");
  }

  @Test
  void an_unknown_name_is_refused_naming_it_and_the_known_ones() {
    assertThatThrownBy(() -> ListExpansion.parse("agents", "expand"))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(DomainException.Reason.INVALID_ARGUMENT);
              assertThat(e.errors().get(0).field()).isEqualTo("expand");
              assertThat(e.errors().get(0).message())
                  .isEqualTo(
                      "unknown expansion 'agents'; expected one of tasks, timeline, items, output");
            });
  }

  @Test
  void an_empty_name_is_refused() {
    assertThatThrownBy(() -> ListExpansion.parse(" ", "expand"))
        .isInstanceOf(DomainException.class)
        .hasMessageContaining("empty");
  }
}
