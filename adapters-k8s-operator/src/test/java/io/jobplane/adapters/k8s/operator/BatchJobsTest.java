package io.jobplane.adapters.k8s.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.jobplane.adapters.k8s.crd.DesiredState;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchJobsTest {

  @Test
  void nameIsResourceNameAndRun() {
    assertThat(BatchJobs.name("nightly-report", 1)).isEqualTo("nightly-report-r1");
    assertThat(BatchJobs.name("nightly-report", 12)).isEqualTo("nightly-report-r12");
  }

  @Test
  void longNamesAreShortenedWithAHashToAtMost63Characters() {
    String longName = "a".repeat(50) + "." + "b".repeat(100);
    String other = "a".repeat(50) + "." + "c".repeat(100);

    String name = BatchJobs.name(longName, 123);

    assertThat(name).hasSizeLessThanOrEqualTo(63).endsWith("-r123").startsWith("a".repeat(40));
    assertThat(name).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    assertThat(BatchJobs.name(longName, 123)).isEqualTo(name);
    assertThat(BatchJobs.name(other, 123)).isNotEqualTo(name);
    assertThat(BatchJobs.labelValue(longName)).hasSize(63);
    assertThat(BatchJobs.labelValue("short")).isEqualTo("short");
    assertThat(BatchJobs.name("x".repeat(58), 1)).isEqualTo("x".repeat(58) + "-r1");
    assertThat(BatchJobs.name("x".repeat(61), 1)).hasSize(63);
  }

  @Test
  void thePlatformsVariablesAreAddedToEveryContainerAndWinOverTheTemplates() {
    JobResource resource = resource();
    resource
        .getSpec()
        .getPodTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .setEnv(
            List.of(
                new io.fabric8.kubernetes.api.model.EnvVar("JOBPLANE_API_URL", "http://evil", null),
                new io.fabric8.kubernetes.api.model.EnvVar("MODE", "fast", null)));

    Job job =
        BatchJobs.build(
            resource,
            1,
            resource.getSpec().getPodTemplate(),
            List.of(
                new io.fabric8.kubernetes.api.model.EnvVar("JOBPLANE_API_URL", "http://jp", null)));

    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting(e -> e.getName() + "=" + e.getValue())
        .containsExactly("JOBPLANE_API_URL=http://jp", "MODE=fast");
  }

  @Test
  void buildsTheRunsBatchJobFromTheSpec() {
    JobResource resource = resource();

    Job job = BatchJobs.build(resource, 3);

    assertThat(job.getMetadata().getName()).isEqualTo("nightly-report-r3");
    assertThat(job.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(job.getMetadata().getLabels())
        .containsEntry("jobplane.io/job", "nightly-report")
        .containsEntry("jobplane.io/run", "3");
    assertThat(job.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            ref -> {
              assertThat(ref.getApiVersion()).isEqualTo("jobplane.io/v1");
              assertThat(ref.getKind()).isEqualTo("Job");
              assertThat(ref.getName()).isEqualTo("nightly-report");
              assertThat(ref.getUid()).isEqualTo("uid-1");
              assertThat(ref.getController()).isTrue();
              assertThat(ref.getBlockOwnerDeletion()).isTrue();
            });
    assertThat(job.getSpec().getParallelism()).isEqualTo(2);
    assertThat(job.getSpec().getCompletions()).isEqualTo(4);
    assertThat(job.getSpec().getCompletionMode()).isEqualTo("Indexed");
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(600L);
    assertThat(job.getSpec().getSuspend()).isTrue();
    assertThat(job.getSpec().getTtlSecondsAfterFinished())
        .as("set once the outcome is stored, not before")
        .isNull();
    assertThat(job.getSpec().getPodFailurePolicy().getRules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getAction()).isEqualTo("Ignore");
              assertThat(rule.getOnPodConditions())
                  .singleElement()
                  .satisfies(c -> assertThat(c.getType()).isEqualTo("DisruptionTarget"));
            });
    assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(BatchJobs.RESOURCE_ANNOTATION, "nightly-report");
    assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(job.getSpec().getTemplate().getSpec().getContainers())
        .singleElement()
        .satisfies(c -> assertThat(c.getImage()).isEqualTo("ghcr.io/example/report:1.2"));
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("app", "report")
        .containsEntry("jobplane.io/job", "nightly-report")
        .containsEntry("jobplane.io/run", "3");
    assertThat(resource.getSpec().getPodTemplate().getMetadata().getLabels())
        .as("the spec is not modified")
        .containsOnlyKeys("app");
    assertThat(BatchJobs.isOwnedBy(job, resource)).isTrue();
  }

  @Test
  void defaultsAreOneNonIndexedTaskWithoutRetriesAndTheTemplatesRestartPolicyIsKept() {
    JobResource resource = resource();
    JobSpec spec = resource.getSpec();
    spec.setParallelism(null);
    spec.setCompletions(null);
    spec.setMaxAttempts(null);
    spec.setTimeoutSeconds(null);
    spec.setSuspend(null);
    spec.setTtlSecondsAfterFinished(null);
    spec.getPodTemplate().getSpec().setRestartPolicy("OnFailure");

    Job job = BatchJobs.build(resource, 1);

    assertThat(job.getSpec().getParallelism()).isEqualTo(1);
    assertThat(job.getSpec().getCompletions()).isEqualTo(1);
    assertThat(job.getSpec().getCompletionMode()).isNull();
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isNull();
    assertThat(job.getSpec().getSuspend()).isFalse();
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isNull();
    assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("OnFailure");
  }

  @Test
  void completionsDefaultToParallelism() {
    JobResource resource = resource();
    resource.getSpec().setCompletions(null);

    Job job = BatchJobs.build(resource, 1);

    assertThat(job.getSpec().getCompletions()).isEqualTo(2);
    assertThat(job.getSpec().getCompletionMode()).isEqualTo("Indexed");
  }

  @Test
  void aJobControlledBySomethingElseIsNotOwned() {
    Job foreign =
        new JobBuilder()
            .withNewMetadata()
            .withName("nightly-report-r1")
            .addNewOwnerReference()
            .withUid("uid-2")
            .withController(true)
            .endOwnerReference()
            .endMetadata()
            .build();
    Job orphan =
        new JobBuilder().withNewMetadata().withName("nightly-report-r1").endMetadata().build();

    assertThat(BatchJobs.isOwnedBy(foreign, resource())).isFalse();
    assertThat(BatchJobs.isOwnedBy(orphan, resource())).isFalse();
  }

  static JobResource resource() {
    JobSpec spec = new JobSpec();
    spec.setType("report");
    spec.setParallelism(2);
    spec.setCompletions(4);
    spec.setMaxAttempts(3);
    spec.setTimeoutSeconds(600);
    spec.setSuspend(true);
    spec.setTtlSecondsAfterFinished(3600);
    spec.setDesiredState(DesiredState.RUNNING);
    spec.setPodTemplate(
        new PodTemplateSpecBuilder()
            .withNewMetadata()
            .addToLabels("app", "report")
            .endMetadata()
            .withNewSpec()
            .withContainers(
                new ContainerBuilder()
                    .withName("main")
                    .withImage("ghcr.io/example/report:1.2")
                    .build())
            .endSpec()
            .build());
    JobResource resource = new JobResource();
    resource.setMetadata(
        new ObjectMetaBuilder()
            .withName("nightly-report")
            .withNamespace("team-a")
            .withUid("uid-1")
            .withGeneration(4L)
            .build());
    resource.setSpec(spec);
    return resource;
  }
}
