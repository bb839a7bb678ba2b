package io.jobplane.app.client;

import io.jobplane.client.api.JobsApi.APIListJobEventsRequest;
import io.jobplane.client.model.JobEvent;
import io.jobplane.client.model.JobEventPage;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "events", description = "A job's timeline (GET /api/v1/jobs/{id}/events).")
final class EventsCommand extends ApiCommand {

  @Parameters(paramLabel = "ID")
  UUID id;

  @Option(names = "--limit", paramLabel = "N", description = "at most N (default ${DEFAULT-VALUE})")
  long limit = 100;

  @Mixin TableOutputOption output;

  @Override
  public Integer call() throws Exception {
    JobEventPage page =
        options
            .jobs()
            .listJobEvents(APIListJobEventsRequest.newBuilder().id(id).limit(limit).build());
    output.print(
        out(),
        page,
        List.of("TIME", "EVENT", "STATUS", "SOURCE", "MESSAGE"),
        () -> {
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
          return rows;
        });
    return ExitCodes.OK;
  }
}
