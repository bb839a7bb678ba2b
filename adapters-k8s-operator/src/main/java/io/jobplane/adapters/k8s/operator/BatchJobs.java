package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobSpec;
import io.jobplane.domain.Sha256;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the batch/v1 Job that runs one run of a {@link JobResource}. Pure: no Kubernetes client.
 */
public final class BatchJobs {

  /** Label on the batch Job and its pods: the owning resource's name (hashed when too long). */
  public static final String JOB_LABEL = "jobplane.io/job";

  /** Label on the batch Job and its pods: the run id. */
  public static final String RUN_LABEL = "jobplane.io/run";

  /** Names of batch Jobs end up in the pods' job-name label, so 63 characters at most. */
  static final int MAX_NAME = 63;

  private static final int HASH_CHARS = 8;

  private BatchJobs() {}

  /** {@code <resource-name>-r<runId>}, shortened with a hash of the resource name past 63. */
  public static String name(String resourceName, int runId) {
    return shorten(resourceName, MAX_NAME - ("-r" + runId).length()) + "-r" + runId;
  }

  /** The {@link #JOB_LABEL} value: the resource name, shortened with a hash past 63. */
  public static String labelValue(String resourceName) {
    return shorten(resourceName, MAX_NAME);
  }

  /** The checkpoint a restarted run resumes from, as the bundled worker hands it to a process. */
  public static final String CHECKPOINT_ENV = "JOBPLANE_CHECKPOINT";

  /** Annotation on the pods: the owning resource's full name, to map pod events back to it. */
  public static final String RESOURCE_ANNOTATION = "jobplane.io/resource";

  /**
   * Annotation on a batch Job created suspended because its project had no room under its {@code
   * max_running} (Kueue's model); the operator lifts the suspension, and this annotation, once the
   * store admits the run. A suspension without it is the resource's own ({@code spec.suspend}).
   */
  public static final String HELD_ANNOTATION = "jobplane.io/held-by";

  /** The batch Job for run {@code runId} of {@code resource}, owned (controller) by it. */
  public static Job build(JobResource resource, int runId) {
    return build(resource, runId, resource.getSpec().getPodTemplate(), List.of());
  }

  /**
   * The checkpoint run {@code runId} starts from: {@code spec.fromCheckpoint} for a run that a
   * restart started (the first run starts from scratch, as a REST submit does), else null.
   */
  public static String checkpoint(JobResource resource, int runId) {
    return runId > 1 ? resource.getSpec().getFromCheckpoint() : null;
  }

