package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ScalableResource;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.application.port.in.ClusterJobsUseCase;
import io.jobplane.domain.JobId;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes runs to the cluster through the fabric8 client: the run credential Secret, the batch Job,
 * its deletion and its TTL, each with the Event a user sees in {@code kubectl describe}.
 *
 * <p>Why not JOSDK dependent resources with {@code desired()}: both objects are named for the run
 * ({@code <resource>-r<run>}), and which run is current, and whether it may be created at all, is
 * what the decision step works out (restart nonce against a finished run, the pod policy, a deleted
 * batch Job that must fail the run instead of coming back). A managed workflow reconciles its
 * dependents before {@code reconcile()} and would recreate a deleted batch Job; a standalone
 * dependent would still need an informer over the credential Secrets, which would hold every run's
 * token in the operator's heap (and cost memory per resource), and its {@code desired()} would
 * issue a credential in the store whenever it is computed, where a credential must be issued once
 * per run, just before the Secret is created. The batch Job is create-only (its pod template is
 * immutable), which is all a dependent would do here anyway.
 */
final class KubernetesRunApplier implements RunApplier {

  private final KubernetesClient client;
  private final ClusterJobsUseCase jobs;
  private final String apiUrl;
  private final KubernetesEvents events;

  /**
   * @param apiUrl the URL the pods report to; null hands them no URL and no credential
   */
  KubernetesRunApplier(
      KubernetesClient client, ClusterJobsUseCase jobs, String apiUrl, KubernetesEvents events) {
    this.client = Objects.requireNonNull(client, "client");
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.apiUrl = apiUrl;
    this.events = Objects.requireNonNull(events, "events");
  }

  @Override
  public Job createRun(
      JobResource resource, JobId id, RunPlan run, PodTemplateSpec template, String heldBy) {
    Job desired =
        BatchJobs.build(
            resource, run.runId(), template, podEnv(resource, id, run.runId(), run.batchName()));
    Job created = create(heldBy == null ? desired : BatchJobs.held(desired, heldBy));
    if (BatchJobs.isOwnedBy(created, resource)) {
      events.routine(
          resource,
          "Created",
          "created batch/v1 Job "
              + run.batchName()
              + " for run "
              + run.runId()
              + (heldBy == null ? "" : ", suspended: " + heldBy));
    }
    return created;
  }

  @Override
  public Job resumeRun(JobResource resource, Job batch) {
    // the client's edit sends the difference as a JSON patch: the annotation is removed, not
    // set to null as a merge patch would leave it
    Job resumed =
        batchJob(batch.getMetadata().getNamespace(), batch.getMetadata().getName())
            .edit(
                j -> {
                  j.getMetadata().getAnnotations().remove(BatchJobs.HELD_ANNOTATION);
                  j.getSpec().setSuspend(false);
                  return j;
                });
    events.normal(
        resource,
        "Admitted",
        "resumed batch/v1 Job " + batch.getMetadata().getName() + ": its project has room");
    return resumed;
  }

  @Override
  public void deleteRun(JobResource resource, RunPlan run, String why) {
    batchJob(resource.getMetadata().getNamespace(), run.batchName())
        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
        .delete();
    if (why != null) {
      events.normal(resource, "Stopping", why);
    }
  }

  @Override
  public void releaseForCleanup(JobResource resource, Job batch) {
    Integer ttl = resource.getSpec().getTtlSecondsAfterFinished();
    if (ttl == null
        || batch.getSpec() == null
        || ttl.equals(batch.getSpec().getTtlSecondsAfterFinished())) {
      return;
    }
    try {
      batchJob(batch.getMetadata().getNamespace(), batch.getMetadata().getName())
          .edit(
              j -> {
                j.getSpec().setTtlSecondsAfterFinished(ttl);
                return j;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }

  /**
   * What the pods get so they can report: the API URL, their job and run, and a credential for this
   * run only (in a Secret the resource owns; the token never appears in the batch Job).
   */
  private List<EnvVar> podEnv(JobResource resource, JobId id, int runId, String batchName) {
    if (apiUrl == null) {
      return List.of();
    }
    String secretName = batchName + "-credential";
    String token = jobs.issueRunCredential(id, runId);
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(secretName)
            .withNamespace(resource.getMetadata().getNamespace())
            .withLabels(
                Map.of(BatchJobs.JOB_LABEL, BatchJobs.labelValue(resource.getMetadata().getName())))
            .withOwnerReferences(BatchJobs.ownerReference(resource))
            .endMetadata()
            .withType("Opaque")
            .withData(
                Map.of(
                    JobReconciler.TOKEN_KEY,
                    Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8))))
            .build();
    try {
      client.secrets().resource(secret).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      // made by an earlier attempt at this run; its token is on record too
    }
    return List.of(
        new EnvVar("JOBPLANE_API_URL", apiUrl, null),
        new EnvVar("JOBPLANE_JOB_ID", id.toString(), null),
        new EnvVar("JOBPLANE_RUN_ID", Integer.toString(runId), null),
        new EnvVarBuilder()
            .withName("JOBPLANE_TOKEN")
            .withNewValueFrom()
            .withNewSecretKeyRef()
            .withName(secretName)
            .withKey(JobReconciler.TOKEN_KEY)
            .endSecretKeyRef()
            .endValueFrom()
            .build());
  }

  /** Create-only; on 409 AlreadyExists the existing Job (ours or not) is the answer. */
  private Job create(Job job) {
    try {
      return client.batch().v1().jobs().resource(job).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      Job existing = batchJob(job.getMetadata().getNamespace(), job.getMetadata().getName()).get();
      if (existing == null) {
        throw e; // deleted in between; the retry looks again
      }
      return existing;
    }
  }

  private ScalableResource<Job> batchJob(String namespace, String name) {
    return client.batch().v1().jobs().inNamespace(namespace).withName(name);
  }
}
