package io.jobplane.application.port.in;

import io.jobplane.application.security.Caller;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.graph.GraphStatus;
import io.jobplane.domain.graph.JobGraph;
import io.jobplane.domain.graph.JobGraphId;
import java.util.List;
import java.util.Map;

/**
 * Graphs of jobs submitted at once. A graph of a project the caller cannot see is reported missing
 * (404), like its jobs.
 */
public interface JobGraphsUseCase {

  int MAX_LIST = 100;
  int DEFAULT_LIST = 20;

  /** A graph with the current status of each node's job (absent: the job was deleted). */
  record JobGraphView(JobGraph graph, Map<String, JobStatus> nodeStatuses) {

    public JobGraphView {
      nodeStatuses = Map.copyOf(nodeStatuses);
    }

    public GraphStatus status() {
      return GraphStatus.of(graph.nodes().stream().map(n -> nodeStatuses.get(n.name())).toList());
    }
  }

  /** The graph and whether this call created it (false: an idempotent replay). */
  record Submitted(JobGraphView graph, boolean created) {}

  /** A page of graphs, newest first; {@code nextCursor} null on the last page. */
  record Page(List<JobGraphView> items, String nextCursor) {}

  /**
   * Creates every node's job in one transaction, in dependency order, through the submit of a
   * single job: all of them or none.
   */
  Submitted submit(SubmitJobGraphCommand command);

  JobGraphView get(Caller caller, JobGraphId id);

  /** The graphs of {@code project} (null: of every project the caller sees). */
  Page list(Caller caller, String project, int limit, String cursor);
}
