package io.jobplane.app.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobplane.client.api.TelemetryApi.APIListJobLogsRequest;
import io.jobplane.client.model.LogLine;
import io.jobplane.client.model.LogList;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "logs",
    description = {
      "Print a job's log lines (GET /api/v1/jobs/{id}/logs).",
      "With -f, keep printing lines as the job writes them until it finishes."
    })
final class LogsCommand extends ApiCommand {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(paramLabel = "ID")
  UUID id;

  @Option(
      names = {"-f", "--follow"},
      description = "Follow the log (server-sent events) until the job finishes")
  boolean follow;

  @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines (then new ones)")
  Long tail;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = out();
    if (!follow) {
      LogList page =
          options
              .telemetry()
              .listJobLogs(
                  APIListJobLogsRequest.newBuilder()
                      .id(id)
                      .tail(tail)
                      .limit(tail == null ? 1000L : null)
                      .build());
      for (LogLine line : page.getData()) {
        out.println(line.getMessage());
      }
      out.flush();
      return ExitCodes.OK;
    }
    follow(out);
    return ExitCodes.OK;
  }

  /**
   * The server's follow stream: events named {@code log} carry a LogLine, {@code end} comes once
   * the job finished; {@link EventStream} resumes a cut stream after the last line seen.
   */
  private void follow(PrintWriter out) throws IOException, InterruptedException {
    new EventStream(options.connection())
        .follow(
            lastId ->
                "/api/v1/jobs/"
                    + id
                    + "/logs?follow=true&until=finished"
                    + (lastId == 0 && tail != null ? "&tail=" + tail : ""),
            () -> {},
            event -> {
              if (event.name().equals("end")) {
                return false;
              }
              if (event.name().equals("log")) {
                out.println(JSON.readTree(event.data()).path("message").asText());
                out.flush();
              }
              return true;
            });
  }
}
