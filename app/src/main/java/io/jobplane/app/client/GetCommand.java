package io.jobplane.app.client;

import io.jobplane.client.ApiException;
import io.jobplane.client.model.Job;
import java.util.UUID;
import picocli.CommandLine.Command;

@Command(name = "get", description = "Show one job (GET /api/v1/jobs/{id}).")
final class GetCommand extends GetByIdCommand {

  @Override
  Job fetch(UUID id) throws ApiException {
    return options.jobs().getJob(id, "true");
  }
}
