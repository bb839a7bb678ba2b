package io.jobplane.adapters.k8s.operator;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jobplane.adapters.k8s.crd.DesiredState;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobSpec;
import io.jobplane.application.port.out.WorkloadRuntime;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.KubernetesPlacement;
import io.jobplane.domain.SecretRef;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Hands REST-submitted Kubernetes jobs to the cluster as {@code jobs.jobplane.io} resources that
 * carry the store's job id, and acts on them through their spec (desired state, restart nonce), so
 * the operator does the running whichever driver asked. The platform's rules of the {@link
 * PodPolicy} (namespaces, Secrets, service account) are checked first, so a template the operator
 * would refuse for who may use what is a 403 and never reaches the cluster; the Pod Security checks
 * stay with the operator. The cluster's refusals become client errors with its message.
 */
public final class KubernetesWorkloadRuntime implements WorkloadRuntime {

  private final KubernetesClient client;
  private final PodPolicy policy;

  public KubernetesWorkloadRuntime(KubernetesClient client, PodPolicy policy) {
    this.client = client;
    this.policy = policy;
  }

  @Override
  public void admit(JobSnapshot job) {
    List<String> violations =
        PodPolicyCheck.platformViolations(
            job.definition().kubernetes().namespace(),
            job.definition().project(),
            PodPolicyCheck.harden(resourceOf(job).getSpec().getPodTemplate(), policy),
            policy);
    if (!violations.isEmpty()) {
      throw new DomainException(
          DomainException.Reason.FORBIDDEN,
          "kubernetes.pod_template refused by the platform policy: "
              + String.join("; ", violations));
    }
  }

  @Override
  public void launch(JobSnapshot job) {
    KubernetesPlacement k8s = job.definition().kubernetes();
    admit(job); // again: the policy may have changed since the submit was stored
    try {
      client.resources(JobResource.class).resource(resourceOf(job)).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        JobResource existing = get(k8s);
        if (existing != null && job.id().toString().equals(annotation(existing))) {
          return; // created by an earlier try of this submit
        }
        throw DomainException.conflict(
            "a Job resource "
                + k8s.namespace()
                + "/"
                + k8s.resourceName()
                + " already exists in the cluster; choose another kubernetes.name");
      }
      throw refused(e);
    }
  }

  @Override
  public void stop(JobSnapshot job) {
    edit(
        job,
        r -> {
          r.getSpec().setDesiredState(DesiredState.STOPPED);
          return r;
        });
  }

  @Override
  public void restart(JobSnapshot job) {
    edit(
        job,
        r -> {
          r.getSpec().setDesiredState(DesiredState.RUNNING);
          r.getSpec().setRestartNonce("run-" + job.runId());
          r.getSpec().setFromCheckpoint(job.checkpointId());
          return r;
        });
  }

  @Override
  public void delete(String namespace, String resourceName) {
    try {
      client.resources(JobResource.class).inNamespace(namespace).withName(resourceName).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw refused(e);
      }
    }
  }

  private void edit(JobSnapshot job, UnaryOperator<JobResource> change) {
    KubernetesPlacement k8s = job.definition().kubernetes();
    try {
      client
          .resources(JobResource.class)
          .inNamespace(k8s.namespace())
          .withName(k8s.resourceName())
          .edit(change);
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        throw DomainException.conflict(
            "the job's resource "
                + k8s.namespace()
                + "/"
                + k8s.resourceName()
                + " no longer exists in the cluster");
      }
      throw refused(e);
    }
  }

  private JobResource get(KubernetesPlacement k8s) {
    return client
        .resources(JobResource.class)
        .inNamespace(k8s.namespace())
        .withName(k8s.resourceName())
        .get();
  }

  private static String annotation(JobResource r) {
    Map<String, String> a = r.getMetadata().getAnnotations();
    return a == null ? null : a.get(ResourceDefinitions.JOB_ID_ANNOTATION);
  }

  /** Refusals the client can fix (403, 404 namespace, 422 schema) are 400s with the reason. */
  private static RuntimeException refused(KubernetesClientException e) {
    int code = e.getCode();
    if (code >= 400 && code < 500) {
      String reason =
          e.getStatus() != null && e.getStatus().getMessage() != null
              ? e.getStatus().getMessage()
              : e.getMessage();
      return DomainException.invalid(
          "kubernetes", "the cluster refused the job's resource: " + reason);
    }
    return e;
  }

  /**
   * Adds the job's secret references to every container (init containers too) as {@code
   * valueFrom.secretKeyRef}: the kubelet reads the key from the Secret of that name in the job's
   * namespace when it starts the pod, so the value is never in the resource, the batch Job or the
   * store. A variable the template sets under the same name is replaced: {@code env} was given for
   * this job, the template may be shared.
   */
  static PodTemplateSpec withSecretRefs(PodTemplateSpec template, Map<String, SecretRef> refs) {
    if (refs.isEmpty() || template == null || template.getSpec() == null) {
      return template;
    }
    List<EnvVar> added = new ArrayList<>();
    refs.forEach(
        (name, ref) ->
            added.add(
                new EnvVarBuilder()
                    .withName(name)
                    .withNewValueFrom()
                    .withNewSecretKeyRef()
                    .withName(ref.secret())
                    .withKey(ref.key())
                    .withOptional(false)
                    .endSecretKeyRef()
                    .endValueFrom()
                    .build()));
    List<Container> containers = new ArrayList<>();
    if (template.getSpec().getContainers() != null) {
      containers.addAll(template.getSpec().getContainers());
    }
    if (template.getSpec().getInitContainers() != null) {
      containers.addAll(template.getSpec().getInitContainers());
    }
    for (Container c : containers) {
      List<EnvVar> env = new ArrayList<>();
      if (c.getEnv() != null) {
        c.getEnv().stream().filter(v -> !refs.containsKey(v.getName())).forEach(env::add);
      }
      env.addAll(added);
      c.setEnv(env);
    }
    return template;
  }

  static JobResource resourceOf(JobSnapshot job) {
    JobDefinition d = job.definition();
    KubernetesPlacement k8s = d.kubernetes();
    JobSpec spec = new JobSpec();
    spec.setType(d.type());
    spec.setProject(d.project());
    spec.setLabels(d.labels().values().isEmpty() ? null : d.labels().values());
    spec.setPodTemplate(
        withSecretRefs(
            Serialization.unmarshal(k8s.podTemplate(), PodTemplateSpec.class), k8s.secretEnv()));
    spec.setParallelism(d.parallelism());
    spec.setCompletions(d.parallelism());
    spec.setMaxAttempts(d.maxAttempts());
    spec.setTimeoutSeconds(d.timeoutSeconds());
    spec.setDesiredState(DesiredState.RUNNING);
    spec.setInput(Serialization.unmarshal(d.input().json(), JsonNode.class));
    JobResource resource = new JobResource();
    resource.setMetadata(
        new ObjectMetaBuilder()
            .withName(k8s.resourceName())
            .withNamespace(k8s.namespace())
            .withAnnotations(Map.of(ResourceDefinitions.JOB_ID_ANNOTATION, job.id().toString()))
            .build());
    resource.setSpec(spec);
    return resource;
  }
}
