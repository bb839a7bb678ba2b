package io.jobplane.app.client;

import io.jobplane.client.api.JobsApi.APIListJobsRequest;
import io.jobplane.client.model.Job;
import io.jobplane.client.model.JobList;
import java.io.PrintWriter;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "list",
    aliases = "ls",
    description = "List jobs, newest first, with the API's filters (GET /api/v1/jobs).")
final class ListCommand implements Callable<Integer>, ClientCommand {

  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  @Option(names = "--status", paramLabel = "S[,S]", description = "e.g. queued,running")
  String status;

  @Option(names = "--type", paramLabel = "TYPE")
  String type;

  @Option(names = "--project", paramLabel = "P[,P]")
  String project;

  @Option(names = "--queue", paramLabel = "Q")
  String queue;

  @Option(names = "--runtime", paramLabel = "R", description = "worker or kubernetes")
  String runtime;

  @Option(
      names = {"-l", "--labels"},
      paramLabel = "SELECTOR",
      description = "e.g. env=prod,tier!=web")
  String labels;

  @Option(names = "--created-by", paramLabel = "NAME")
  String createdBy;

  @Option(names = "--search", paramLabel = "TEXT", description = "in name and type")
  String search;

  @Option(names = "--sort", paramLabel = "FIELDS", description = "e.g. -priority,created_at")
  String sort;

  @Option(names = "--limit", paramLabel = "N", description = "page size (default ${DEFAULT-VALUE})")
  long limit = 50;

  @Option(names = "--cursor", paramLabel = "CURSOR", description = "next_cursor of a page")
  String cursor;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "table (default), wide, json or yaml")
  Output.Format output = Output.Format.table;

  @Override
  public ClientOptions options() {
    return options;
  }

  @Override
  public Integer call() throws Exception {
    JobList page =
        options
            .jobs()
            .listJobs(
                APIListJobsRequest.newBuilder()
                    .status(status)
                    .type(type)
                    .project(project)
                    .queue(queue)
                    .runtime(runtime)
                    .labels(labels)
                    .createdBy(createdBy)
                    .search(search)
                    .sort(sort)
                    .limit(limit)
                    .cursor(cursor)
                    .build());
    PrintWriter out = spec.commandLine().getOut();
    if (output == Output.Format.json || output == Output.Format.yaml) {
      Output.structured(out, output, page);
      return ExitCodes.OK;
    }
    boolean wide = output == Output.Format.wide;
    OffsetDateTime now = OffsetDateTime.now();
    List<String> headers =
        new ArrayList<>(List.of("ID", "NAME", "STATUS", "PROGRESS", "PROJECT", "QUEUE", "AGE"));
    if (wide) {
      headers.addAll(List.of("TYPE", "RUN", "ATTEMPT", "LABELS"));
    }
    List<List<String>> rows = new ArrayList<>();
    for (Job job : page.getItems()) {
      List<String> row =
          new ArrayList<>(
              List.of(
                  String.valueOf(job.getId()),
                  job.getName(),
                  String.valueOf(job.getStatus()),
                  job.getProgress() == null ? "" : job.getProgress() + "%",
                  nullToEmpty(job.getProject()),
                  nullToEmpty(job.getQueue()),
                  Output.age(job.getCreatedAt(), now)));
      if (wide) {
        row.addAll(
            List.of(
                nullToEmpty(job.getType()),
                String.valueOf(job.getRunId()),
                String.valueOf(job.getAttempt()),
                labels(job.getLabels())));
      }
      rows.add(row);
    }
    Output.table(out, headers, rows);
    if (page.getNextCursor() != null) {
      out.println("more: --cursor " + page.getNextCursor());
      out.flush();
    }
    return ExitCodes.OK;
  }

  private static String labels(Map<String, String> labels) {
    return labels == null
        ? ""
        : labels.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .sorted()
            .collect(Collectors.joining(","));
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
