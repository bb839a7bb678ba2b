package io.jobplane.adapters.k8s.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.jobplane.adapters.k8s.crd.ConcurrencyPolicy;
import io.jobplane.adapters.k8s.crd.GeneratedCrd;
import io.jobplane.adapters.k8s.crd.JobCondition;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobScheduleResource;
import io.jobplane.adapters.k8s.crd.JobScheduleSpec;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.schedule.Schedule;
import io.jobplane.domain.schedule.ScheduleId;
import io.jobplane.domain.schedule.ScheduleResource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link JobScheduleReconciler} against fabric8's mock API server in CRUD mode and the real
 * schedule service on an in-memory store: reconcile() is called directly, a status patch is written
 * to the status subresource as JOSDK would, and ticks are run by the service as the API server's
 * loop runs them, creating {@code Job} resources through {@link KubernetesWorkloadRuntime}.
 */
@EnableKubernetesMockClient(crud = true)
class JobScheduleReconcilerMockServerTest {

  private static final String NAMESPACE = "team-a";
  private static final String NAME = "nightly";
  private static final Caller ADMIN = new Caller("admin", Set.of(Role.ADMIN), null);

  KubernetesClient client;

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-11-23T10:00:00.250Z"));
  private MixedOperation<
          JobScheduleResource,
          KubernetesResourceList<JobScheduleResource>,
          Resource<JobScheduleResource>>
      resources;
  private ScheduleStore store;
  private JobScheduleReconciler reconciler;

  @BeforeEach
  void registerCrds() {
    client.apiextensions().v1().customResourceDefinitions().resource(GeneratedCrd.load()).create();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(GeneratedCrd.loadSchedules())
        .create();
    resources = client.resources(JobScheduleResource.class);
    store =
        new ScheduleStore(
            clock, new KubernetesWorkloadRuntime(client, OperatorSettings.defaults().policy()));
    reconciler =
        new JobScheduleReconciler(store.schedules, OperatorSettings.defaults().withClock(clock));
  }

  @Test
  void aValidResourceIsStoredAsAScheduleTheResourceOwns() {
    JobScheduleResource resource = apply(spec());

    JobScheduleResource after = reconcile();

    ScheduleId id = new ScheduleId(UUID.fromString(resource.getMetadata().getUid()));
    Schedule stored = store.repository.find(id).orElseThrow();
    assertThat(stored.resource()).isEqualTo(new ScheduleResource(NAMESPACE, NAME));
    assertThat(stored.createdBy()).isEqualTo("kubernetes:" + NAMESPACE);
    assertThat(stored.spec().name()).isEqualTo("team-a/nightly");
    assertThat(stored.spec().cron()).isEqualTo("* * * * * *");
    assertThat(stored.spec().job().runtime()).isEqualTo(JobRuntime.KUBERNETES);
    assertThat(stored.spec().job().kubernetes().namespace()).isEqualTo(NAMESPACE);
    assertThat(stored.spec().job().kubernetes().resourceName())
        .as("each job gets a resource named after its id")
        .isNull();
    assertThat(after.getStatus().getScheduleId()).isEqualTo(id.toString());
    assertThat(after.getStatus().getNextRunTime()).isEqualTo("2026-11-23T10:00:01Z");
    assertThat(after.getStatus().getLastScheduledTime()).isNull();
    assertThat(after.getStatus().getObservedGeneration())
        .isEqualTo(after.getMetadata().getGeneration());
    JobCondition ready = ready(after);
    assertThat(ready.getStatus()).isEqualTo(JobCondition.Status.True);
    assertThat(ready.getReason()).isEqualTo("Scheduled");
  }

  @Test
  void anUnchangedResourcePatchesNothingAndLooksAgainAtTheNextRun() {
    apply(spec());
    reconcile();
    long version = onlySchedule().version();

    JobScheduleResource current = get();
    UpdateControl<JobScheduleResource> control =
        reconciler.reconcile(current, new TestContext<>(client, current));

    assertThat(control.isNoUpdate()).isTrue();
    assertThat(onlySchedule().version()).as("nothing stored again").isEqualTo(version);
    // next run at 10:00:01, now 10:00:00.250: 0.75 s, plus a second for the tick to be stored
    assertThat(control.getScheduleDelay()).contains(1750L);
  }

