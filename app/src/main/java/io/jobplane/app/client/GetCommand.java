package io.jobplane.app.client;

import io.jobplane.client.model.Job;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "get", description = "Show one job (GET /api/v1/jobs/{id}).")
final class GetCommand implements Callable<Integer>, ClientCommand {

  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "ID")
  UUID id;

  @Mixin StructuredOutputOption output;

  @Override
  public ClientOptions options() {
    return options;
  }

  @Override
  public Integer call() throws Exception {
    Job job = options.jobs().getJob(id, "true");
    output.print(spec.commandLine().getOut(), job);
    return ExitCodes.OK;
  }
}
