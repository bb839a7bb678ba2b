package io.jobplane.domain.graph;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.DomainException.FieldError;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.Labels;
import io.jobplane.domain.Text;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A small DAG of jobs submitted at once: named nodes that wait for each other by name, like the
 * tasks of an Argo DAG template. Valid when built: names are DNS labels and unique, every name a
 * node depends on is a node of the graph, and the dependencies form no cycle (the error names the
 * cycle). Every error names its field as the body does ({@code nodes[2].depends_on[0]}).
 */
public record JobGraphSpec(String project, String name, Labels labels, List<GraphNode> nodes) {

  public static final int MAX_NODES = 100;
  public static final int MAX_NAME = 200;

  /** The label every job of a graph carries: the graph's id. */
  public static final String GRAPH_LABEL = "jobplane.io/graph";

  /** The label with the name of the node a job runs. */
  public static final String NODE_LABEL = "jobplane.io/graph-node";

  private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  public JobGraphSpec {
    Text.identifier(project, "project");
    if (name != null) {
      Text.displayText(name, "name", MAX_NAME);
    }
    labels = labels == null ? Labels.EMPTY : labels;
    if (nodes == null || nodes.isEmpty()) {
      throw DomainException.invalid("nodes", "must have at least one node");
    }
    if (nodes.size() > MAX_NODES) {
      throw DomainException.invalid(
          "nodes", "must have at most " + MAX_NODES + " nodes, not " + nodes.size());
    }
    nodes = List.copyOf(nodes);
    List<FieldError> errors = structuralErrors(project, nodes);
    if (errors.isEmpty()) {
      cycle(nodes).ifPresent(errors::add);
    }
    if (!errors.isEmpty()) {
      throw new DomainException(
          DomainException.Reason.INVALID_ARGUMENT,
          errors.get(0).field() + ": " + errors.get(0).message(),
          errors);
    }
  }

