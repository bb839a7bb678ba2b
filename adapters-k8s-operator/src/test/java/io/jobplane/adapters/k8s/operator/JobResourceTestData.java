package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.jobplane.adapters.k8s.crd.DesiredState;
import io.jobplane.adapters.k8s.crd.GeneratedCrd;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobSpec;

/** {@code Job} resources for tests, and the mock API server set up to store them. */
final class JobResourceTestData {

  static final String NAMESPACE = "team-a";

  private JobResourceTestData() {}

  /** A running {@code Job} resource in {@link #NAMESPACE} that runs one busybox container. */
  static JobResource aJob(String name) {
    JobSpec spec = new JobSpec();
    spec.setType("report");
    spec.setDesiredState(DesiredState.RUNNING);
    spec.setPodTemplate(
        new PodTemplateSpecBuilder()
            .withNewSpec()
            .withContainers(new ContainerBuilder().withName("main").withImage("busybox").build())
            .endSpec()
            .build());
    JobResource job = new JobResource();
    job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
    job.setSpec(spec);
    return job;
  }

  /** Registers the generated CRD, as the mock server needs it to serve {@code Job} resources. */
  static MixedOperation<JobResource, KubernetesResourceList<JobResource>, Resource<JobResource>>
      registerCrd(KubernetesClient client) {
    client.apiextensions().v1().customResourceDefinitions().resource(GeneratedCrd.load()).create();
    return client.resources(JobResource.class);
  }
}
