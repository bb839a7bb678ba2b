package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.jobplane.application.port.in.ClusterJobsUseCase;
import java.util.Objects;
import java.util.Set;

/**
 * The operator as a running thing: JOSDK with the {@link JobReconciler}, watching all namespaces or
 * the given ones, with leader election through a coordination.k8s.io Lease when a lease namespace
 * is given (so of several replicas only one reconciles).
 */
public final class JobplaneOperator implements AutoCloseable {

  /** Name of the leader election Lease. */
  public static final String LEASE_NAME = "jobplane-operator";

  private final Operator operator;

  private JobplaneOperator(Operator operator) {
    this.operator = operator;
  }

  /**
   * Starts reconciling.
   *
   * @param namespaces the namespaces to watch; empty means all
   * @param leaseNamespace where the leader election Lease lives; null runs without leader election
   * @param serverSideApply false only for API servers without server-side apply (fabric8's mock)
   */
  public static JobplaneOperator start(
      KubernetesClient client,
      ClusterJobsUseCase jobs,
      OperatorSettings settings,
      Set<String> namespaces,
      String leaseNamespace,
      boolean serverSideApply) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(namespaces, "namespaces");
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .checkingCRDAndValidateLocalModel(false)
                  .withUseSSAToPatchPrimaryResource(serverSideApply);
              if (leaseNamespace != null) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(LEASE_NAME, leaseNamespace));
              }
            });
    operator.register(
        new JobReconciler(jobs, settings),
        c -> {
          if (namespaces.isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(namespaces);
          }
        });
    operator.start();
    return new JobplaneOperator(operator);
  }

  /** Started, and every informer is healthy. */
  public boolean isReady() {
    return operator.getRuntimeInfo().isStarted()
        && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  @Override
  public void close() {
    operator.stop();
  }
}