  private static List<FieldError> structuralErrors(String project, List<GraphNode> nodes) {
    List<FieldError> errors = new ArrayList<>();
    Map<String, Integer> positions = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      GraphNode node = Objects.requireNonNull(nodes.get(i), "node");
      String at = "nodes[" + i + "]";
      if (node.name() == null || !NODE_NAME.matcher(node.name()).matches()) {
        errors.add(
            new FieldError(
                at + ".name",
                "must be 1 to 63 lower-case alphanumerics or '-', starting and ending"
                    + " alphanumeric"));
      } else {
        Integer first = positions.putIfAbsent(node.name(), i);
        if (first != null) {
          errors.add(
              new FieldError(
                  at + ".name",
                  "'" + node.name() + "' is already the name of nodes[" + first + "]"));
        }
      }
    }
    for (int i = 0; i < nodes.size(); i++) {
      GraphNode node = nodes.get(i);
      String at = "nodes[" + i + "]";
      Set<String> seen = new HashSet<>();
      for (int k = 0; k < node.dependsOn().size(); k++) {
        String dep = node.dependsOn().get(k);
        String field = at + ".depends_on[" + k + "]";
        if (dep == null || !positions.containsKey(dep)) {
          errors.add(new FieldError(field, "no node named '" + printable(dep) + "' in the graph"));
        } else if (!seen.add(dep)) {
          errors.add(new FieldError(field, "names '" + dep + "' twice"));
        }
      }
      JobDefinition job = node.job();
      if (!project.equals(job.project())) {
        errors.add(
            new FieldError(
                at + ".job.project", "must be the graph's project '" + project + "' or left out"));
      }
      if (!node.dependsOn().isEmpty() && job.runtime() != JobRuntime.WORKER) {
        errors.add(
            new FieldError(
                at + ".depends_on", "is supported for jobs of runtime worker only (for now)"));
      }
      Map<String, String> labels = job.labels().values();
      if (labels.containsKey(GRAPH_LABEL) || labels.containsKey(NODE_LABEL)) {
        errors.add(
            new FieldError(
                at + ".job.labels", GRAPH_LABEL + " and " + NODE_LABEL + " are set by the graph"));
      } else if (labels.size() > Labels.MAX_LABELS - 2) {
        errors.add(
            new FieldError(
                at + ".job.labels",
                "at most " + (Labels.MAX_LABELS - 2) + " labels: the graph adds two of its own"));
      }
    }
    return errors;
  }

  /**
   * The first cycle found, as an error on the dependency that closes it: {@code a -> b -> a} reads
   * "a depends on b, which depends on a".
   */
  private static Optional<FieldError> cycle(List<GraphNode> nodes) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      index.put(nodes.get(i).name(), i);
    }
    // 0 unvisited, 1 on the current path, 2 done
    int[] state = new int[nodes.size()];
    for (int start = 0; start < nodes.size(); start++) {
      if (state[start] != 0) {
        continue;
      }
      // iterative depth-first search: path of nodes, and for each the next dependency to follow
      Deque<int[]> stack = new ArrayDeque<>();
      List<Integer> path = new ArrayList<>();
      stack.push(new int[] {start, 0});
      state[start] = 1;
      path.add(start);
      while (!stack.isEmpty()) {
        int[] top = stack.peek();
        GraphNode node = nodes.get(top[0]);
        if (top[1] == node.dependsOn().size()) {
          state[top[0]] = 2;
          stack.pop();
          path.remove(path.size() - 1);
          continue;
        }
        int k = top[1]++;
        int next = index.get(node.dependsOn().get(k));
        if (state[next] == 1) {
          List<String> names = new ArrayList<>();
          for (int p = path.indexOf(next); p < path.size(); p++) {
            names.add(nodes.get(path.get(p)).name());
          }
          names.add(nodes.get(next).name());
          return Optional.of(
              new FieldError(
                  "nodes[" + top[0] + "].depends_on[" + k + "]",
                  "makes a cycle: " + String.join(" -> ", names)));
        }
        if (state[next] == 0) {
          state[next] = 1;
          path.add(next);
          stack.push(new int[] {next, 0});
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The nodes in an order where each comes after every node it depends on; among nodes free to go,
   * the one declared first goes first, so the order is stable for a given body.
   */
  public List<GraphNode> topologicalOrder() {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      index.put(nodes.get(i).name(), i);
    }
    int[] waiting = new int[nodes.size()];
    List<List<Integer>> dependents = new ArrayList<>();
    nodes.forEach(n -> dependents.add(new ArrayList<>()));
    for (int i = 0; i < nodes.size(); i++) {
      waiting[i] = nodes.get(i).dependsOn().size();
      for (String dep : nodes.get(i).dependsOn()) {
        dependents.get(index.get(dep)).add(i);
      }
    }
    PriorityQueue<Integer> ready = new PriorityQueue<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (waiting[i] == 0) {
        ready.add(i);
      }
    }
    List<GraphNode> order = new ArrayList<>(nodes.size());
    while (!ready.isEmpty()) {
      int i = ready.poll();
      order.add(nodes.get(i));
      for (int d : dependents.get(i)) {
        if (--waiting[d] == 0) {
          ready.add(d);
        }
      }
    }
    return List.copyOf(order);
  }

  /** The position of a node in the body, for errors found later (at submit) to name it. */
  public int positionOf(GraphNode node) {
    return nodes.indexOf(node);
  }

  /** The job a node runs, labelled with the graph and the node. */
  public JobDefinition jobFor(GraphNode node, JobGraphId id) {
    Map<String, String> labels = new TreeMap<>(node.job().labels().values());
    labels.putAll(new GraphMembership(id, node.name()).labels());
    return node.job().withLabels(new Labels(labels));
  }

  private static String printable(String s) {
    if (s == null) {
      return "null";
    }
    String shortened = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return shortened.replaceAll("\\p{Cntrl}", "?");
  }
}
