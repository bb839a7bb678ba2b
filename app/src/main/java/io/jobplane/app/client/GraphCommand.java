package io.jobplane.app.client;

import io.jobplane.client.ApiException;
import io.jobplane.client.api.JobGraphsApi;
import io.jobplane.client.model.Job;
import io.jobplane.client.model.JobGraph;
import io.jobplane.client.model.JobGraphNode;
import io.jobplane.client.model.JobGraphRequest;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code jobplane graph}: graphs of jobs submitted at once ({@code /api/v1/job-graphs}). */
@Command(
    name = "graph",
    description = "Submit and show job graphs (POST and GET /api/v1/job-graphs).",
    subcommands = {GraphCommand.Submit.class, GraphCommand.Get.class})
final class GraphCommand extends ApiCommand.Group {

  @Command(
      name = "submit",
      description = {
        "Submit a graph from a YAML or JSON file (the fields of POST /api/v1/job-graphs).",
        "With --watch, print each node's status changes until the graph ends; the exit code"
            + " then says how it ended (as for wait --for=finished)."
      })
  static final class Submit extends ApiCommand {
    @Mixin SubmitOptions submit;

    /** How often --watch reads the graph. */
    static final long POLL_MILLIS = 1_000;

    @Override
    public Integer call() throws Exception {
      JobGraphRequest request = JobFiles.readGraph(submit.file);
      JobGraphsApi graphs = new JobGraphsApi(apiClient());
      JobGraph graph = graphs.submitJobGraph(request, submit.idempotencyKey);
      PrintWriter out = out();
      submit.print(out, graph.getId(), graph);
      if (!submit.watch) {
        return ExitCodes.OK;
      }
      Map<String, JobGraphNode.StatusEnum> shown = new HashMap<>();
      while (true) {
        for (JobGraphNode node : graph.getNodes()) {
          if (node.getStatus() != null
              && shown.put(node.getName(), node.getStatus()) != node.getStatus()) {
            out.println(node.getName() + " " + node.getStatus());
          }
        }
        out.flush();
        if (graph.getStatus() != JobGraph.StatusEnum.RUNNING) {
          break;
        }
        Thread.sleep(POLL_MILLIS);
        graph = graphs.getJobGraph(graph.getId().toString());
      }
      out.println(graph.getId() + " " + graph.getStatus());
      out.flush();
      return JobOutcome.exitCode(Job.StatusEnum.fromValue(graph.getStatus().getValue()));
    }
  }

  @Command(name = "get", description = "One graph with its nodes' jobs and statuses.")
  static final class Get extends GetByIdCommand {
    @Override
    JobGraph fetch(UUID id) throws ApiException {
      return new JobGraphsApi(apiClient()).getJobGraph(id.toString());
    }
  }
}
