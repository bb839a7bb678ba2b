package io.jobplane.app.client;

import io.jobplane.client.api.JobsApi.APIListJobEventsRequest;
import io.jobplane.client.model.JobEvent;
import io.jobplane.client.model.JobEventPage;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "events", description = "A job's timeline (GET /api/v1/jobs/{id}/events).")
final class EventsCommand implements Callable<Integer>, ClientCommand {

  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "ID")
  UUID id;

  @Option(names = "--limit", paramLabel = "N", description = "at most N (default ${DEFAULT-VALUE})")
  long limit = 100;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "table (default), json or yaml")
  Output.Format output = Output.Format.table;

  @Override
  public ClientOptions options() {
    return options;
  }

  @Override
  public Integer call() throws Exception {
    JobEventPage page =
        options
            .jobs()
            .listJobEvents(APIListJobEventsRequest.newBuilder().id(id).limit(limit).build());
    if (output == Output.Format.json || output == Output.Format.yaml) {
      Output.structured(spec.commandLine().getOut(), output, page);
      return ExitCodes.OK;
    }
    List<List<String>> rows = new ArrayList<>();
    for (JobEvent e : page.getItems()) {
      rows.add(
          List.of(
              String.valueOf(e.getTimestamp()),
              String.valueOf(e.getEvent()),
              e.getFromStatus() == null ? "" : e.getFromStatus() + " -> " + e.getToStatus(),
              e.getSource() == null ? "" : e.getSource(),
              e.getMessage() == null ? "" : e.getMessage()));
    }
    Output.table(
        spec.commandLine().getOut(), List.of("TIME", "EVENT", "STATUS", "SOURCE", "MESSAGE"), rows);
    return ExitCodes.OK;
  }
}
