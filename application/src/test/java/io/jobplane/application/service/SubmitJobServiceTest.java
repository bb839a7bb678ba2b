package io.jobplane.application.service;

import static io.jobplane.application.testing.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.SubmitJobUseCase.Submitted;
import io.jobplane.application.port.out.WorkloadRuntime;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.ProjectNamespaces;
import io.jobplane.application.security.Role;
import io.jobplane.application.testing.DirectTransactionRunner;
import io.jobplane.application.testing.InMemoryIdempotencyKeys;
import io.jobplane.application.testing.InMemoryJobRepository;
import io.jobplane.application.testing.InMemoryServices;
import io.jobplane.application.testing.InMemoryTaskRepository;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.application.testing.TestWorkloads;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.EventType;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.KubernetesPlacement;
import io.jobplane.domain.TimelineEvent;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubmitJobServiceTest {

  private final InMemoryJobRepository jobs = new InMemoryJobRepository();
  private final InMemoryIdempotencyKeys keys = new InMemoryIdempotencyKeys();
  private final MutableClock clock = MutableClock.fixed();
  private final SubmitJobService service =
      InMemoryServices.submit(
              jobs,
              new InMemoryTaskRepository(jobs, clock),
              keys,
              new DirectTransactionRunner(),
              clock)
          .build();

  private final Caller ci = new Caller("ci", Set.of(Role.SUBMITTER), Set.of("default", "etl"));
  private final JobDefinition definition = aJob().definition();

  @Test
  void submitted_job_is_queued_with_version_one_and_two_events() {
    Submitted submitted = service.submit(new SubmitJobCommand(ci, definition, false, null));

    assertThat(submitted.created()).isTrue();
    assertThat(submitted.job().status()).isEqualTo(JobStatus.QUEUED);
    assertThat(submitted.job().version()).isEqualTo(1);
    assertThat(submitted.job().createdBy()).isEqualTo("ci");
    assertThat(submitted.job().createdAt())
        .isEqualTo(clock.instant().truncatedTo(ChronoUnit.MICROS));
    assertThat(submitted.job().queuedAt()).isNotNull();
    assertThat(jobs.events(submitted.job().id()))
        .extracting(TimelineEvent::type)
        .containsExactly(EventType.SUBMITTED, EventType.QUEUED);
    assertThat(jobs.events(submitted.job().id()))
        .allSatisfy(e -> assertThat(e.source()).isEqualTo("api:ci"));
  }

  @Test
  void suspended_submit_keeps_the_job_out_of_the_queue() {
    Submitted submitted = service.submit(new SubmitJobCommand(ci, definition, true, null));

    assertThat(submitted.job().status()).isEqualTo(JobStatus.SUSPENDED);
    assertThat(submitted.job().queuedAt()).isNull();
    assertThat(jobs.events(submitted.job().id()))
        .extracting(TimelineEvent::type)
        .containsExactly(EventType.SUBMITTED, EventType.SUSPENDED);
  }

  @Test
  void replay_with_same_key_and_body_returns_the_same_job_without_creating_another() {
    Submitted first = service.submit(new SubmitJobCommand(ci, definition, false, "key-1"));
    clock.advance(java.time.Duration.ofMinutes(1));
    Submitted replay = service.submit(new SubmitJobCommand(ci, definition, false, "key-1"));

    assertThat(first.created()).isTrue();
    assertThat(replay.created()).isFalse();
    assertThat(replay.job()).isEqualTo(first.job());
    assertThat(jobs.size()).isEqualTo(1);
  }

  @Test
  void same_key_with_a_different_body_is_an_idempotency_mismatch() {
    service.submit(new SubmitJobCommand(ci, definition, false, "key-1"));
    JobDefinition other = aJob().withPriority(5).definition();

    assertThatThrownBy(() -> service.submit(new SubmitJobCommand(ci, other, false, "key-1")))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.IDEMPOTENCY_MISMATCH));
    assertThatThrownBy(() -> service.submit(new SubmitJobCommand(ci, definition, true, "key-1")))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.IDEMPOTENCY_MISMATCH));
    assertThat(jobs.size()).isEqualTo(1);
  }

  @Test
  void idempotency_keys_are_per_principal() {
    Caller other = new Caller("other", Set.of(Role.SUBMITTER), null);
    Submitted mine = service.submit(new SubmitJobCommand(ci, definition, false, "shared"));
    Submitted theirs = service.submit(new SubmitJobCommand(other, definition, false, "shared"));

    assertThat(theirs.created()).isTrue();
    assertThat(theirs.job().id()).isNotEqualTo(mine.job().id());
    assertThat(jobs.size()).isEqualTo(2);
  }

  @Test
  void replay_of_a_deleted_job_is_a_conflict() {
    Submitted first = service.submit(new SubmitJobCommand(ci, definition, false, "key-1"));
    jobs.delete(first.job().id(), first.job().version());

    assertThatThrownBy(() -> service.submit(new SubmitJobCommand(ci, definition, false, "key-1")))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.CONFLICT));
  }

  @Test
  void submitting_to_a_project_the_token_does_not_cover_is_forbidden() {
    JobDefinition elsewhere = aJob().inProject("billing").definition();

    assertThatThrownBy(() -> service.submit(new SubmitJobCommand(ci, elsewhere, false, null)))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.FORBIDDEN));
    assertThat(jobs.size()).isZero();
  }

  @Test
  void a_kubernetes_placement_outside_the_projects_namespaces_is_forbidden_and_stores_nothing() {
    List<JobSnapshot> launched = new ArrayList<>();
    InMemoryTaskRepository tasks = new InMemoryTaskRepository(jobs, clock);
    DirectTransactionRunner tx = new DirectTransactionRunner();
    SubmitJobService mapped =
        InMemoryServices.submit(jobs, tasks, keys, tx, clock)
            .workloads(new TestWorkloads(launching(launched), jobs, tasks, tx, clock).outbox)
            .namespaces(new ProjectNamespaces(Map.of("etl", Set.of("etl-prod"))))
            .build();

    assertThatThrownBy(
            () -> mapped.submit(new SubmitJobCommand(ci, placedIn("etl", "team-b"), false, "k1")))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.FORBIDDEN))
        .hasMessage("project etl may not run jobs in namespace team-b (allowed: etl-prod)");
    assertThatThrownBy(
            () ->
                mapped.submit(
                    new SubmitJobCommand(ci, placedIn("default", "etl-prod"), false, null)))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.FORBIDDEN));
    assertThat(jobs.size()).isZero();
    assertThat(keys.find("ci", "k1")).isEmpty();
    assertThat(launched).isEmpty();

    mapped.submit(new SubmitJobCommand(ci, placedIn("etl", "etl-prod"), false, null));
    assertThat(launched).hasSize(1);
  }

  private static JobDefinition placedIn(String project, String namespace) {
    return aJob()
        .inProject(project)
        .placedOn(new KubernetesPlacement(namespace, null, "{}"))
        .definition();
  }

  /** A runtime that records what it was asked to launch and refuses everything else. */
  private static WorkloadRuntime launching(List<JobSnapshot> launched) {
    return new WorkloadRuntime() {
      @Override
      public void admit(JobSnapshot job) {}

      @Override
      public void launch(JobSnapshot job) {
        launched.add(job);
      }

      @Override
      public void stop(JobSnapshot job) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void restart(JobSnapshot job) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void delete(String namespace, String resourceName) {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Test
  void viewers_and_workers_cannot_submit() {
    for (Role role : new Role[] {Role.VIEWER, Role.WORKER}) {
      Caller caller = new Caller("c", Set.of(role), null);
      assertThatThrownBy(
              () -> service.submit(new SubmitJobCommand(caller, definition, false, null)))
          .isInstanceOfSatisfying(
              DomainException.class,
              e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.FORBIDDEN));
    }
  }

  @Test
  void malformed_idempotency_keys_are_rejected() {
    assertThatThrownBy(() -> new SubmitJobCommand(ci, definition, false, "has space"))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.INVALID_ARGUMENT));
  }
}
