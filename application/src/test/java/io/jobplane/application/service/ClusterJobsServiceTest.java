package io.jobplane.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.ClusterAdmission;
import io.jobplane.application.port.in.ClusterObservation;
import io.jobplane.application.testing.DirectTransactionRunner;
import io.jobplane.application.testing.InMemoryJobCredentials;
import io.jobplane.application.testing.InMemoryJobRepository;
import io.jobplane.application.testing.InMemoryProjectLimitsStore;
import io.jobplane.application.testing.InMemoryTaskRepository;
import io.jobplane.application.testing.InMemoryTelemetryRepository;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.EventType;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.KubernetesPlacement;
import io.jobplane.domain.ProjectLimits;
import io.jobplane.domain.TimelineEvent;
import io.jobplane.domain.telemetry.LogFilter;
import io.jobplane.domain.telemetry.LogLevel;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.LogStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterJobsServiceTest {

  private final MutableClock clock = MutableClock.fixed();
  private final InMemoryJobRepository jobs = new InMemoryJobRepository();
  private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(jobs, clock);
  private final InMemoryTelemetryRepository telemetry = new InMemoryTelemetryRepository(jobs);
  private final InMemoryJobCredentials credentials = new InMemoryJobCredentials();
  private final InMemoryProjectLimitsStore limits = new InMemoryProjectLimitsStore(jobs);
  private final DirectTransactionRunner tx = new DirectTransactionRunner();
  private final ClusterJobsService service =
      new ClusterJobsService(jobs, tasks, telemetry, credentials, limits, tx, clock);
  private final JobId id = JobId.random();

  private static JobDefinition definition() {
    return JobDefinition.builder()
        .name("nightly")
        .type("report")
        .runtime(JobRuntime.KUBERNETES)
        .kubernetes(new KubernetesPlacement("team-a", "nightly", null))
        .build();
  }

  @Test
  void registerStoresAQueuedJobOnceAndReturnsItAfterwards() {
    JobSnapshot first = service.register(id, definition(), "kubernetes:team-a");
    JobSnapshot again = service.register(id, definition(), "kubernetes:team-a");

    assertThat(first.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(again).isEqualTo(first);
    assertThat(tasks.all()).as("no worker may lease a kubernetes job").isEmpty();
  }

  @Test
  void aJobOfAProjectWithoutARunningLimitIsAdmittedAndWaitsForItsPodsToStart() {
    service.register(id, definition(), "kubernetes:team-a");

    ClusterAdmission admission = service.admit(id, 1);

    assertThat(admission.admitted()).isTrue();
    assertThat(jobs.findById(id).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
    assertThat(limits.runningLocks).as("a project without limits takes no lock").isEmpty();
  }

  @Test
  void underItsProjectsMaxRunningAKubernetesJobIsAdmittedAndCountsAsRunningAtOnce() {
    limits.put("default", new ProjectLimits(1, null, 1, Map.of()), "admin", clock.instant());
    JobId other = JobId.random();
    service.register(id, definition(), "kubernetes:team-a");
    service.register(other, definition(), "kubernetes:team-a");

    assertThat(service.admit(id, 1).admitted()).isTrue();
    ClusterAdmission held = service.admit(other, 1);

    assertThat(jobs.findById(id).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(held.admitted()).isFalse();
    assertThat(held.heldBy().limit()).isEqualTo(1);
    assertThat(held.heldBy().usage()).isEqualTo(1);
    assertThat(held.message())
        .isEqualTo(
            "project 'default' runs 1 job, its max_running is 1: the job starts when one of them"
                + " ends");
    assertThat(jobs.findById(other).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
    assertThat(limits.runningLocks).containsExactly("default", "default");

    service.observe(id, ClusterObservation.of(1, JobStatus.SUCCEEDED));
    assertThat(service.admit(other, 1).admitted()).isTrue();
    assertThat(jobs.findById(other).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void aRunAdmittedBeforeIsAdmittedAgainWithoutASecondStart() {
    limits.put("default", new ProjectLimits(1, null, 1, Map.of()), "admin", clock.instant());
    service.register(id, definition(), "kubernetes:team-a");

    service.admit(id, 1);
    assertThat(service.admit(id, 1).admitted()).isTrue();
    service.observe(id, ClusterObservation.of(1, JobStatus.RUNNING));

    assertThat(jobs.timeline(id, 100, 0).items())
        .extracting(TimelineEvent::type)
        .containsExactly(EventType.SUBMITTED, EventType.QUEUED, EventType.STARTED);
  }

  @Test
  void aQueueLimitHoldsOnlyJobsOfThatQueue() {
    limits.put(
        "default",
        new ProjectLimits(null, null, 1, Map.of("gpu", new ProjectLimits.QueueLimits(0, null))),
        "admin",
        clock.instant());
    service.register(id, definition(), "kubernetes:team-a");

    assertThat(service.admit(id, 1).admitted()).as("the job's queue is default, not gpu").isTrue();
  }

  @Test
  void registerRefusesWorkerJobs() {
    JobDefinition worker =
        JobDefinition.builder()
            .name("w")
            .type("report")
            .maxAttempts(1)
            .runtime(JobRuntime.WORKER)
            .build();
    assertThatThrownBy(() -> service.register(id, worker, "x")).isInstanceOf(DomainException.class);
  }

  @Test
  void aSucceededObservationWalksTheLifecycleAndRepeatsChangeNothing() {
    service.register(id, definition(), "k");

    service.observe(id, ClusterObservation.of(1, JobStatus.SUCCEEDED));
    JobSnapshot again = service.observe(id, ClusterObservation.of(1, JobStatus.SUCCEEDED));

    assertThat(again.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(types())
        .containsExactly(
            EventType.SUBMITTED, EventType.QUEUED, EventType.STARTED, EventType.SUCCEEDED);
  }

  @Test
  void aLaterAttemptWhileRunningIsRecordedAsARetry() {
    service.register(id, definition(), "k");
    service.observe(id, ClusterObservation.of(1, JobStatus.RUNNING));

    JobSnapshot after =
        service.observe(
            id,
            new ClusterObservation(
                1,
                JobStatus.RUNNING,
                2,
                10,
                new JobError("APPLICATION_FAILURE", "exit 3"),
                List.of(),
                List.of(),
                null));

    assertThat(after.attempt()).isEqualTo(2);
    assertThat(after.progress()).isEqualTo(10);
    assertThat(types()).endsWith(EventType.RETRIED);
  }

  @Test
  void aFailedRunKeepsItsErrorAndLogsAndTheOutcomeStands() {
    service.register(id, definition(), "k");
    LogLine line =
        new LogLine(clock.instant(), LogLevel.INFO, LogStream.STDOUT, "boom", "pod:p1", 0);

    service.observe(
        id,
        new ClusterObservation(
            1,
            JobStatus.FAILED,
            3,
            null,
            new JobError("APPLICATION_FAILURE", "exit 3"),
            List.of(line),
            List.of(),
            null));
    JobSnapshot later = service.observe(id, ClusterObservation.of(1, JobStatus.SUCCEEDED));

    assertThat(later.status()).isEqualTo(JobStatus.FAILED);
    assertThat(later.error().reason()).isEqualTo("APPLICATION_FAILURE");
    assertThat(telemetry.logs(id, new LogFilter(null, null, null, null, null, 100, 0))).hasSize(1);
  }

  @Test
  void aLaterRunRestartsTheJobAndAnEarlierRunIsIgnored() {
    service.register(id, definition(), "k");
    service.observe(id, ClusterObservation.of(1, JobStatus.SUCCEEDED));

    JobSnapshot second = service.observe(id, ClusterObservation.of(2, JobStatus.RUNNING));
    JobSnapshot stale = service.observe(id, ClusterObservation.of(1, JobStatus.FAILED));

    assertThat(second.runId()).isEqualTo(2);
    assertThat(stale.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(types()).contains(EventType.RESTARTED);
  }

  @Test
  void aLaterRunStartedFromACheckpointRecordsItWithTheRestart() {
    service.register(id, definition(), "k");
    service.observe(id, ClusterObservation.of(1, JobStatus.FAILED));

    JobSnapshot second =
        service.observe(id, ClusterObservation.of(2, JobStatus.QUEUED).startedFrom("chk-3"));

    assertThat(second.runId()).isEqualTo(2);
    assertThat(second.checkpointId()).isEqualTo("chk-3");
    assertThat(service.observe(id, ClusterObservation.of(2, JobStatus.RUNNING)).checkpointId())
        .as("later observations of the run keep it")
        .isEqualTo("chk-3");
  }

  @Test
  void aStopObservedWhileRunningEndsStopped() {
    service.register(id, definition(), "k");
    service.observe(id, ClusterObservation.of(1, JobStatus.RUNNING));

    JobSnapshot stopped = service.observe(id, ClusterObservation.of(1, JobStatus.STOPPED));

    assertThat(stopped.status()).isEqualTo(JobStatus.STOPPED);
  }

  @Test
  void aRejectionBeforeTheRunStartsRejectsTheJob() {
    service.register(id, definition(), "k");

    JobSnapshot rejected =
        service.observe(
            id,
            new ClusterObservation(
                1,
                JobStatus.REJECTED,
                1,
                null,
                new JobError("POLICY_VIOLATION", "privileged"),
                List.of(),
                List.of(),
                null));

    assertThat(rejected.status()).isEqualTo(JobStatus.REJECTED);
    assertThat(rejected.error().message()).isEqualTo("privileged");
  }

  @Test
  void forgetStopsARunningJobAndLeavesAFinishedOneAlone() {
    service.register(id, definition(), "k");
    service.observe(id, ClusterObservation.of(1, JobStatus.RUNNING));

    service.forget(id, "resource deleted");
    service.forget(id, "resource deleted");
    service.forget(JobId.random(), "unknown ids are ignored");

    assertThat(jobs.findById(id).orElseThrow().status()).isEqualTo(JobStatus.STOPPED);
    assertThat(types()).filteredOn(t -> t == EventType.STOPPED).hasSize(1);
  }

  @Test
  void aRunCredentialAuthenticatesAsAReporterForThatRunOnly() {
    service.register(id, definition(), "k");
    String token = service.issueRunCredential(id, 1);
    RunCredentialsService auth = new RunCredentialsService(credentials, jobs, tx);

    var caller = auth.authenticate(token).orElseThrow();

    assertThat(caller.run()).isEqualTo(new io.jobplane.application.security.Caller.RunScope(id, 1));
    assertThat(caller.canRead()).isFalse();
    assertThat(caller.sees("default")).isTrue();
    assertThat(auth.authenticate(token + "x")).isEmpty();
    assertThat(auth.authenticate("not-a-run-token")).isEmpty();
  }

  private List<EventType> types() {
    return jobs.timeline(id, 100, 0).items().stream().map(TimelineEvent::type).toList();
  }
}
