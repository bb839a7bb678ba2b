package io.jobplane.app.client;

import io.jobplane.client.api.JobsApi;
import io.jobplane.client.model.Job;
import io.jobplane.client.model.SubmitJobRequest;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "submit",
    description = {
      "Submit a job from a YAML or JSON file (the fields of POST /api/v1/jobs).",
      "With --watch, follow it until it finishes; the exit code then says how it ended."
    })
final class SubmitCommand extends ApiCommand {

  @Mixin SubmitOptions submit;

  @Override
  public Integer call() throws Exception {
    SubmitJobRequest request = JobFiles.read(submit.file);
    JobsApi jobs = options.jobs();
    Job job = jobs.submitJob(request, submit.idempotencyKey);
    PrintWriter out = out();
    submit.print(out, job.getId(), job);
    if (!submit.watch) {
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
