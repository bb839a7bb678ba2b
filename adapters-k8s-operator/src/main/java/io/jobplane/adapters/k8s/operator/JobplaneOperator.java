package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.jobplane.application.port.in.ClusterJobsUseCase;
import io.jobplane.application.port.in.ClusterSchedulesUseCase;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator as a running thing: JOSDK with the {@link JobReconciler} (and the {@link
 * JobScheduleReconciler} when given a schedules use case), watching all namespaces or the given
 * ones, with leader election through a coordination.k8s.io Lease when a lease namespace is given
 * (so of several replicas only one reconciles).
 */
public final class JobplaneOperator implements AutoCloseable {

  /** Name of the leader election Lease. */
  public static final String LEASE_NAME = "jobplane-operator";

  private static final Logger LOG = LoggerFactory.getLogger(JobplaneOperator.class);

  private final AtomicBoolean closing;
  private final Operator operator;

  private JobplaneOperator(Operator operator, AtomicBoolean closing) {
    this.operator = operator;
    this.closing = closing;
  }

  /**
   * A replica that loses leadership must stop acting at once, or two would reconcile: it exits, and
   * Kubernetes restarts it as a follower. Not while shutting down, when giving the lease back is
   * the point (and exiting from inside a shutdown would hang).
   */
  public static final Runnable EXIT_ON_LOST_LEADERSHIP =
      () -> new Thread(() -> System.exit(1), "jobplane-lost-leadership").start();

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
    return start(
        client,
        jobs,
        null,
        settings,
        namespaces,
        leaseNamespace,
        serverSideApply,
        EXIT_ON_LOST_LEADERSHIP,
        null);
  }

  /**
   * As above, with the {@code JobSchedule} controller when {@code schedules} is given (its CRD must
   * then be installed, as the chart does; null: Job resources only), what to do when leadership is
   * lost while running, and where JOSDK's metrics go (null: nowhere).
   */
  public static JobplaneOperator start(
      KubernetesClient client,
      ClusterJobsUseCase jobs,
      ClusterSchedulesUseCase schedules,
      OperatorSettings settings,
      Set<String> namespaces,
      String leaseNamespace,
      boolean serverSideApply,
      Runnable onLostLeadership,
      MeterRegistry registry) {
    Objects.requireNonNull(client, "client");
    AtomicBoolean closing = new AtomicBoolean();
    Objects.requireNonNull(namespaces, "namespaces");
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .checkingCRDAndValidateLocalModel(false)
                  .withUseSSAToPatchPrimaryResource(serverSideApply);
              if (registry != null) {
                // reconciliations, retries, failures and queue sizes per controller, not per
                // resource: thousands of jobs must not become thousands of time series
                o.withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
              }
              if (leaseNamespace != null) {
                LeaderCallbacks callbacks =
                    new LeaderCallbacks(
                        () -> LOG.info("Elected leader: reconciling"),
                        () -> {
                          if (!closing.get()) {
                            LOG.error("Lost the leader election Lease; stopping");
                            onLostLeadership.run();
                          }
                        },
                        leader -> LOG.info("Leader is {}", leader));
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        LEASE_NAME,
                        leaseNamespace,
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        null,
                        callbacks,
                        false));
              }
            });
    operator.register(new JobReconciler(jobs, settings), watching(namespaces));
    if (schedules != null) {
      operator.register(new JobScheduleReconciler(schedules, settings), watching(namespaces));
    }
    operator.start();
    return new JobplaneOperator(operator, closing);
  }

  /** Every namespace when {@code namespaces} is empty, else those. */
  private static <P extends HasMetadata> Consumer<ControllerConfigurationOverrider<P>> watching(
      Set<String> namespaces) {
    return c -> {
      if (namespaces.isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(namespaces);
      }
    };
  }

  /** Started, and every informer is healthy. */
  public boolean isReady() {
    return operator.getRuntimeInfo().isStarted()
        && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  @Override
  public void close() {
    closing.set(true);
    operator.stop();
  }
}
