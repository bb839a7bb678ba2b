package io.jobplane.domain;

import static io.jobplane.domain.JobDependencies.Condition.FINISHED;
import static io.jobplane.domain.JobDependencies.Condition.SUCCEEDED;
import static io.jobplane.domain.JobDependencies.Verdict.RELEASE;
import static io.jobplane.domain.JobDependencies.Verdict.SKIP;
import static io.jobplane.domain.JobDependencies.Verdict.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.domain.JobDependencies.Condition;
import io.jobplane.domain.JobDependencies.Standing;
import io.jobplane.domain.JobDependencies.Verdict;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JobDependenciesTest {

  private static final JobId A = JobId.random();
  private static final JobId B = JobId.random();

  private static Standing standing(Condition condition, JobStatus a, JobStatus b) {
    Map<JobId, JobStatus> ended = new HashMap<>();
    if (a != null) {
      ended.put(A, a);
    }
    if (b != null) {
      ended.put(B, b);
    }
    return new Standing(new JobDependencies(List.of(A, B), condition), ended);
  }

  /** condition, how A ended, how B ended (null: not yet), the verdict. */
  static Stream<Arguments> verdicts() {
    return Stream.of(
        Arguments.of(SUCCEEDED, null, null, WAIT),
        Arguments.of(SUCCEEDED, JobStatus.SUCCEEDED, null, WAIT),
        Arguments.of(SUCCEEDED, JobStatus.SUCCEEDED, JobStatus.SUCCEEDED, RELEASE),
        Arguments.of(SUCCEEDED, JobStatus.FAILED, null, SKIP),
        Arguments.of(SUCCEEDED, JobStatus.SUCCEEDED, JobStatus.STOPPED, SKIP),
        Arguments.of(SUCCEEDED, JobStatus.SKIPPED, JobStatus.SUCCEEDED, SKIP),
        Arguments.of(FINISHED, JobStatus.FAILED, null, WAIT),
        Arguments.of(FINISHED, JobStatus.FAILED, JobStatus.SKIPPED, RELEASE),
        Arguments.of(FINISHED, JobStatus.TIMED_OUT, JobStatus.SUCCEEDED, RELEASE));
  }

  @ParameterizedTest(name = "{0}: A {1}, B {2} -> {3}")
  @MethodSource("verdicts")
  void theVerdictFollowsTheConditionAndTheEndsSoFar(
      Condition condition, JobStatus a, JobStatus b, Verdict expected) {
    assertThat(standing(condition, a, b).verdict()).isEqualTo(expected);
  }

  @Test
  void aSkipNamesTheFirstJobThatEndedUnacceptablyAndTheWaitNamesThoseNotEnded() {
    Standing s = standing(SUCCEEDED, null, JobStatus.FAILED);

    assertThat(s.firstUnacceptable()).contains(B);
    assertThat(s.waitingFor()).containsExactly(A);
  }

  @Test
  void dependenciesNameAtLeastOneJobAtMostAHundredAndEachOnce() {
    assertThatThrownBy(() -> new JobDependencies(List.of(), SUCCEEDED))
        .hasMessageContaining("at least one");
    assertThatThrownBy(() -> new JobDependencies(List.of(A, A), SUCCEEDED))
        .hasMessageContaining("twice");
    List<JobId> many = Stream.generate(JobId::random).limit(JobDependencies.MAX_JOBS + 1).toList();
    assertThatThrownBy(() -> new JobDependencies(many, SUCCEEDED))
        .hasMessageContaining("at most 100");
    assertThat(new JobDependencies(Collections.nCopies(1, A), SUCCEEDED).jobs()).containsExactly(A);
  }

  @Test
  void theConditionDefaultsToSucceededAndAnUnknownOneIsAnInvalidArgument() {
    assertThat(Condition.parse(null)).isEqualTo(SUCCEEDED);
    assertThat(Condition.parse("Finished")).isEqualTo(FINISHED);
    assertThatThrownBy(() -> Condition.parse("done"))
        .isInstanceOf(DomainException.class)
        .hasMessageContaining("succeeded or finished");
  }

  @Test
  void aReleasedJobIsQueuedAndASkippedOneEndsWithoutEverRunning() {
    Instant t = Instant.parse("2026-11-29T05:00:00Z");
    JobDependencies deps = new JobDependencies(List.of(A), SUCCEEDED);

    Job released = JobTestFixtures.jobIn(JobStatus.PENDING);
    TimelineEvent queued = released.release(deps, t, "dependencies");
    assertThat(released.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(queued.message()).contains("job " + A + " it depends on");

    Job skipped = JobTestFixtures.jobIn(JobStatus.PENDING);
    TimelineEvent end = skipped.skip(A, JobStatus.FAILED, t, "dependencies");
    assertThat(skipped.status()).isEqualTo(JobStatus.SKIPPED);
    assertThat(end.type()).isEqualTo(EventType.SKIPPED);
    assertThat(skipped.snapshot().error().reason()).isEqualTo("DEPENDENCY_NOT_MET");
    assertThat(skipped.snapshot().startedAt()).isNull();
  }
}
