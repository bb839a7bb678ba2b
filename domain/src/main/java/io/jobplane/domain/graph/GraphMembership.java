package io.jobplane.domain.graph;

import io.jobplane.domain.Labels;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Which graph a job belongs to, as which node. The job carries it as two labels (so a graph's jobs
 * are one label query away, and the list stream can follow them) and reads it back from them.
 */
public record GraphMembership(JobGraphId graph, String node) {

  public GraphMembership {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(node, "node");
  }

  /** The membership a job's labels name, if a graph made the job. */
  public static Optional<GraphMembership> of(Labels labels) {
    String id = labels.values().get(JobGraphSpec.GRAPH_LABEL);
    String node = labels.values().get(JobGraphSpec.NODE_LABEL);
    if (id == null || node == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new GraphMembership(new JobGraphId(UUID.fromString(id)), node));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The two labels a graph's job carries. */
  public Map<String, String> labels() {
    return Map.of(JobGraphSpec.GRAPH_LABEL, graph.toString(), JobGraphSpec.NODE_LABEL, node);
  }
}
