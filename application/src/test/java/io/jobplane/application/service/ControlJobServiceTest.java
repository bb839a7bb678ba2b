package io.jobplane.application.service;

import static io.jobplane.application.testing.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.RestartJobCommand;
import io.jobplane.application.port.in.StopJobCommand;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.testing.DirectTransactionRunner;
import io.jobplane.application.testing.InMemoryJobRepository;
import io.jobplane.application.testing.InMemoryTaskRepository;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.DesiredState;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.EventType;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.StopMode;
import io.jobplane.domain.TimelineEvent;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ControlJobServiceTest {

  private final InMemoryJobRepository jobs = new InMemoryJobRepository();
  private final MutableClock clock = MutableClock.fixed().advance(Duration.ofHours(1));
  private final io.jobplane.application.testing.InMemoryTelemetryRepository checkpoints =
      new io.jobplane.application.testing.InMemoryTelemetryRepository(jobs);
  private final ControlJobService service =
      new ControlJobService(
          jobs,
          new InMemoryTaskRepository(jobs, clock),
          new InMemoryTaskRepository(jobs, clock),
          new InMemoryTaskRepository(jobs, clock),
          checkpoints,
          new DirectTransactionRunner(),
          clock,
          WorkloadOutbox.disabled());

  private final Caller submitter = new Caller("ci", Set.of(Role.SUBMITTER), null);
  private final Caller viewer = new Caller("viewer", Set.of(Role.VIEWER), null);
  private final Caller etlOnly = new Caller("etl", Set.of(Role.SUBMITTER), Set.of("etl"));

  private JobSnapshot stored(JobStatus status) {
    return jobs.insert(aJob().withStatus(status).buildJob());
  }

  private static void assertReason(ThrowingCallable call, DomainException.Reason reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            DomainException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private JobSnapshot stop(JobSnapshot job, StopMode mode) {
    return service.stop(new StopJobCommand(submitter, job.id(), mode, null));
  }

  @Test
  void stopping_a_queued_job_stops_it_at_once() {
    JobSnapshot after = stop(stored(JobStatus.QUEUED), StopMode.GRACEFUL);

    assertThat(after.status()).isEqualTo(JobStatus.STOPPED);
    assertThat(after.desiredState()).isEqualTo(DesiredState.STOPPED);
    assertThat(after.finishedAt()).isNotNull();
    assertThat(after.version()).isEqualTo(2);
  }

  @Test
  void graceful_stop_of_a_running_job_waits_for_the_runtime() {
    JobSnapshot job = stored(JobStatus.RUNNING);
    JobSnapshot after = service.stop(new StopJobCommand(submitter, job.id(), null, 30));

    assertThat(after.status()).isEqualTo(JobStatus.STOPPING);
    assertThat(after.stopMode()).isEqualTo(StopMode.GRACEFUL);
    assertThat(after.stopTimeoutSeconds()).isEqualTo(30);
    assertThat(after.finishedAt()).isNull();
    assertThat(jobs.events(job.id()))
        .last()
        .extracting(TimelineEvent::type)
        .isEqualTo(EventType.STOP_REQUESTED);
  }

  @Test
  void forced_stop_of_a_running_job_stops_it_in_the_store() {
    assertThat(stop(stored(JobStatus.RUNNING), StopMode.FORCE).status())
        .isEqualTo(JobStatus.STOPPED);
    assertThat(stop(stored(JobStatus.STOPPING), StopMode.FORCE).status())
        .isEqualTo(JobStatus.STOPPED);
  }

  @Test
  void a_stopping_job_can_only_be_forced() {
    JobSnapshot job = stored(JobStatus.STOPPING);
    assertReason(() -> stop(job, StopMode.GRACEFUL), DomainException.Reason.ILLEGAL_TRANSITION);
  }

  @Test
  void stopping_a_finished_job_is_an_illegal_transition() {
    for (JobStatus status :
        new JobStatus[] {
          JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.TIMED_OUT
        }) {
      JobSnapshot job = stored(status);
      assertReason(() -> stop(job, StopMode.GRACEFUL), DomainException.Reason.ILLEGAL_TRANSITION);
      assertThat(jobs.findById(job.id())).contains(job);
    }
  }

  @Test
  void restart_starts_a_new_run_and_keeps_the_earlier_events() {
    JobSnapshot job = stored(JobStatus.FAILED);
    int eventsBefore = jobs.events(job.id()).size();
    checkpoints.saveCheckpoint(
        job.id(),
        1,
        new io.jobplane.domain.telemetry.Checkpoint(
            "chk-1",
            1,
            io.jobplane.domain.telemetry.CheckpointState.COMPLETED,
            clock.instant(),
            clock.instant(),
            null,
            null,
            "file:///tmp/chk-1",
            0,
            java.util.List.of()));

    JobSnapshot after = service.restart(new RestartJobCommand(submitter, job.id(), "chk-1", 4));

    assertThat(after.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(after.runId()).isEqualTo(job.runId() + 1);
    assertThat(after.attempt()).isEqualTo(1);
    assertThat(after.checkpointId()).isEqualTo("chk-1");
    assertThat(after.definition().parallelism()).isEqualTo(4);
    assertThat(after.error()).isNull();
    var events = jobs.events(job.id());
    assertThat(events).hasSize(eventsBefore + 1);
    assertThat(events.subList(0, eventsBefore)).allMatch(e -> e.runId() == 1);
    assertThat(events.get(eventsBefore).type()).isEqualTo(EventType.RESTARTED);
    assertThat(events.get(eventsBefore).runId()).isEqualTo(2);
  }

  @Test
  void restarting_an_active_or_rejected_job_is_an_illegal_transition() {
    for (JobStatus status : new JobStatus[] {JobStatus.RUNNING, JobStatus.REJECTED}) {
      JobSnapshot job = stored(status);
      assertReason(
          () -> service.restart(new RestartJobCommand(submitter, job.id(), null, null)),
          DomainException.Reason.ILLEGAL_TRANSITION);
    }
  }

  @Test
  void suspend_and_resume_a_queued_job() {
    JobSnapshot job = stored(JobStatus.QUEUED);

    JobSnapshot suspended = service.suspend(submitter, job.id());
    assertThat(suspended.status()).isEqualTo(JobStatus.SUSPENDED);
    JobSnapshot resumed = service.resume(submitter, job.id());
    assertThat(resumed.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(resumed.version()).isEqualTo(3);
  }

  @Test
  void running_jobs_cannot_be_suspended_and_queued_jobs_cannot_be_resumed() {
    JobSnapshot running = stored(JobStatus.RUNNING);
    JobSnapshot queued = stored(JobStatus.QUEUED);
    assertReason(
        () -> service.suspend(submitter, running.id()), DomainException.Reason.ILLEGAL_TRANSITION);
    assertReason(
        () -> service.resume(submitter, queued.id()), DomainException.Reason.ILLEGAL_TRANSITION);
  }

  @Test
  void only_finished_jobs_can_be_deleted() {
    JobSnapshot running = stored(JobStatus.RUNNING);
    JobSnapshot done = stored(JobStatus.SUCCEEDED);

    assertReason(
        () -> service.delete(submitter, running.id()), DomainException.Reason.ILLEGAL_TRANSITION);
    service.delete(submitter, done.id());

    assertThat(jobs.findById(done.id())).isEmpty();
    assertThat(jobs.events(done.id())).isEmpty();
    assertThat(jobs.findById(running.id())).isPresent();
  }

  @Test
  void a_viewer_cannot_change_jobs() {
    JobSnapshot job = stored(JobStatus.QUEUED);
    assertReason(
        () -> service.stop(new StopJobCommand(viewer, job.id(), null, null)),
        DomainException.Reason.FORBIDDEN);
    assertReason(() -> service.suspend(viewer, job.id()), DomainException.Reason.FORBIDDEN);
    assertReason(() -> service.delete(viewer, job.id()), DomainException.Reason.FORBIDDEN);
  }

  @Test
  void jobs_of_other_projects_are_not_found_for_control() {
    JobSnapshot job = stored(JobStatus.QUEUED);
    assertReason(() -> service.suspend(etlOnly, job.id()), DomainException.Reason.NOT_FOUND);
    assertReason(
        () -> service.stop(new StopJobCommand(etlOnly, job.id(), null, null)),
        DomainException.Reason.NOT_FOUND);
    assertReason(
        () -> service.suspend(submitter, JobId.random()), DomainException.Reason.NOT_FOUND);
  }

  @Test
  void a_concurrent_update_is_a_conflict_and_changes_nothing() {
    JobSnapshot job = stored(JobStatus.QUEUED);
    // Someone else loads the same version, and we change it first.
    Job concurrent = Job.restore(job);
    service.suspend(submitter, job.id());
    concurrent.requestStop(StopMode.FORCE, null, clock.instant(), "other");

    assertReason(() -> jobs.update(concurrent), DomainException.Reason.CONFLICT);
    assertThat(jobs.findById(job.id()).orElseThrow().status()).isEqualTo(JobStatus.SUSPENDED);
    assertThat(jobs.events(job.id()))
        .extracting(TimelineEvent::type)
        .doesNotContain(EventType.STOPPED);
  }

  @Test
  void a_service_call_that_loses_the_race_gets_a_conflict() {
    JobSnapshot job = stored(JobStatus.QUEUED);
    JobRepository racing =
        new ForwardingJobRepository(jobs) {
          private boolean raced;

          @Override
          public Optional<JobSnapshot> findById(JobId id) {
            Optional<JobSnapshot> loaded = super.findById(id);
            if (!raced) {
              raced = true;
              // another request changes the job between our read and our write
              Job other = Job.restore(loaded.orElseThrow());
              other.suspend(clock.instant(), "other");
              jobs.update(other);
            }
            return loaded;
          }
        };
    ControlJobService racingService =
        new ControlJobService(
            racing,
            new InMemoryTaskRepository(racing, clock),
            new InMemoryTaskRepository(racing, clock),
            new InMemoryTaskRepository(racing, clock),
            checkpoints,
            new DirectTransactionRunner(),
            clock,
            WorkloadOutbox.disabled());

    assertReason(
        () -> racingService.stop(new StopJobCommand(submitter, job.id(), StopMode.FORCE, null)),
        DomainException.Reason.CONFLICT);
    assertThat(jobs.findById(job.id()).orElseThrow().status()).isEqualTo(JobStatus.SUSPENDED);
  }
}
