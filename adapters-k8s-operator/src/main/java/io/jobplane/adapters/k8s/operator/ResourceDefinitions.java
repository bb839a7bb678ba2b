package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobSpec;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobInput;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.KubernetesPlacement;
import io.jobplane.domain.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/** Translates between a {@code Job} resource and the store's view of the same job. */
public final class ResourceDefinitions {

  /**
   * Set by the API server on resources it creates for REST submits: the store's job id, so both
   * drivers meet on one job.
   */
  public static final String JOB_ID_ANNOTATION = "jobplane.io/job-id";

  private ResourceDefinitions() {}

  /**
   * The store id of the resource's job: the annotation of a REST-created resource, else the
   * resource's UID (a UUID, stable for the resource's life and new when it is re-created).
   */
  public static JobId jobId(JobResource resource) {
    String annotated =
        Optional.ofNullable(resource.getMetadata().getAnnotations())
            .map(a -> a.get(JOB_ID_ANNOTATION))
            .orElse(null);
    if (annotated != null) {
      return JobId.parse(annotated);
    }
    return new JobId(UUID.fromString(resource.getMetadata().getUid()));
  }

  /** What the store keeps of the resource; a DomainException says what the schema let through. */
  public static JobDefinition definition(JobResource resource) {
    String name = resource.getMetadata().getName();
    return definition(
        resource.getSpec(),
        name,
        resource.getMetadata().getNamespace(),
        name,
        podTemplate(resource.getSpec(), true));
  }

  /**
   * A job of {@code spec} named {@code name}, placed in {@code namespace} as resource {@code
   * resourceName} (null: named after the job's id when it is submitted) with {@code podTemplate}
   * (JSON; null when the resource keeps it).
   */
  static JobDefinition definition(
      JobSpec spec, String name, String namespace, String resourceName, String podTemplate) {
    int parallelism = Optional.ofNullable(spec.getParallelism()).orElse(1);
    int completions = Optional.ofNullable(spec.getCompletions()).orElse(parallelism);
    return JobDefinition.builder()
        .name(name)
        .type(spec.getType())
        .project(spec.getProject() == null ? JobDefinition.DEFAULT_PROJECT : spec.getProject())
        .labels(new Labels(spec.getLabels()))
        .input(new JobInput(spec.getInput() == null ? null : Serialization.asJson(spec.getInput())))
        .maxAttempts(Optional.ofNullable(spec.getMaxAttempts()).orElse(1))
        .runtime(JobRuntime.KUBERNETES)
        .timeoutSeconds(spec.getTimeoutSeconds())
        .parallelism(Math.max(1, Math.min(completions, JobDefinition.MAX_PARALLELISM)))
        .kubernetes(new KubernetesPlacement(namespace, resourceName, podTemplate))
        .build();
  }

  /**
   * The spec's pod template as JSON. Over the store's limit it is null when {@code dropIfTooLarge}
   * (the resource keeps it; the store shows where to find it), else the store refuses it.
   */
  static String podTemplate(JobSpec spec, boolean dropIfTooLarge) {
    String template = Serialization.asJson(spec.getPodTemplate());
    if (dropIfTooLarge
        && template.getBytes(StandardCharsets.UTF_8).length
            > KubernetesPlacement.MAX_TEMPLATE_BYTES) {
      return null;
    }
    return template;
  }

  /** The same names on both sides ({@code JobPhaseTest} keeps them in step). */
  public static JobStatus toDomain(JobPhase phase) {
    return JobStatus.valueOf(phase.name());
  }

  public static JobPhase toPhase(JobStatus status) {
    return JobPhase.valueOf(status.name());
  }
}
