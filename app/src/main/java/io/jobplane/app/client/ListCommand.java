package io.jobplane.app.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobplane.client.ApiException;
import io.jobplane.client.api.JobsApi.APIListJobsRequest;
import io.jobplane.client.model.ItemCounts;
import io.jobplane.client.model.Job;
import io.jobplane.client.model.JobList;
import io.jobplane.client.model.TaskCounts;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "list",
    aliases = "ls",
    description = "List jobs, newest first, with the API's filters (GET /api/v1/jobs).")
final class ListCommand extends ApiCommand {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int AGE = 6;
  private static final List<Integer> WATCH_WIDTHS =
      List.of(36, 16, "PARTIALLY_FAILED".length(), "100%".length());

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

  @Option(
      names = {"-w", "--watch"},
      description = {
        "After the list, print a line each time a listed job changes, until interrupted.",
        "Only --project, --status, --type, --queue and --labels narrow what is watched."
      })
  boolean watch;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = out();
    if (!watch) {
      print(out, firstPage());
      return ExitCodes.OK;
    }
    Map<UUID, List<String>> shown = new HashMap<>();
    Output.Table[] table = new Output.Table[1];
    // the stream is open before the list is read: a change in between is not lost
    new EventStream(options.connection())
        .follow(
            lastId -> "/api/v1/jobs" + streamQuery(),
            () -> {
              JobList page = firstPage();
              table[0] = print(out, page);
              page.getItems().forEach(job -> shown.put(job.getId(), comparable(row(job))));
            },
            event -> {
              if (event.name().equals("job_event")) {
                UUID id = UUID.fromString(JSON.readTree(event.data()).path("job_id").asText());
                changed(out, table[0], shown, id);
              }
              return true;
            });
    return ExitCodes.OK;
  }

  private JobList firstPage() {
    try {
      return options
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
                  // the wide table's TASKS and ITEMS: one more read each for the whole page
                  .expand(output == Output.Format.wide ? "tasks,items" : null)
                  .limit(limit)
                  .cursor(cursor)
                  .build());
    } catch (ApiException e) {
      throw Failures.describe(e, options.connection().server());
    }
  }

  /** The table, or the page as JSON or YAML; returns the table's columns for later rows. */
  private Output.Table print(PrintWriter out, JobList page) {
    if (output == Output.Format.json || output == Output.Format.yaml) {
      Output.structured(out, output, page);
      return null;
    }
    List<List<String>> rows = new ArrayList<>();
    for (Job job : page.getItems()) {
      rows.add(row(job));
    }
    // when watching, room for the rows to come: a job id, a name, the longest status
    List<Integer> minimums = watch ? WATCH_WIDTHS : List.of();
    Output.Table table = Output.table(out, headers(), rows, minimums);
    if (page.getNextCursor() != null && !watch) {
      out.println("more: --cursor " + page.getNextCursor());
      out.flush();
    }
    return table;
  }

  /** One more line for a job that changed, unless what the line shows is the same. */
  private void changed(
      PrintWriter out, Output.Table table, Map<UUID, List<String>> shown, UUID id) {
    Job job;
    try {
      job = options.jobs().getJob(id, null);
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        throw Failures.describe(e, options.connection().server());
      }
      // deleted (or no longer visible to this token): said once, like kubectl's DELETED
      if (shown.remove(id) != null) {
        List<String> gone = new ArrayList<>(Collections.nCopies(headers().size(), ""));
        gone.set(0, id.toString());
        gone.set(2, "DELETED");
        print(out, table, gone);
      }
      return;
    }
    List<String> row = row(job);
    if (comparable(row).equals(shown.put(id, comparable(row)))) {
      return;
    }
    if (table == null) {
      Output.structured(out, output, job);
    } else {
      print(out, table, row);
    }
  }

  private static void print(PrintWriter out, Output.Table table, List<String> row) {
    if (table != null) {
      table.print(out, List.of(row));
    }
  }

  /** A row without its AGE, which changes with the clock, not with the job. */
  private static List<String> comparable(List<String> row) {
    List<String> copy = new ArrayList<>(row);
    copy.remove(AGE);
    return copy;
  }

  private List<String> headers() {
    List<String> headers =
        new ArrayList<>(List.of("ID", "NAME", "STATUS", "PROGRESS", "PROJECT", "QUEUE", "AGE"));
    if (output == Output.Format.wide) {
      headers.addAll(List.of("TYPE", "RUN", "ATTEMPT", "TASKS", "ITEMS", "LABELS"));
    }
    return headers;
  }

  private List<String> row(Job job) {
    List<String> row =
        new ArrayList<>(
            List.of(
                String.valueOf(job.getId()),
                job.getName(),
                String.valueOf(job.getStatus()),
                job.getProgress() == null ? "" : job.getProgress() + "%",
                nullToEmpty(job.getProject()),
                nullToEmpty(job.getQueue()),
                Output.age(job.getCreatedAt(), OffsetDateTime.now())));
    if (output == Output.Format.wide) {
      row.addAll(
          List.of(
              nullToEmpty(job.getType()),
              String.valueOf(job.getRunId()),
              String.valueOf(job.getAttempt()),
              tasks(job.getTasks()),
              items(job.getItems()),
              labels(job.getLabels())));
    }
    return row;
  }

  /** The list's filters the watch stream takes, URL-encoded. */
  private String streamQuery() {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    Map<String, String> filters = new LinkedHashMap<>();
    filters.put("project", project);
    filters.put("status", status);
    filters.put("type", type);
    filters.put("queue", queue);
    filters.put("labels", labels);
    filters.forEach(
        (name, value) -> {
          if (value != null && !value.isBlank()) {
            query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
          }
        });
    return query.toString();
  }

  private static String labels(Map<String, String> labels) {
    return labels == null
        ? ""
        : labels.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .sorted()
            .collect(Collectors.joining(","));
  }

  /** Finished tasks of all of the run's tasks, e.g. {@code 3/4}; blank when not read. */
  private static String tasks(TaskCounts tasks) {
    return tasks == null
        ? ""
        : (n(tasks.getCompleted()) + n(tasks.getFailed()) + n(tasks.getStopped()))
            + "/"
            + n(tasks.getTotal());
  }

  /** Items done (completed or failed) of the reported total, e.g. {@code 40/100}. */
  private static String items(ItemCounts items) {
    return items == null
        ? ""
        : (n(items.getCompleted()) + n(items.getFailed())) + "/" + n(items.getTotal());
  }

  private static long n(Number count) {
    return count == null ? 0 : count.longValue();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
