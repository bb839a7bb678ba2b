package io.jobplane.adapters.rest.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.WorkerPlacement;
import io.jobplane.domain.query.ListExpansion;
import io.jobplane.domain.telemetry.CheckpointState;
import io.jobplane.domain.telemetry.LogLevel;
import io.jobplane.domain.telemetry.LogStream;
import org.junit.jupiter.api.Test;

class WireNamesTest {

  @Test
  void a_constant_is_written_in_lower_case() {
    assertThat(WireNames.of(CheckpointState.IN_PROGRESS)).isEqualTo("in_progress");
    assertThat(WireNames.of(LogStream.STDOUT)).isEqualTo("stdout");
    assertThat(WireNames.of(JobRuntime.KUBERNETES)).isEqualTo("kubernetes");
    assertThat(WireNames.of(WorkerPlacement.Mode.BROADCAST)).isEqualTo("broadcast");
  }

  @Test
  void a_telemetry_name_is_read_in_any_case_and_an_unknown_one_lists_the_known() {
    assertThat(WireNames.parse(CheckpointState.class, "in_progress", "state"))
        .isEqualTo(CheckpointState.IN_PROGRESS);
    assertThat(WireNames.parse(LogLevel.class, " Warn ", "level")).isEqualTo(LogLevel.WARN);
    assertThatThrownBy(() -> WireNames.parse(LogLevel.class, "debug", "level"))
        .hasMessageContaining("info, warn");
    assertThatThrownBy(() -> WireNames.parse(LogLevel.class, " ", "level"))
        .hasMessageContaining("must not be empty");
  }

  @Test
  void runtime_parsing_names_both_runtimes() {
    assertThat(WireNames.runtime("Kubernetes", "runtime")).isEqualTo(JobRuntime.KUBERNETES);
    assertThatThrownBy(() -> WireNames.runtime("lambda", "runtime"))
        .hasMessageContaining("worker or kubernetes");
  }

  @Test
  void a_placement_mode_is_read_in_any_case() {
    assertThat(WireNames.placementMode("Broadcast", "placement.mode"))
        .isEqualTo(WorkerPlacement.Mode.BROADCAST);
    assertThatThrownBy(() -> WireNames.placementMode("all", "placement.mode"))
        .isInstanceOf(DomainException.class);
  }

  @Test
  void expansion_names_are_read_case_insensitively_and_trimmed() {
    assertThat(WireNames.expansion(" Tasks ", "expand")).isEqualTo(ListExpansion.TASKS);
    assertThat(WireNames.expansion("timeline", "expand")).isEqualTo(ListExpansion.TIMELINE);
    assertThat(WireNames.of(ListExpansion.TIMELINE)).isEqualTo("timeline");
  }

  @Test
  void an_unknown_expansion_is_refused_naming_it_and_the_known_ones() {
    assertThatThrownBy(() -> WireNames.expansion("agents", "expand"))
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
  void an_empty_expansion_is_refused() {
    assertThatThrownBy(() -> WireNames.expansion(" ", "expand"))
        .isInstanceOf(DomainException.class)
        .hasMessageContaining("empty");
  }
}
