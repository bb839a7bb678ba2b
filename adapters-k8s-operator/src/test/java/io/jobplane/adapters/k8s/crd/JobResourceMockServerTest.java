package io.jobplane.adapters.k8s.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The model against fabric8's mock API server in CRUD mode; no cluster. */
@EnableKubernetesMockClient(crud = true)
class JobResourceMockServerTest {

  private static final String NAMESPACE = "team-a";

  KubernetesClient client;

  private MixedOperation<JobResource, KubernetesResourceList<JobResource>, Resource<JobResource>>
      jobs;

  @BeforeEach
  void registerCrd() {
    client.apiextensions().v1().customResourceDefinitions().resource(GeneratedCrd.load()).create();
    jobs = client.resources(JobResource.class);
  }

  @Test
  void jobWithPodTemplateRoundTripsAndStatusIsPatchedThroughTheSubresource() throws Exception {
    JobResource job = job("nightly-report", spec());
    job.getSpec()
        .setInput(new ObjectMapper().readTree("{\"date\":\"2026-11-23\",\"shards\":[1,2]}"));

    JobResource created = jobs.inNamespace(NAMESPACE).resource(job).create();
    assertThat(created.getMetadata().getUid()).isNotBlank();

    JobResource fetched = jobs.inNamespace(NAMESPACE).withName("nightly-report").get();
    assertThat(fetched.getApiVersion()).isEqualTo("jobplane.io/v1");
    assertThat(fetched.getKind()).isEqualTo("Job");
    assertThat(fetched.getSpec().getType()).isEqualTo("report");
    assertThat(fetched.getSpec().getLabels()).containsEntry("team", "a");
    assertThat(fetched.getSpec().getParallelism()).isEqualTo(2);
    assertThat(fetched.getSpec().getCompletions()).isEqualTo(4);
    assertThat(fetched.getSpec().getDesiredState()).isEqualTo(DesiredState.RUNNING);
    assertThat(fetched.getSpec().getInput().get("shards").size()).isEqualTo(2);
    PodTemplateSpec template = fetched.getSpec().getPodTemplate();
    assertThat(template.getMetadata().getLabels()).containsEntry("app", "report");
    assertThat(template.getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(template.getSpec().getContainers())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getImage()).isEqualTo("ghcr.io/example/report:1.2");
              assertThat(c.getArgs()).containsExactly("--date", "today");
            });
    assertThat(fetched.getStatus()).isNull();

    JobStatus status = new JobStatus();
    status.setPhase(JobPhase.RUNNING);
    status.setJobId("01JD3X4Y5Z");
    status.setRunId(1);
    status.setAttempt(1);
    status.setProgress(42.5);
    status.setStartTime("2026-11-23T10:00:00Z");
    status.setObservedGeneration(fetched.getMetadata().getGeneration());
    status.setConditions(
        List.of(
            new JobCondition(
                JobCondition.READY,
                JobCondition.Status.True,
                "Running",
                "run 1 attempt 1",
                "2026-11-23T10:00:00Z")));
    fetched.setStatus(status);
    JobResource patched = jobs.inNamespace(NAMESPACE).resource(fetched).patchStatus();
    assertThat(patched.getStatus().getPhase()).isEqualTo(JobPhase.RUNNING);

    JobResource again = jobs.inNamespace(NAMESPACE).withName("nightly-report").get();
    assertThat(again.getStatus().getPhase()).isEqualTo(JobPhase.RUNNING);
    assertThat(again.getStatus().getJobId()).isEqualTo("01JD3X4Y5Z");
    assertThat(again.getStatus().getRunId()).isEqualTo(1);
    assertThat(again.getStatus().getProgress()).isEqualTo(42.5);
    assertThat(again.getStatus().getConditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getStatus()).isEqualTo(JobCondition.Status.True);
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-23T10:00:00Z");
            });
    assertThat(again.getSpec().getPodTemplate()).isEqualTo(template);
  }

  /**
   * Pins what the mock server does NOT do: it stores a spec that the CRD schema rejects (no type,
   * parallelism 0, negative completions, timeoutSeconds 0) and applies no schema defaults. A real
   * API server answers 422 Unprocessable Entity; this is why {@link GeneratedCrdTest} asserts the
   * schema rules on the generated YAML instead. If this test starts failing, the mock learned
   * schema validation and the schema tests can move here.
   */
  @Test
  void mockServerDoesNotEnforceTheCrdSchema() {
    JobSpec invalid = spec();
    invalid.setType(null);
    invalid.setParallelism(0);
    invalid.setCompletions(-3);
    invalid.setTimeoutSeconds(0);

    jobs.inNamespace(NAMESPACE).resource(job("invalid", invalid)).create();

    JobResource stored = jobs.inNamespace(NAMESPACE).withName("invalid").get();
    assertThat(stored).isNotNull();
    assertThat(stored.getSpec().getType()).isNull();
    assertThat(stored.getSpec().getParallelism()).isZero();
    assertThat(stored.getSpec().getCompletions()).isEqualTo(-3);
    assertThat(stored.getSpec().getTimeoutSeconds()).isZero();
    assertThat(stored.getSpec().getMaxAttempts()).as("nor does it apply schema defaults").isNull();
  }

  private static JobResource job(String name, JobSpec spec) {
    JobResource job = new JobResource();
    job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
    job.setSpec(spec);
    return job;
  }

  private static JobSpec spec() {
    JobSpec spec = new JobSpec();
    spec.setType("report");
    spec.setProject("analytics");
    spec.setLabels(Map.of("team", "a"));
    spec.setParallelism(2);
    spec.setCompletions(4);
    spec.setDesiredState(DesiredState.RUNNING);
    spec.setPodTemplate(
        new PodTemplateSpecBuilder()
            .withNewMetadata()
            .addToLabels("app", "report")
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .withContainers(
                new ContainerBuilder()
                    .withName("main")
                    .withImage("ghcr.io/example/report:1.2")
                    .withArgs("--date", "today")
                    .build())
            .endSpec()
            .build());
    return spec;
  }
}
