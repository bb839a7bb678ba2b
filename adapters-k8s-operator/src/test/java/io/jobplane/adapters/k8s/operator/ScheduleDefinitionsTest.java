package io.jobplane.adapters.k8s.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.jobplane.adapters.k8s.crd.ConcurrencyPolicy;
import io.jobplane.adapters.k8s.crd.DesiredState;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobScheduleResource;
import io.jobplane.adapters.k8s.crd.JobScheduleSpec;
import io.jobplane.adapters.k8s.crd.JobScheduleStatus;
import io.jobplane.adapters.k8s.crd.JobSpec;
import io.jobplane.application.port.in.SchedulesUseCase.ScheduleView;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.schedule.CronRule;
import io.jobplane.domain.schedule.Schedule;
import io.jobplane.domain.schedule.ScheduleId;
import io.jobplane.domain.schedule.ScheduleSpec;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A {@code JobSchedule}'s spec as the store's schedule, and the refusals it gets. */
class ScheduleDefinitionsTest {

  private static final String UID = "6f0c0c4e-3c1f-4f59-9a44-2b1f7b0e9a11";

  @Test
  void aMinimalResourceGetsTheDomainDefaults() {
    ScheduleSpec spec = ScheduleDefinitions.spec(resource(s -> {}));

    assertThat(spec.name()).isEqualTo("team-a/nightly");
    assertThat(spec.cron()).isEqualTo("0 3 * * *");
    assertThat(spec.timeZone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(spec.concurrencyPolicy())
        .isEqualTo(io.jobplane.domain.schedule.ConcurrencyPolicy.ALLOW);
    assertThat(spec.startingDeadlineSeconds()).isNull();
    assertThat(spec.maxCatchUp()).isEqualTo(1);
    assertThat(spec.suspend()).isFalse();
    assertThat(spec.successfulJobsHistoryLimit()).isEqualTo(3);
    assertThat(spec.failedJobsHistoryLimit()).isEqualTo(1);
    assertThat(spec.project()).isEqualTo(JobDefinition.DEFAULT_PROJECT);
  }

  @Test
  void everyFieldIsCarriedOver() {
    ScheduleSpec spec =
        ScheduleDefinitions.spec(
            resource(
                s -> {
                  s.setSchedule("@daily");
                  s.setTimeZone("Europe/Berlin");
                  s.setConcurrencyPolicy(ConcurrencyPolicy.Replace);
                  s.setStartingDeadlineSeconds(300);
                  s.setMaxCatchUp(5);
                  s.setSuspend(true);
                  s.setSuccessfulJobsHistoryLimit(10);
                  s.setFailedJobsHistoryLimit(0);
                  JobSpec t = s.getJobTemplate().getSpec();
                  t.setProject("analytics");
                  t.setLabels(Map.of("team", "data"));
                  t.setParallelism(3);
                  t.setMaxAttempts(2);
                  t.setTimeoutSeconds(600);
                  t.setInput(JsonNodeFactory.instance.objectNode().put("day", "today"));
                }));

    assertThat(spec.cron()).isEqualTo("@daily");
    assertThat(spec.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(spec.concurrencyPolicy())
        .isEqualTo(io.jobplane.domain.schedule.ConcurrencyPolicy.REPLACE);
    assertThat(spec.startingDeadlineSeconds()).isEqualTo(300);
    assertThat(spec.maxCatchUp()).isEqualTo(5);
    assertThat(spec.suspend()).isTrue();
    assertThat(spec.successfulJobsHistoryLimit()).isEqualTo(10);
    assertThat(spec.failedJobsHistoryLimit()).isZero();
    JobDefinition job = spec.job();
    assertThat(job.name()).isEqualTo("nightly");
    assertThat(job.type()).isEqualTo("report");
    assertThat(job.project()).isEqualTo("analytics");
    assertThat(job.labels().values()).containsExactlyEntriesOf(Map.of("team", "data"));
    assertThat(job.parallelism()).isEqualTo(3);
    assertThat(job.maxAttempts()).isEqualTo(2);
    assertThat(job.timeoutSeconds()).isEqualTo(600);
    assertThat(job.input().json()).isEqualTo("{\"day\":\"today\"}");
    assertThat(job.runtime()).isEqualTo(JobRuntime.KUBERNETES);
    assertThat(job.kubernetes().namespace()).isEqualTo("team-a");
    assertThat(job.kubernetes().resourceName()).isNull();
    assertThat(job.kubernetes().podTemplate()).contains("\"image\":\"busybox\"");
  }

  @Test
  void theScheduleIdIsTheResourceUid() {
    assertThat(ScheduleDefinitions.scheduleId(resource(s -> {})))
        .isEqualTo(new ScheduleId(UUID.fromString(UID)));
  }

  @Test
  void anUnknownTimeZoneIsNamedAsTheResourceField() {
    DomainException e = refusal(s -> s.setTimeZone("Europe/Atlantis"));

    assertThat(ScheduleDefinitions.describe(e))
        .isEqualTo(
            "spec.timeZone: unknown time zone 'Europe/Atlantis' (expected an IANA name, e.g."
                + " Europe/Berlin)");
  }

  @Test
  void runControlsOfASingleJobAreRefusedInTheTemplate() {
    DomainException e =
        refusal(
            s -> {
              JobSpec t = s.getJobTemplate().getSpec();
              t.setDesiredState(DesiredState.STOPPED);
              t.setRestartNonce("again");
              t.setTtlSecondsAfterFinished(60);
            });

    assertThat(ScheduleDefinitions.describe(e))
        .contains("spec.jobTemplate.spec.desiredState: controls a single job")
        .contains("spec.jobTemplate.spec.restartNonce: controls a single job")
        .contains("spec.jobTemplate.spec.ttlSecondsAfterFinished: controls a single job");
  }

  @Test
  void theDefaultDesiredStateIsFine() {
    ScheduleDefinitions.spec(
        resource(s -> s.getJobTemplate().getSpec().setDesiredState(DesiredState.RUNNING)));
  }

  @Test
  void completionsOtherThanParallelismAreRefused() {
    DomainException e =
        refusal(
            s -> {
              s.getJobTemplate().getSpec().setParallelism(2);
              s.getJobTemplate().getSpec().setCompletions(4);
            });

    assertThat(ScheduleDefinitions.describe(e))
        .startsWith("spec.jobTemplate.spec.completions: must equal parallelism");
  }

  @Test
  void labelsTheScheduleSetsItselfAreRefused() {
    DomainException e =
        refusal(s -> s.getJobTemplate().getSpec().setLabels(Map.of("jobplane.io/schedule", "x")));

    assertThat(ScheduleDefinitions.describe(e)).startsWith("spec.jobTemplate.spec.labels: ");
  }

  @Test
  void theDomainsFieldNamesBecomeTheResourcesPaths() {
    assertThat(ScheduleDefinitions.path("cron")).isEqualTo("spec.schedule");
    assertThat(ScheduleDefinitions.path("max_catch_up")).isEqualTo("spec.maxCatchUp");
    assertThat(ScheduleDefinitions.path("job.type")).isEqualTo("spec.jobTemplate.spec.type");
    assertThat(ScheduleDefinitions.path("kubernetes.pod_template"))
        .isEqualTo("spec.jobTemplate.spec.podTemplate");
  }

  @Test
  void theStatusShowsTheStoresProgressAndTheLastJob() {
    ScheduleSpec spec = ScheduleDefinitions.spec(resource(s -> {}));
    Instant now = Instant.parse("2026-11-23T03:00:00.5Z");
    Schedule created =
        Schedule.createFor(
            ScheduleDefinitions.owner(resource(s -> {})),
            new ScheduleId(UUID.fromString(UID)),
            spec,
            now,
            EVERY_HOUR);
    JobId jobId = JobId.random();
    var job = Job.submit(jobId, spec.job(), "schedule", now, "test").snapshot();
    Schedule ticked =
        created.ticked(
            new io.jobplane.domain.schedule.TickPlan(
                java.util.List.of(),
                Instant.parse("2026-11-23T03:00:00Z"),
                created.nextRunTime(),
                0),
            jobId);

    JobScheduleStatus status = ScheduleDefinitions.status(new ScheduleView(ticked, job), "team-a");

    assertThat(status.getScheduleId()).isEqualTo(UID);
    assertThat(status.getLastScheduledTime()).isEqualTo("2026-11-23T03:00:00Z");
    assertThat(status.getNextRunTime()).isEqualTo("2026-11-23T04:00:00Z");
    assertThat(status.getLastJob().getId()).isEqualTo(jobId.toString());
    assertThat(status.getLastJob().getName()).isEqualTo("job-" + jobId);
    assertThat(status.getLastJob().getPhase()).isEqualTo(JobPhase.valueOf(job.status().name()));
  }

  @Test
  void aDeletedLastJobIsShownByIdOnly() {
    ScheduleSpec spec = ScheduleDefinitions.spec(resource(s -> {}));
    Instant now = Instant.parse("2026-11-23T03:00:00Z");
    Schedule schedule =
        Schedule.createFor(
                ScheduleDefinitions.owner(resource(s -> {})),
                new ScheduleId(UUID.fromString(UID)),
                spec,
                now,
                EVERY_HOUR)
            .triggered(JobId.random());

    JobScheduleStatus status =
        ScheduleDefinitions.status(new ScheduleView(schedule, null), "team-a");

    assertThat(status.getLastJob().getId()).isEqualTo(schedule.lastJob().toString());
    assertThat(status.getLastJob().getName()).isNull();
    assertThat(status.getLastJob().getPhase()).isNull();
  }

  private static final CronRule EVERY_HOUR =
      new CronRule() {
        @Override
        public Optional<ZonedDateTime> next(ZonedDateTime after) {
          return Optional.of(after.truncatedTo(java.time.temporal.ChronoUnit.HOURS).plusHours(1));
        }

        @Override
        public Optional<ZonedDateTime> previous(ZonedDateTime before) {
          return Optional.of(before.truncatedTo(java.time.temporal.ChronoUnit.HOURS));
        }
      };

  private static DomainException refusal(Consumer<JobScheduleSpec> change) {
    JobScheduleResource resource = resource(change);
    return (DomainException)
        org.assertj.core.api.Assertions.catchThrowable(() -> ScheduleDefinitions.spec(resource));
  }

  private static JobScheduleResource resource(Consumer<JobScheduleSpec> change) {
    JobScheduleSpec spec = JobScheduleTestData.aSchedule("0 3 * * *");
    change.accept(spec);
    JobScheduleResource resource = new JobScheduleResource();
    resource.setMetadata(
        new ObjectMetaBuilder().withName("nightly").withNamespace("team-a").withUid(UID).build());
    resource.setSpec(spec);
    return resource;
  }
}