  /**
   * The batch Job for run {@code runId}: pods from {@code template} (the resource's, hardened by
   * the policy) with {@code env} and, for a restart from a checkpoint, {@link #CHECKPOINT_ENV}
   * added to every container. Pod disruptions (eviction, preemption, node loss) do not count
   * against the attempts: they are the cluster's failures, not the job's. No TTL yet: it is set
   * once the run's outcome is in the store, so Kubernetes cannot remove the pods before the
   * operator has read them.
   */
  public static Job build(
      JobResource resource, int runId, PodTemplateSpec template, List<EnvVar> env) {
    JobSpec spec = resource.getSpec();
    String resourceName = resource.getMetadata().getName();
    Map<String, String> labels =
        Map.of(JOB_LABEL, labelValue(resourceName), RUN_LABEL, Integer.toString(runId));
    int parallelism = Optional.ofNullable(spec.getParallelism()).orElse(1);
    int completions = Optional.ofNullable(spec.getCompletions()).orElse(parallelism);
    int maxAttempts = Optional.ofNullable(spec.getMaxAttempts()).orElse(1);
    return new JobBuilder()
        .withNewMetadata()
        .withName(name(resourceName, runId))
        .withNamespace(resource.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(ownerReference(resource))
        .endMetadata()
        .withNewSpec()
        .withParallelism(parallelism)
        .withCompletions(completions)
        .withCompletionMode(completions > 1 ? "Indexed" : null)
        .withBackoffLimit(Math.max(0, maxAttempts - 1))
        .withActiveDeadlineSeconds(
            spec.getTimeoutSeconds() == null ? null : spec.getTimeoutSeconds().longValue())
        .withSuspend(Boolean.TRUE.equals(spec.getSuspend()))
        .withNewPodFailurePolicy()
        .addNewRule()
        .withAction("Ignore")
        .addNewOnPodCondition()
        .withType("DisruptionTarget")
        .withStatus("True")
        .endOnPodCondition()
        .endRule()
        .endPodFailurePolicy()
        .withTemplate(
            podTemplate(template, labels, resourceName, withCheckpoint(env, resource, runId)))
        .endSpec()
        .build();
  }

  /** {@code batch}, suspended and marked {@link #HELD_ANNOTATION} for {@code limit}. */
  static Job held(Job batch, String limit) {
    return new JobBuilder(batch)
        .editMetadata()
        .addToAnnotations(HELD_ANNOTATION, limit)
        .endMetadata()
        .editSpec()
        .withSuspend(true)
        .endSpec()
        .build();
  }

  /** Whether {@code batch} waits suspended for its project's room (not for the resource's own). */
  static boolean isHeld(Job batch) {
    return batch.getMetadata().getAnnotations() != null
        && batch.getMetadata().getAnnotations().containsKey(HELD_ANNOTATION)
        && batch.getSpec() != null
        && Boolean.TRUE.equals(batch.getSpec().getSuspend());
  }

  private static List<EnvVar> withCheckpoint(List<EnvVar> env, JobResource resource, int runId) {
    String checkpoint = checkpoint(resource, runId);
    if (checkpoint == null) {
      return env;
    }
    List<EnvVar> all = new ArrayList<>(env);
    all.add(new EnvVar(CHECKPOINT_ENV, checkpoint, null));
    return all;
  }

  /** The controller owner reference that points at {@code resource}. */
  public static OwnerReference ownerReference(JobResource resource) {
    return new OwnerReferenceBuilder()
        .withApiVersion(JobResource.GROUP + "/" + JobResource.VERSION)
        .withKind("Job")
        .withName(resource.getMetadata().getName())
        .withUid(resource.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** The UID of {@code job}'s controller owner, if any. */
  public static Optional<String> controllerUid(Job job) {
    return job.getMetadata().getOwnerReferences().stream()
        .filter(ref -> Boolean.TRUE.equals(ref.getController()))
        .map(OwnerReference::getUid)
        .findFirst();
  }

  /** Whether {@code resource} is {@code job}'s controller. */
  public static boolean isOwnedBy(Job job, JobResource resource) {
    return controllerUid(job).map(uid -> uid.equals(resource.getMetadata().getUid())).orElse(false);
  }

  private static PodTemplateSpec podTemplate(
      PodTemplateSpec template, Map<String, String> labels, String resourceName, List<EnvVar> env) {
    PodTemplateSpecBuilder builder =
        new PodTemplateSpecBuilder(Objects.requireNonNull(template, "spec.podTemplate"));
    if (!builder.hasMetadata()) {
      builder.withNewMetadata().endMetadata();
    }
    builder
        .editMetadata()
        .addToLabels(labels)
        .addToAnnotations(RESOURCE_ANNOTATION, resourceName)
        .endMetadata();
    if (!builder.hasSpec()) {
      builder.withNewSpec().endSpec();
    }
    if (builder.buildSpec().getRestartPolicy() == null) {
      builder.editSpec().withRestartPolicy("Never").endSpec();
    }
    PodTemplateSpec built = builder.build();
    if (!env.isEmpty() && built.getSpec().getContainers() != null) {
      for (Container container : built.getSpec().getContainers()) {
        List<EnvVar> vars = new ArrayList<>(env);
        if (container.getEnv() != null) {
          // the platform's variables win: a pod cannot redirect its reports
          container.getEnv().stream()
              .filter(v -> env.stream().noneMatch(e -> e.getName().equals(v.getName())))
              .forEach(vars::add);
        }
        container.setEnv(vars);
      }
    }
    return built;
  }

  private static String shorten(String name, int max) {
    if (name.length() <= max) {
      return name;
    }
    String hash = Sha256.hex(name).substring(0, HASH_CHARS);
    String prefix = name.substring(0, max - HASH_CHARS - 1);
    while (!prefix.isEmpty() && !Character.isLetterOrDigit(prefix.charAt(prefix.length() - 1))) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    return prefix + "-" + hash;
  }
}
