package io.jobplane.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.ProjectLimitsUseCase.LimitsView;
import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.testing.DirectTransactionRunner;
import io.jobplane.application.testing.InMemoryIdempotencyKeys;
import io.jobplane.application.testing.InMemoryJobRepository;
import io.jobplane.application.testing.InMemoryProjectLimitsStore;
import io.jobplane.application.testing.InMemoryServices;
import io.jobplane.application.testing.InMemoryTaskRepository;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.ProjectLimits;
import io.jobplane.domain.ProjectLimits.QueueLimits;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProjectLimitsServiceTest {

  private final MutableClock clock = MutableClock.fixed();
  private final DirectTransactionRunner tx = new DirectTransactionRunner();
  private final InMemoryJobRepository jobs = new InMemoryJobRepository();
  private final InMemoryProjectLimitsStore store = new InMemoryProjectLimitsStore(jobs);
  private final ProjectLimitsService limits = new ProjectLimitsService(store, tx, clock);
  private final SubmitJobService submit =
      InMemoryServices.submit(
              jobs,
              new InMemoryTaskRepository(jobs, clock),
              new InMemoryIdempotencyKeys(),
              tx,
              clock)
          .limits(store)
          .build();
  private final Caller admin = Caller.admin("admin");
  private final Caller etlSubmitter = new Caller("etl", Set.of(Role.SUBMITTER), Set.of("etl"));

  private void submitTo(String project, boolean suspended) {
    submit.submit(
        new SubmitJobCommand(
            admin, JobTestData.aJob().inProject(project).definition(), suspended, null));
  }

  @Test
  void anAdminsLimitsAreStoredWithWhoSetThemAndShownWithTheirUsage() {
    submitTo("etl", false);
    LimitsView set =
        limits.put(
            admin,
            "etl",
            () -> new ProjectLimits(3, null, 2, Map.of("default", new QueueLimits(1, null))));
    assertThat(set.updatedBy()).isEqualTo("admin");
    assertThat(set.updatedAt()).isEqualTo(clock.instant());
    assertThat(set.usage().total().waiting()).isEqualTo(1);
    assertThat(set.usage().queues()).containsOnlyKeys("default");
    assertThat(limits.get(etlSubmitter, "etl").limits().maxRunning()).isEqualTo(3);
    assertThat(limits.everyProject()).extracting(LimitsView::project).containsExactly("etl");
  }

  @Test
  void aProjectTheCallerCannotSeeIsNotFoundBeforeTheBodyIsRead() {
    assertThatThrownBy(
            () ->
                limits.put(
                    etlSubmitter,
                    "ml",
                    () -> {
                      throw new AssertionError("the body of an invisible project was read");
                    }))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.NOT_FOUND));
    assertThatThrownBy(() -> limits.get(etlSubmitter, "ml")).hasMessage("project not found");
  }

  @Test
  void aSubmitterMayReadButNotSetItsProjectsLimits() {
    assertThatThrownBy(() -> limits.put(etlSubmitter, "etl", () -> ProjectLimits.NONE))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.FORBIDDEN));
    assertThat(limits.get(etlSubmitter, "etl").limits()).isEqualTo(ProjectLimits.NONE);
  }

  @Test
  void suspendedJobsCountAsWaitingAgainstMaxQueued() {
    limits.put(admin, "etl", () -> new ProjectLimits(null, 2L, 1, Map.of()));
    submitTo("etl", true);
    submitTo("etl", false);
    int stored = jobs.size();
    assertThatThrownBy(() -> submitTo("etl", true))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.TOO_MANY_REQUESTS));
    assertThat(jobs.size()).isEqualTo(stored);
    assertThat(store.admissionLocks).containsExactly("etl", "etl", "etl");
  }
}
