package io.jobplane.app.client;

import io.jobplane.client.api.JobsApi;
import io.jobplane.client.model.Job;
import io.jobplane.client.model.SubmitJobRequest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "submit",
    description = {
      "Submit a job from a YAML or JSON file (the fields of POST /api/v1/jobs).",
      "With --watch, follow it until it finishes; the exit code then says how it ended."
    })
final class SubmitCommand implements Callable<Integer>, ClientCommand {

  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "FILE",
      description = "job.yaml or job.json; unknown fields are an error")
  Path file;

  @Option(
      names = "--idempotency-key",
      paramLabel = "KEY",
      description = "Submitting again with the same key answers the same job")
  String idempotencyKey;

  @Option(
      names = {"-w", "--watch"},
      description = "Show progress until the job finishes (exit code as for wait --for=finished)")
  boolean watch;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "id (default), json or yaml")
  String output = "id";

  @Override
  public ClientOptions options() {
    return options;
  }

  @Override
  public Integer call() throws Exception {
    SubmitJobRequest request = JobFiles.read(file);
    JobsApi jobs = options.jobs();
    Job job = jobs.submitJob(request, idempotencyKey);
    PrintWriter out = spec.commandLine().getOut();
    switch (output) {
      case "json" -> Output.structured(out, Output.Format.json, job);
      case "yaml" -> Output.structured(out, Output.Format.yaml, job);
      case "id" -> {
        out.println(watch ? "submitted " + job.getId() : job.getId());
        out.flush();
      }
      default ->
          throw new CliFailure(
              ExitCodes.USAGE, "--output must be id, json or yaml, not '" + output + "'");
    }
    if (!watch) {
      return ExitCodes.OK;
    }
    Job last;
    try (ProgressDisplay display = ProgressDisplay.forOutput(out, job.getName())) {
      last = new JobPoller(jobs).poll(job.getId(), j -> false, null, display::show);
    }
    out.println(job.getId() + " " + last.getStatus());
    out.flush();
    return JobOutcome.exitCode(last.getStatus());
  }
}
