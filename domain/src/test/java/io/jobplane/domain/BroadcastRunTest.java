package io.jobplane.domain;

import static io.jobplane.domain.JobTestFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tasks of a broadcast: bound to workers, lost with them, and joined by late comers. */
class BroadcastRunTest {

  private static final Instant T1 = T0.plusSeconds(10);
  private static final String TOKEN = "hash-of-the-lease-token";
  private static final Duration WINDOW = Duration.ofSeconds(30);

  private static JobRun broadcast(boolean lateJoiners, String... workers) {
    JobDefinition def =
        JobTestFixtures.definition().toBuilder()
            .parallelism(workers.length)
            .placement(WorkerPlacement.broadcast("role=agent", lateJoiners))
            .build();
    Job job = Job.submit(JobId.random(), def, "alice", T0, "api:alice");
    job.enqueue(T0, "api:alice");
    job = Job.restore(job.snapshot());
    return JobRun.of(job, JobRun.newBoundTasks(job.snapshot(), 0, T0, List.of(workers)));
  }

  @Test
  void eachTaskIsBoundToOneWorkerAndOnlyThatWorkerLeasesIt() {
    JobRun run = broadcast(false, "a", "b");
    assertThat(run.tasks()).extracting(TaskState::boundWorker).containsExactly("a", "b");
    assertThatThrownBy(() -> run.lease(1, "a", "h", 30, TOKEN, T1))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.CONFLICT));
    TaskState leased = run.lease(1, "b", "h", 30, TOKEN, T1);
    assertThat(leased.boundWorker()).isEqualTo("b");
    assertThatThrownBy(() -> JobRun.newBoundTasks(run.job().snapshot(), 0, T0, List.of("only-one")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLostAgentFailsItsQueuedTaskAndTheOthersSuccessMakesTheJobPartiallyFailed() {
    JobRun run = broadcast(false, "a", "b");
    TaskState a = run.lease(0, "a", "h", 60, TOKEN, T1);
    assertThat(run.agentsLost(Set.of("b"), WINDOW, T1.plusSeconds(31))).isEqualTo(1);
    TaskState lost = run.task(1);
    assertThat(lost.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(lost.error().reason()).isEqualTo(TaskState.AGENT_LOST);
    assertThat(lost.error().message()).contains("worker b").contains("30 s");
    assertThat(run.job().status()).isEqualTo(JobStatus.RUNNING);

    run.complete(0, new LeaseProof(a.epoch(), TOKEN), null, true, T1.plusSeconds(40));
    assertThat(run.job().status()).isEqualTo(JobStatus.PARTIALLY_FAILED);
    // a task already leased is not the sweeper's to fail
    assertThat(run.agentsLost(Set.of("a"), WINDOW, T1.plusSeconds(50))).isZero();
  }

  @Test
  void aBroadcastWhoseEveryWorkerWentAwayBeforeItStartedIsRejected() {
    JobRun run = broadcast(false, "a", "b");
    assertThat(run.agentsLost(Set.of("a", "b"), WINDOW, T1)).isEqualTo(2);
    assertThat(run.job().status()).isEqualTo(JobStatus.REJECTED);
    assertThat(run.job().snapshot().error().reason()).isEqualTo(TaskState.AGENT_LOST);
  }

  @Test
  void aLateJoinerGetsTheNextTaskBoundToItAndWidensTheRun() {
    JobRun run = broadcast(true, "a");
    run.lease(0, "a", "h", 30, TOKEN, T1);
    TaskState joined = run.join("late", 1, T1);
    assertThat(joined.index()).isEqualTo(1);
    assertThat(joined.boundWorker()).isEqualTo("late");
    assertThat(joined.epoch()).isEqualTo(1);
    assertThat(run.job().snapshot().definition().parallelism()).isEqualTo(2);
    assertThatThrownBy(() -> run.join("late", 1, T1)).isInstanceOf(DomainException.class);

    JobRun noJoiners = broadcast(false, "a");
    assertThatThrownBy(() -> noJoiners.join("late", 0, T1))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.CONFLICT));
  }
}