  @Test
  void ticksOfTheServerShowInTheStatus() {
    apply(spec());
    reconcile();

    clock.advance(Duration.ofSeconds(1));
    store.schedules.tick(clock.instant());
    JobScheduleResource after = reconcile();

    Schedule stored = onlySchedule();
    assertThat(after.getStatus().getLastScheduledTime()).isEqualTo("2026-11-23T10:00:01Z");
    assertThat(after.getStatus().getNextRunTime()).isEqualTo("2026-11-23T10:00:02Z");
    assertThat(after.getStatus().getLastJob().getId()).isEqualTo(stored.lastJob().toString());
    assertThat(after.getStatus().getLastJob().getName()).isEqualTo("job-" + stored.lastJob());
    assertThat(after.getStatus().getLastJob().getPhase()).isEqualTo(JobPhase.QUEUED);
    JobResource job =
        client
            .resources(JobResource.class)
            .inNamespace(NAMESPACE)
            .withName("job-" + stored.lastJob())
            .get();
    assertThat(job).as("the tick created the job's resource").isNotNull();
    assertThat(job.getSpec().getType()).isEqualTo("report");
    assertThat(job.getSpec().getLabels())
        .containsEntry("jobplane.io/schedule", stored.id().toString());
  }

  @Test
  void aChangedSpecReplacesTheStoredOne() {
    apply(spec());
    reconcile();

    update(
        r -> {
          r.getSpec().setSuspend(true);
          r.getSpec().setConcurrencyPolicy(ConcurrencyPolicy.Forbid);
        });
    JobScheduleResource after = reconcile();

    Schedule stored = onlySchedule();
    assertThat(stored.spec().suspend()).isTrue();
    assertThat(stored.spec().concurrencyPolicy())
        .isEqualTo(io.jobplane.domain.schedule.ConcurrencyPolicy.FORBID);
    assertThat(after.getStatus().getNextRunTime()).as("none while suspended").isNull();
    assertThat(ready(after).getReason()).isEqualTo("Suspended");
  }

  @Test
  void aBadCronRejectsTheResourceAndStoresNothing() {
    JobScheduleSpec spec = spec();
    spec.setSchedule("every day at noon");
    apply(spec);

    JobScheduleResource after = reconcile();

    assertThat(store.repository.list(null, 10)).isEmpty();
    assertThat(after.getStatus().getMessage())
        .startsWith("spec.schedule: ")
        .contains("every day at noon");
    JobCondition ready = ready(after);
    assertThat(ready.getStatus()).isEqualTo(JobCondition.Status.False);
    assertThat(ready.getReason()).isEqualTo("Rejected");
    assertThat(ready.getMessage()).isEqualTo(after.getStatus().getMessage());
  }

  @Test
  void anUnknownTimeZoneRejectsTheResource() {
    JobScheduleSpec spec = spec();
    spec.setTimeZone("Mars/Olympus_Mons");
    apply(spec);

    JobScheduleResource after = reconcile();

    assertThat(store.repository.list(null, 10)).isEmpty();
    assertThat(after.getStatus().getMessage())
        .isEqualTo(
            "spec.timeZone: unknown time zone 'Mars/Olympus_Mons' (expected an IANA name, e.g."
                + " Europe/Berlin)");
  }

  @Test
  void aTemplateThePodPolicyForbidsRejectsTheResource() {
    JobScheduleSpec spec = spec();
    spec.getJobTemplate()
        .getSpec()
        .getPodTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .setSecurityContext(new SecurityContextBuilder().withPrivileged(true).build());
    apply(spec);

    JobScheduleResource after = reconcile();

    assertThat(store.repository.list(null, 10)).isEmpty();
    assertThat(after.getStatus().getMessage())
        .startsWith("spec.jobTemplate.spec.podTemplate refused by the restricted policy: ")
        .contains("privileged");
  }

