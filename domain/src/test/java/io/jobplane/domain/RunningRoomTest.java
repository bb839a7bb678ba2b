package io.jobplane.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunningRoomTest {

  private final JobId a = JobId.random();
  private final JobId b = JobId.random();
  private final JobId c = JobId.random();

  @Test
  void aProjectWithRoomForOneMoreJobStartsOneAndHoldsTheNext() {
    RunningRoom room = new RunningRoom().limitProject("etl", 2, 1);
    assertThat(room.admit("etl", "q", a, false)).isTrue();
    assertThat(room.admit("etl", "q", b, false)).isFalse();
  }

  @Test
  void furtherTasksOfAStartedOrRunningJobTakeNoRoom() {
    RunningRoom room = new RunningRoom().limitProject("etl", 1, 1);
    assertThat(room.admit("etl", "q", a, true)).isTrue();
    assertThat(room.admit("etl", "q", b, false)).isFalse();

    RunningRoom one = new RunningRoom().limitProject("etl", 1, 0);
    assertThat(one.admit("etl", "q", a, false)).isTrue();
    assertThat(one.admit("etl", "q", a, false)).isTrue(); // task 2 of the same job
    assertThat(one.admit("etl", "q", b, false)).isFalse();
  }

  @Test
  void aQueuesLimitHoldsOnlyThatQueueAndBothLimitsAreSpent() {
    RunningRoom room = new RunningRoom().limitProject("etl", 2, 0).limitQueue("etl", "gpu", 1, 0);
    assertThat(room.admit("etl", "gpu", a, false)).isTrue();
    assertThat(room.admit("etl", "gpu", b, false)).isFalse();
    assertThat(room.admit("etl", "cpu", b, false)).isTrue();
    assertThat(room.admit("etl", "cpu", c, false)).isFalse(); // the project's 2 are spent
  }

  @Test
  void aProjectWithoutALimitIsNeverHeldAndARunningCountPastTheLimitLeavesNoRoom() {
    RunningRoom room = new RunningRoom().limitProject("etl", 1, 3);
    assertThat(room.admit("ml", "q", a, false)).isTrue();
    assertThat(room.admit("etl", "q", b, false)).isFalse();
    assertThat(new RunningRoom().limitProject("etl", 0, 0).admit("etl", "q", c, false)).isFalse();
  }
}
