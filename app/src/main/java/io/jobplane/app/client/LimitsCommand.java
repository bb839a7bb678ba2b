package io.jobplane.app.client;

import io.jobplane.client.api.LimitsApi;
import io.jobplane.client.model.LimitsRequest;
import io.jobplane.client.model.QueueLimits;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jobplane limits}: a project's {@code max_running}, {@code max_queued} (for the project and
 * per queue) and fair-share weight ({@code /api/v1/projects/{p}/limits}; docs/limits.md). {@code
 * set} replaces the project's limits whole, like the PUT it sends: a limit left out is no limit.
 */
@Command(
    name = "limits",
    description = "Show and set a project's limits (setting: admin).",
    subcommands = {LimitsCommand.GetLimits.class, LimitsCommand.SetLimits.class})
final class LimitsCommand extends ApiCommand.Group {

  /** What the limits subcommands share. */
  abstract static class Base extends ApiCommand {
    @Parameters(index = "0", paramLabel = "PROJECT")
    String project;

    @Mixin StructuredOutputOption output;

    LimitsApi limits() {
      return new LimitsApi(apiClient());
    }
  }

  @Command(
      name = "get",
      description = "The project's limits and how many of its jobs run and wait now.")
  static final class GetLimits extends Base {
    @Override
    public Integer call() throws Exception {
      output.print(out(), limits().getLimits(project));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "set",
      description = {
        "Replace the project's limits (a limit left out is no limit; no option removes them).",
        "Example: jobplane limits set analytics --max-running 2 --max-queued 1000"
            + " --queue-max-running gpu=1"
      })
  static final class SetLimits extends Base {
    @Option(names = "--max-running", paramLabel = "N", description = "jobs running at once")
    Integer maxRunning;

    @Option(names = "--max-queued", paramLabel = "N", description = "jobs waiting to run")
    Long maxQueued;

    @Option(
        names = "--weight",
        paramLabel = "W",
        description = "share of a queue shared with other projects (default 1)")
    Integer weight;

    @Option(
        names = "--queue-max-running",
        paramLabel = "QUEUE=N",
        description = "jobs of the project running at once in QUEUE (repeatable)")
    Map<String, Integer> queueMaxRunning = new TreeMap<>();

    @Option(
        names = "--queue-max-queued",
        paramLabel = "QUEUE=N",
        description = "jobs of the project waiting in QUEUE (repeatable)")
    Map<String, Long> queueMaxQueued = new TreeMap<>();

    @Override
    public Integer call() throws Exception {
      LimitsRequest request =
          new LimitsRequest().maxRunning(maxRunning).maxQueued(maxQueued).weight(weight);
      Map<String, QueueLimits> queues = new TreeMap<>();
      queueMaxRunning.forEach(
          (q, n) -> queues.computeIfAbsent(q, k -> new QueueLimits()).maxRunning(n));
      queueMaxQueued.forEach(
          (q, n) -> queues.computeIfAbsent(q, k -> new QueueLimits()).maxQueued(n));
      if (!queues.isEmpty()) {
        request.queues(queues);
      }
      output.print(out(), limits().putLimits(project, request));
      return ExitCodes.OK;
    }
  }
}
