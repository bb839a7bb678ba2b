package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.jobplane.adapters.k8s.crd.JobResource;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;

/**
 * A JOSDK {@link Context} for calling a reconciler directly: the client, and for a {@code Job}
 * resource as secondary resources the batch Jobs it controls (what the informer's owner-reference
 * mapping yields), listed from the API server instead of an informer cache.
 */
final class TestContext<P extends HasMetadata> implements Context<P> {

  private final KubernetesClient client;
  private final P primary;

  TestContext(KubernetesClient client, P primary) {
    this.client = client;
    this.primary = primary;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R> Set<R> getSecondaryResources(Class<R> type) {
    if (type != Job.class || !(primary instanceof JobResource owner)) {
      return Set.of();
    }
    return (Set<R>)
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(primary.getMetadata().getNamespace())
            .list()
            .getItems()
            .stream()
            .filter(job -> BatchJobs.isOwnedBy(job, owner))
            .collect(Collectors.toSet());
  }

  @Override
  public <R> Optional<R> getSecondaryResource(Class<R> type, String eventSourceName) {
    throw new UnsupportedOperationException();
  }

  @Override
  public KubernetesClient getClient() {
    return client;
  }

  @Override
  public P getPrimaryResource() {
    return primary;
  }

  @Override
  public Optional<RetryInfo> getRetryInfo() {
    return Optional.empty();
  }

  @Override
  public ControllerConfiguration<P> getControllerConfiguration() {
    throw new UnsupportedOperationException();
  }

  @Override
  public ManagedWorkflowAndDependentResourceContext managedWorkflowAndDependentResourceContext() {
    throw new UnsupportedOperationException();
  }

  @Override
  public EventSourceRetriever<P> eventSourceRetriever() {
    throw new UnsupportedOperationException();
  }

  @Override
  public ExecutorService getWorkflowExecutorService() {
    throw new UnsupportedOperationException();
  }

  @Override
  public IndexedResourceCache<P> getPrimaryCache() {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean isNextReconciliationImminent() {
    return false;
  }

  @Override
  public boolean isPrimaryResourceDeleted() {
    return false;
  }

  @Override
  public boolean isPrimaryResourceFinalStateUnknown() {
    return false;
  }
}
