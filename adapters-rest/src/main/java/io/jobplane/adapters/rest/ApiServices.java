package io.jobplane.adapters.rest;

import io.jobplane.application.port.in.ApiTokensUseCase;
import io.jobplane.application.port.in.CheckReadinessUseCase;
import io.jobplane.application.port.in.ControlJobUseCase;
import io.jobplane.application.port.in.JobGraphsUseCase;
import io.jobplane.application.port.in.LiveStreamsUseCase;
import io.jobplane.application.port.in.LongPollClaimsUseCase;
import io.jobplane.application.port.in.ManageSecretsUseCase;
import io.jobplane.application.port.in.ManageWebhooksUseCase;
import io.jobplane.application.port.in.ProjectLimitsUseCase;
import io.jobplane.application.port.in.QueryJobsUseCase;
import io.jobplane.application.port.in.QueueOverviewUseCase;
import io.jobplane.application.port.in.RunCredentialsUseCase;
import io.jobplane.application.port.in.SchedulesUseCase;
import io.jobplane.application.port.in.SubmitJobUseCase;
import io.jobplane.application.port.in.TelemetryQueries;
import io.jobplane.application.port.in.TelemetryUseCase;
import io.jobplane.application.port.in.WorkerProtocolUseCase;
import io.jobplane.application.port.in.WorkersUseCase;
import java.util.Objects;

/** The use cases the REST API drives; the composition root builds them. */
public record ApiServices(
    SubmitJobUseCase submit,
    QueryJobsUseCase query,
    ControlJobUseCase control,
    CheckReadinessUseCase readiness,
    WorkerProtocolUseCase worker,
    TelemetryUseCase telemetry,
    TelemetryQueries telemetryQueries,
    LiveStreamsUseCase live,
    RunCredentialsUseCase runCredentials,
    LongPollClaimsUseCase longPolls,
    ApiTokensUseCase apiTokens,
    ManageSecretsUseCase secrets,
    SchedulesUseCase schedules,
    QueueOverviewUseCase queues,
    ManageWebhooksUseCase webhooks,
    JobGraphsUseCase graphs,
    WorkersUseCase workers,
    ProjectLimitsUseCase limits) {

  /** Services of a server whose pods never hold run credentials. */
  public ApiServices(
      SubmitJobUseCase submit,
      QueryJobsUseCase query,
      ControlJobUseCase control,
      CheckReadinessUseCase readiness,
      WorkerProtocolUseCase worker,
      TelemetryUseCase telemetry,
      TelemetryQueries telemetryQueries,
      LiveStreamsUseCase live,
      LongPollClaimsUseCase longPolls,
      ApiTokensUseCase apiTokens,
      ManageSecretsUseCase secrets,
      SchedulesUseCase schedules,
      QueueOverviewUseCase queues,
      ManageWebhooksUseCase webhooks,
      JobGraphsUseCase graphs,
      WorkersUseCase workers,
      ProjectLimitsUseCase limits) {
    this(
        submit,
        query,
        control,
        readiness,
        worker,
        telemetry,
        telemetryQueries,
        live,
        token -> java.util.Optional.empty(),
        longPolls,
        apiTokens,
        secrets,
        schedules,
        queues,
        webhooks,
        graphs,
        workers,
        limits);
  }

  public ApiServices {
    Objects.requireNonNull(submit, "submit");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(control, "control");
    Objects.requireNonNull(readiness, "readiness");
    Objects.requireNonNull(worker, "worker");
    Objects.requireNonNull(telemetry, "telemetry");
    Objects.requireNonNull(telemetryQueries, "telemetryQueries");
    Objects.requireNonNull(live, "live");
    Objects.requireNonNull(runCredentials, "runCredentials");
    Objects.requireNonNull(longPolls, "longPolls");
    Objects.requireNonNull(apiTokens, "apiTokens");
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(schedules, "schedules");
    Objects.requireNonNull(queues, "queues");
    Objects.requireNonNull(webhooks, "webhooks");
    Objects.requireNonNull(graphs, "graphs");
    Objects.requireNonNull(workers, "workers");
    Objects.requireNonNull(limits, "limits");
  }
}
