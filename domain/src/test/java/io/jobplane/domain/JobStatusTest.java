package io.jobplane.domain;

import static io.jobplane.domain.JobStatus.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JobStatusTest {

  /** The state machine as documented in docs/architecture.md; every other pair is illegal. */
  static final Map<JobStatus, Set<JobStatus>> ALLOWED =
      Map.ofEntries(
          Map.entry(PENDING, EnumSet.of(QUEUED, SUSPENDED, STOPPED, REJECTED, SKIPPED)),
          Map.entry(SUSPENDED, EnumSet.of(QUEUED, STOPPED)),
          Map.entry(QUEUED, EnumSet.of(RUNNING, SUSPENDED, STOPPED, REJECTED)),
          Map.entry(
              RUNNING,
              EnumSet.of(
                  STOPPING, SUCCEEDED, FAILED, PARTIALLY_FAILED, TIMED_OUT, STOPPED, QUEUED)),
          Map.entry(STOPPING, EnumSet.of(STOPPED, SUCCEEDED, FAILED, PARTIALLY_FAILED, TIMED_OUT)),
          Map.entry(SUCCEEDED, EnumSet.of(QUEUED)),
          Map.entry(FAILED, EnumSet.of(QUEUED)),
          Map.entry(STOPPED, EnumSet.of(QUEUED)),
          Map.entry(TIMED_OUT, EnumSet.of(QUEUED)),
          Map.entry(PARTIALLY_FAILED, EnumSet.of(QUEUED)),
          Map.entry(REJECTED, EnumSet.noneOf(JobStatus.class)),
          Map.entry(SKIPPED, EnumSet.of(QUEUED)));

  static Stream<Arguments> everyPair() {
    return EnumSet.allOf(JobStatus.class).stream()
        .flatMap(from -> EnumSet.allOf(JobStatus.class).stream().map(to -> Arguments.of(from, to)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("everyPair")
  void transitionIsAllowedExactlyWhenTheStateMachineSaysSo(JobStatus from, JobStatus to) {
    assertThat(from.canTransitionTo(to)).isEqualTo(ALLOWED.get(from).contains(to));
  }

  @Test
  void terminalStatesAreTheOnesThatEndARun() {
    assertThat(EnumSet.allOf(JobStatus.class).stream().filter(JobStatus::isTerminal))
        .containsExactlyInAnyOrder(
            SUCCEEDED, FAILED, STOPPED, TIMED_OUT, PARTIALLY_FAILED, REJECTED, SKIPPED);
  }

  @Test
  void theOnlyWayOutOfATerminalStateIsARestartIntoTheQueue() {
    for (JobStatus s : JobStatus.values()) {
      if (s.isTerminal()) {
        assertThat(s.successors()).isSubsetOf(EnumSet.of(QUEUED));
      }
    }
  }

  @Test
  void statusNamesParseCaseInsensitively() {
    assertThat(JobStatus.parse("timed_out", "status")).isEqualTo(TIMED_OUT);
    assertThat(JobStatus.parse(" Running ", "status")).isEqualTo(RUNNING);
  }

  @Test
  void anUnknownStatusIsAnInvalidArgument() {
    assertThatThrownBy(() -> JobStatus.parse("DONE", "status"))
        .isInstanceOf(DomainException.class)
        .extracting(e -> ((DomainException) e).reason())
        .isEqualTo(DomainException.Reason.INVALID_ARGUMENT);
  }
}
