package io.jobplane.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jobplane.adapters.cron.CronUtilsRules;
import io.jobplane.adapters.k8s.operator.JobplaneOperator;
import io.jobplane.adapters.persistence.PostgresStore;
import io.jobplane.application.service.ClusterJobsService;
import io.jobplane.application.service.ScheduleService;
import io.jobplane.application.service.SubmitJobService;
import io.jobplane.application.service.WorkloadOutbox;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the Kubernetes operator of a process on the store's use cases. */
final class OperatorWiring {

  private static final Logger log = LoggerFactory.getLogger(OperatorWiring.class);

  private OperatorWiring() {}

  static JobplaneOperator start(
      KubernetesClient kubernetes,
      PostgresStore store,
      KubernetesSettings k8s,
      Clock clock,
      MeterRegistry registry) {
    JobplaneOperator operator =
        JobplaneOperator.start(
            kubernetes,
            new ClusterJobsService(
                store.jobRepository(),
                store.jobLocks(),
                store.telemetryRepository(),
                store.jobCredentials(),
                store.projectLimits(),
                store.transactions(),
                clock),
            operatorSchedules(store, clock),
            k8s.operatorSettings(),
            k8s.namespaces(),
            k8s.leaseNamespace(),
            k8s.serverSideApply(),
            JobplaneOperator.EXIT_ON_LOST_LEADERSHIP,
            registry);
    log.info(
        "Operator watching {}",
        k8s.namespaces().isEmpty() ? "all namespaces" : "namespaces " + k8s.namespaces());
    return operator;
  }

  /**
   * The schedules of {@code JobSchedule} resources. The operator only stores and reads them (apply,
   * forget); the API server's loop ticks them, so the submit and control services here, which only
   * a tick would call, get no Kubernetes runtime.
   */
  private static ScheduleService operatorSchedules(PostgresStore store, Clock clock) {
    return new ScheduleService(
        store.scheduleRepository(),
        store.jobRepository(),
        StoreCollaborators.onStore(SubmitJobService.builder(), store, clock)
            .keys(store.idempotencyKeys())
            .build(),
        StoreCollaborators.controlJobs(store, clock, WorkloadOutbox.disabled()),
        new CronUtilsRules(),
        store.transactions(),
        clock);
  }
}
