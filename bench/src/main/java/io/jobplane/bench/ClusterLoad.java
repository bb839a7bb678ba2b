package io.jobplane.bench;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the benchmark does to the cluster, and reads back from it: N copies of one {@code Job}
 * manifest applied as a CI pipeline would, and every batch Job marked Complete as the batch
 * controller would.
 */
final class ClusterLoad {

  private static final String NAMESPACE = "bench";

  private final KubernetesClient client;
  private final int resources;
  private final String manifest = readManifest();

  ClusterLoad(KubernetesClient client, int resources) {
    this.client = client;
    this.resources = resources;
  }

  void apply() throws Exception {
    parallel(resources, i -> create(resource("bench-" + i)));
  }

  /**
   * Create-only, as {@code kubectl create}: a 409 means that a create the client retried after a
   * timeout (a slow mock server under load) was stored the first time.
   */
  private void create(JobResource resource) {
    try {
      client.resources(JobResource.class).resource(resource).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }

  boolean allQueuedWithOneBatchJob() {
    List<JobResource> all =
        client.resources(JobResource.class).inNamespace(NAMESPACE).list().getItems();
    long queued =
        all.stream()
            .filter(r -> r.getStatus() != null)
            .filter(r -> r.getStatus().getPhase() == JobPhase.QUEUED)
            .filter(r -> r.getStatus().getBatchJob() != null)
            .count();
    return queued == resources
        && client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems().size() == resources;
  }

  boolean allSucceeded() {
    return client.resources(JobResource.class).inNamespace(NAMESPACE).list().getItems().stream()
            .filter(r -> r.getStatus() != null && r.getStatus().getPhase() == JobPhase.SUCCEEDED)
            .count()
        == resources;
  }

  int duplicateBatchJobs() {
    Map<String, Integer> perOwner = new HashMap<>();
    for (Job j : client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()) {
      for (OwnerReference o : j.getMetadata().getOwnerReferences()) {
        perOwner.merge(o.getUid(), 1, Integer::sum);
      }
    }
    return perOwner.values().stream().mapToInt(n -> n - 1).sum();
  }

  void completeAllBatchJobs() throws Exception {
    List<Job> batches = client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems();
    parallel(batches.size(), i -> complete(batches.get(i)));
  }

  /** What the batch controller would write; a conflict means the operator touched it: re-read. */
  private void complete(Job batch) {
    Job current = batch;
    for (int attempt = 0; ; attempt++) {
      current.setStatus(
          new JobStatusBuilder()
              .withSucceeded(1)
              .withConditions(
                  new JobConditionBuilder().withType("Complete").withStatus("True").build())
              .build());
      try {
        client.batch().v1().jobs().resource(current).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt > 10) {
          throw e;
        }
        current = client.batch().v1().jobs().resource(current).get();
      }
    }
  }

  private interface Step {
    void run(int i) throws Exception;
  }

  /** Four client threads, as a CI pipeline applying manifests in parallel would. */
  private static void parallel(int n, Step step) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        fs.add(
            pool.submit(
                () -> {
                  step.run(index);
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  /** The manifest under another name, as `kubectl apply` of N copies would send it. */
  private JobResource resource(String name) {
    JobResource resource = Serialization.unmarshal(manifest, JobResource.class);
    resource.getMetadata().setName(name);
    return resource;
  }

  private static String readManifest() {
    try (var in = ClusterLoad.class.getResourceAsStream("/bench-job.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
