package io.jobplane.app.client;

import io.jobplane.client.model.Job;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "wait",
    description = {
      "Wait until jobs meet a condition, like kubectl wait.",
      "Exit 0 when it holds for every job; otherwise the code of the first job that cannot meet it:"
          + " 10 failed, 11 timed out, 12 stopped, 14 finished in another status; 13 when"
          + " --timeout passed first (docs/cli.md)."
    })
final class WaitCommand extends ApiCommand {

  @Parameters(paramLabel = "ID", arity = "1..*")
  List<UUID> ids;

  @Option(
      names = "--for",
      paramLabel = "CONDITION",
      description =
          "succeeded (default), finished (any end; the exit code says which) or status=STATUS")
  String condition = "succeeded";

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "Give up after this long: 30s, 10m, 2h (default ${DEFAULT-VALUE})")
  String timeout = "10m";

  @Override
  public Integer call() throws Exception {
    Predicate<Job> until = parseCondition(condition);
    Instant deadline = Instant.now().plus(parseDuration(timeout));
    JobPoller poller = new JobPoller(options.jobs());
    PrintWriter out = out();
    for (UUID id : ids) {
      Job job = poller.poll(id, until, deadline, j -> {});
      if (job == null) {
        out.println(id + " still not " + condition + " after " + timeout);
        out.flush();
        return ExitCodes.WAIT_TIMEOUT;
      }
      out.println(id + " " + job.getStatus());
      out.flush();
      if (!until.test(job)) {
        return job.getStatus() == Job.StatusEnum.SUCCEEDED
            ? ExitCodes.CONDITION_UNREACHABLE
            : JobOutcome.exitCode(job.getStatus());
      }
      if (condition.equals("finished") && JobOutcome.exitCode(job.getStatus()) != ExitCodes.OK) {
        return JobOutcome.exitCode(job.getStatus());
      }
    }
    return ExitCodes.OK;
  }

  static Predicate<Job> parseCondition(String text) {
    String c = text.strip().toLowerCase(Locale.ROOT);
    if (c.equals("succeeded")) {
      return j -> j.getStatus() == Job.StatusEnum.SUCCEEDED;
    }
    if (c.equals("finished")) {
      return JobOutcome::isFinished;
    }
    if (c.startsWith("status=")) {
      Job.StatusEnum wanted;
      try {
        wanted = Job.StatusEnum.fromValue(c.substring(7).toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CliFailure(
            ExitCodes.USAGE,
            "--for: unknown status '"
                + text.substring(7)
                + "' (one of "
                + List.of(Job.StatusEnum.values())
                + ")");
      }
      return j -> j.getStatus() == wanted;
    }
    throw new CliFailure(
        ExitCodes.USAGE, "--for must be succeeded, finished or status=STATUS, not '" + text + "'");
  }

  static Duration parseDuration(String text) {
    return parseDuration("--timeout", text);
  }

  /** 90, 30s, 10m, 2h, 7d or an ISO-8601 time such as 1h30m; {@code option} names it in errors. */
  static Duration parseDuration(String option, String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.matches("\\d+")) {
        return Duration.ofSeconds(Long.parseLong(t));
      }
      if (t.matches("\\d+[smhd]")) {
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      return Duration.parse("PT" + t.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new CliFailure(
          ExitCodes.USAGE, option + ": '" + text + "' is not a duration such as 30s, 10m or 2h");
    }
  }
}
