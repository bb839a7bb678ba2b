package io.jobplane.adapters.k8s.operator;

import io.jobplane.application.service.ClusterJobsService;
import io.jobplane.application.service.RunCredentialsService;
import io.jobplane.application.testing.DirectTransactionRunner;
import io.jobplane.application.testing.InMemoryJobCredentials;
import io.jobplane.application.testing.InMemoryJobRepository;
import io.jobplane.application.testing.InMemoryProjectLimitsStore;
import io.jobplane.application.testing.InMemoryTaskRepository;
import io.jobplane.application.testing.InMemoryTelemetryRepository;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.TimelineEvent;
import java.time.Clock;
import java.util.List;

/** The store the operator mirrors into, in memory, with the real application services. */
final class Store {

  final InMemoryJobRepository jobs = new InMemoryJobRepository();
  final InMemoryTelemetryRepository telemetry = new InMemoryTelemetryRepository(jobs);
  final InMemoryJobCredentials credentials = new InMemoryJobCredentials();
  final InMemoryProjectLimitsStore limits = new InMemoryProjectLimitsStore(jobs);
  final DirectTransactionRunner tx = new DirectTransactionRunner();
  final ClusterJobsService cluster;
  final RunCredentialsService runCredentials;

  Store(Clock clock) {
    InMemoryTaskRepository tasks = new InMemoryTaskRepository(jobs, clock);
    cluster = new ClusterJobsService(jobs, tasks, telemetry, credentials, limits, tx, clock);
    runCredentials = new RunCredentialsService(credentials, jobs, tx);
  }

  JobSnapshot job(String id) {
    return jobs.findById(JobId.parse(id)).orElseThrow();
  }

  List<TimelineEvent> timeline(String id) {
    return jobs.timeline(JobId.parse(id), 1000, 0).items();
  }
}
