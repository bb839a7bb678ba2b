package io.jobplane.domain.graph;

import io.jobplane.domain.JobDependencies;
import io.jobplane.domain.JobId;
import io.jobplane.domain.Labels;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A submitted graph as stored: who submitted what, and which job runs each node. The jobs hold the
 * rest (definitions, statuses, the dependency edges between them).
 */
public record JobGraph(
    JobGraphId id,
    String project,
    String name,
    Labels labels,
    String createdBy,
    Instant createdAt,
    List<Node> nodes) {

  /** A node and the job that runs it, in the order of the body that created the graph. */
  public record Node(
      String name, List<String> dependsOn, JobDependencies.Condition condition, JobId job) {
    public Node {
      Objects.requireNonNull(name, "name");
      dependsOn = List.copyOf(dependsOn);
      Objects.requireNonNull(condition, "condition");
      Objects.requireNonNull(job, "job");
    }
  }

  public JobGraph {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(project, "project");
    labels = labels == null ? Labels.EMPTY : labels;
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(createdAt, "createdAt");
    nodes = List.copyOf(nodes);
  }

  public List<JobId> jobs() {
    return nodes.stream().map(Node::job).toList();
  }
}
