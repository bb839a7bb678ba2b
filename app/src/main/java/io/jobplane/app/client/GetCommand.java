package io.jobplane.app.client;

import io.jobplane.client.model.Job;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "get", description = "Show one job (GET /api/v1/jobs/{id}).")
final class GetCommand implements Callable<Integer>, ClientCommand {

  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "ID")
  UUID id;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "yaml (default) or json")
  Output.Format output = Output.Format.yaml;

  @Override
  public ClientOptions options() {
    return options;
  }

  @Override
  public Integer call() throws Exception {
    Job job = options.jobs().getJob(id, "true");
    Output.structured(
        spec.commandLine().getOut(),
        output == Output.Format.json ? Output.Format.json : Output.Format.yaml,
        job);
    return ExitCodes.OK;
  }
}