  @Test
  void anInvalidChangeKeepsTheStoredScheduleAndAFixAcceptsItAgain() {
    apply(spec());
    reconcile();
    Schedule before = onlySchedule();

    update(r -> r.getSpec().setSchedule("61 * * * * * *"));
    JobScheduleResource rejected = reconcile();

    assertThat(onlySchedule()).isEqualTo(before);
    assertThat(rejected.getStatus().getMessage())
        .endsWith("(the stored schedule keeps its previous spec)");
    assertThat(ready(rejected).getStatus()).isEqualTo(JobCondition.Status.False);

    update(r -> r.getSpec().setSchedule("*/5 * * * *"));
    JobScheduleResource fixed = reconcile();

    assertThat(onlySchedule().spec().cron()).isEqualTo("*/5 * * * *");
    assertThat(fixed.getStatus().getMessage()).isNull();
    assertThat(ready(fixed).getStatus()).isEqualTo(JobCondition.Status.True);
  }

  @Test
  void theApiCannotReplaceOrDeleteAScheduleTheResourceOwns() {
    apply(spec());
    reconcile();
    ScheduleId id = onlySchedule().id();

    assertThatThrownBy(() -> store.schedules.delete(ADMIN, id))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(DomainException.Reason.CONFLICT);
              assertThat(e.getMessage()).contains("JobSchedule resource team-a/nightly");
            });
    assertThatThrownBy(() -> store.schedules.replace(ADMIN, id, () -> onlySchedule().spec()))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.CONFLICT));
    assertThat(store.repository.find(id)).isPresent();
  }

  @Test
  void deletingTheResourceDeletesItsSchedule() {
    apply(spec());
    reconcile();

    JobScheduleResource current = get();
    var control = reconciler.cleanup(current, new TestContext<>(client, current));

    assertThat(control.isRemoveFinalizer()).isTrue();
    assertThat(store.repository.list(null, 10)).isEmpty();
    // a second cleanup (JOSDK retries) finds nothing to do
    reconciler.cleanup(current, new TestContext<>(client, current));
  }

  private static JobScheduleSpec spec() {
    return JobScheduleTestData.aSchedule("* * * * * *");
  }

  private JobScheduleResource apply(JobScheduleSpec spec) {
    JobScheduleResource resource = new JobScheduleResource();
    resource.setMetadata(new ObjectMetaBuilder().withName(NAME).withNamespace(NAMESPACE).build());
    resource.setSpec(spec);
    return resources.inNamespace(NAMESPACE).resource(resource).create();
  }

  private void update(Consumer<JobScheduleResource> change) {
    JobScheduleResource current = get();
    change.accept(current);
    resources.inNamespace(NAMESPACE).resource(current).update();
  }

  /** One reconcile as JOSDK runs it: on the current resource, applying a status patch. */
  private JobScheduleResource reconcile() {
    JobScheduleResource current = get();
    UpdateControl<JobScheduleResource> control =
        reconciler.reconcile(current, new TestContext<>(client, current));
    assertThat(control.isPatchResource()).as("never the spec").isFalse();
    assertThat(control.isPatchResourceAndStatus()).as("never the spec").isFalse();
    if (control.isPatchStatus()) {
      current.setStatus(control.getResource().orElseThrow().getStatus());
      resources.inNamespace(NAMESPACE).resource(current).updateStatus();
    }
    return get();
  }

  private JobScheduleResource get() {
    return resources.inNamespace(NAMESPACE).withName(NAME).get();
  }

  private Schedule onlySchedule() {
    List<Schedule> all = store.repository.list(null, 10);
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  private static JobCondition ready(JobScheduleResource resource) {
    return resource.getStatus().getConditions().stream()
        .filter(c -> JobCondition.READY.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }
}
