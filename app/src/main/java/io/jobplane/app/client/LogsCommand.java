package io.jobplane.app.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobplane.client.api.TelemetryApi.APIListJobLogsRequest;
import io.jobplane.client.model.LogLine;
import io.jobplane.client.model.LogList;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "logs",
    description = {
      "Print a job's log lines (GET /api/v1/jobs/{id}/logs).",
      "With -f, keep printing lines as the job writes them until it finishes."
    })
final class LogsCommand implements Callable<Integer>, ClientCommand {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int RECONNECTS = 5;

  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "ID")
  UUID id;

  @Option(
      names = {"-f", "--follow"},
      description = "Follow the log (server-sent events) until the job finishes")
  boolean follow;

  @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines (then new ones)")
  Long tail;

  @Override
  public ClientOptions options() {
    return options;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
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
   * the job finished. A stream cut short (a restarted server, a proxy) is resumed after the last
   * line seen, with Last-Event-ID, so no line is printed twice or lost.
   */
  private void follow(PrintWriter out) throws IOException, InterruptedException {
    Connection connection = options.connection();
    // a plain HTTP/1.1 stream, as the server serves it: no h2c upgrade round trip first
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    long lastId = 0;
    for (int attempt = 0; ; attempt++) {
      String query = "follow=true&until=finished";
      if (lastId == 0 && tail != null) {
        query += "&tail=" + tail;
      }
      HttpRequest.Builder request =
          HttpRequest.newBuilder(
                  URI.create(
                      connection.server().toString().replaceAll("/+$", "")
                          + "/api/v1/jobs/"
                          + id
                          + "/logs?"
                          + query))
              .header("Accept", "text/event-stream");
      if (connection.token() != null) {
        request.header("Authorization", "Bearer " + connection.token());
      }
      if (lastId > 0) {
        request.header("Last-Event-ID", Long.toString(lastId));
      }
      HttpResponse<Stream<String>> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
      if (response.statusCode() != 200) {
        String body;
        try (Stream<String> lines = response.body()) {
          body = lines.collect(Collectors.joining("\n"));
        }
        throw Failures.fromProblem(response.statusCode(), body, null);
      }
      String event = "message";
      StringBuilder data = new StringBuilder();
      try (Stream<String> lines = response.body()) {
        for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
          String line = it.next();
          if (line.isEmpty()) {
            if (event.equals("end")) {
              return;
            }
            if (event.equals("log") && data.length() > 0) {
              JsonNode log = JSON.readTree(data.toString());
              lastId = Math.max(lastId, log.path("id").asLong(lastId));
              out.println(log.path("message").asText());
              out.flush();
            }
            event = "message";
            data.setLength(0);
          } else if (line.startsWith("event:")) {
            event = line.substring(6).strip();
          } else if (line.startsWith("data:")) {
            if (data.length() > 0) {
              data.append('\n');
            }
            data.append(line.substring(5).stripLeading());
          }
        }
      } catch (IOException cut) {
        if (attempt >= RECONNECTS) {
          throw cut;
        }
      }
      if (attempt >= RECONNECTS) {
        throw new CliFailure(
            ExitCodes.SERVER_ERROR,
            "the log stream ended " + RECONNECTS + " times before the job finished");
      }
      Thread.sleep(1000);
    }
  }
}
