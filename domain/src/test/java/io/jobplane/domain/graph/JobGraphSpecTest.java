package io.jobplane.domain.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.DomainException.FieldError;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobDependencies;
import io.jobplane.domain.JobInput;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobGraphSpecTest {

  private static JobDefinition job(String project) {
    return job(project, Labels.EMPTY);
  }

  private static JobDefinition job(String project, Labels labels) {
    return JobDefinition.builder()
        .name("n")
        .type("etl")
        .project(project)
        .labels(labels)
        .input(JobInput.EMPTY)
        .maxAttempts(3)
        .priority(0)
        .queue("default")
        .runtime(JobRuntime.WORKER)
        .parallelism(1)
        .build();
  }

  private static GraphNode node(String name, String... dependsOn) {
    return new GraphNode(name, Arrays.asList(dependsOn), null, job("ml"));
  }

  private static JobGraphSpec graph(GraphNode... nodes) {
    return new JobGraphSpec("ml", null, null, List.of(nodes));
  }

  private static List<FieldError> errorsOf(Runnable r) {
    try {
      r.run();
    } catch (DomainException e) {
      assertThat(e.reason()).isEqualTo(DomainException.Reason.INVALID_ARGUMENT);
      return e.errors();
    }
    throw new AssertionError("no error");
  }

  private static List<String> names(List<GraphNode> nodes) {
    return nodes.stream().map(GraphNode::name).toList();
  }

  @Test
  void aDiamondIsOrderedSoEveryNodeComesAfterWhatItDependsOn() {
    JobGraphSpec spec =
        graph(
            node("load", "left", "right"),
            node("left", "extract"),
            node("right", "extract"),
            node("extract"));
    assertThat(names(spec.topologicalOrder())).containsExactly("extract", "left", "right", "load");
    assertThat(spec.nodes().get(0).condition()).isEqualTo(JobDependencies.Condition.SUCCEEDED);
  }

  @Test
  void independentNodesKeepTheirDeclaredOrder() {
    assertThat(names(graph(node("c"), node("a"), node("b", "c")).topologicalOrder()))
        .containsExactly("c", "a", "b");
  }

  @Test
  void aCycleIsRefusedNamingTheCycleOnTheDependencyThatClosesIt() {
    List<FieldError> errors =
        errorsOf(() -> graph(node("a", "c"), node("b", "a"), node("c", "b"), node("d", "a")));
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).field()).isEqualTo("nodes[1].depends_on[0]");
    assertThat(errors.get(0).message()).isEqualTo("makes a cycle: a -> c -> b -> a");
  }

  @Test
  void aNodeDependingOnItselfIsACycle() {
    List<FieldError> errors = errorsOf(() -> graph(node("a"), node("b", "a", "b")));
    assertThat(errors)
        .containsExactly(new FieldError("nodes[1].depends_on[1]", "makes a cycle: b -> b"));
  }

  @Test
  void unknownNamesDuplicatesAndBadNamesAreAllNamedAtOnce() {
    List<FieldError> errors =
        errorsOf(
            () ->
                graph(
                    node("extract"),
                    node("Extract_1"),
                    node("extract"),
                    node("load", "transform", "extract", "extract")));
    assertThat(errors)
        .extracting(FieldError::field)
        .containsExactly(
            "nodes[1].name", "nodes[2].name", "nodes[3].depends_on[0]", "nodes[3].depends_on[2]");
    assertThat(errors.get(1).message()).isEqualTo("'extract' is already the name of nodes[0]");
    assertThat(errors.get(2).message()).isEqualTo("no node named 'transform' in the graph");
  }

  @Test
  void anEmptyOrOversizedGraphIsRefused() {
    assertThat(errorsOf(() -> new JobGraphSpec("ml", null, null, List.of())))
        .extracting(FieldError::field)
        .containsExactly("nodes");
    List<GraphNode> many = new ArrayList<>();
    for (int i = 0; i <= JobGraphSpec.MAX_NODES; i++) {
      many.add(node("n" + i));
    }
    assertThat(errorsOf(() -> new JobGraphSpec("ml", null, null, many)))
        .containsExactly(new FieldError("nodes", "must have at most 100 nodes, not 101"));
    many.remove(0);
    assertThat(new JobGraphSpec("ml", null, null, many).nodes()).hasSize(100);
  }

  @Test
  void aNodeOfAnotherProjectOrWithTheGraphLabelsIsRefused() {
    List<FieldError> errors =
        errorsOf(
            () ->
                graph(
                    new GraphNode("a", List.of(), null, job("other")),
                    new GraphNode(
                        "b",
                        List.of(),
                        null,
                        job("ml", new Labels(Map.of(JobGraphSpec.GRAPH_LABEL, "x"))))));
    assertThat(errors)
        .extracting(FieldError::field)
        .containsExactly("nodes[0].job.project", "nodes[1].job.labels");
  }

  @Test
  void eachJobIsLabelledWithTheGraphAndItsNode() {
    JobGraphSpec spec = graph(node("extract"));
    JobGraphId id = new JobGraphId(UUID.fromString("7d444840-9dc0-11d1-b245-5ffdce74fad2"));
    assertThat(spec.jobFor(spec.nodes().get(0), id).labels().values())
        .containsEntry("jobplane.io/graph", id.toString())
        .containsEntry("jobplane.io/graph-node", "extract");
  }

  @Test
  void theGraphRunsWhileAnyNodeMayChangeAndThenSaysHowItEnded() {
    assertThat(GraphStatus.of(List.of(JobStatus.FAILED, JobStatus.PENDING)))
        .isEqualTo(GraphStatus.RUNNING);
    assertThat(GraphStatus.of(List.of(JobStatus.SUCCEEDED, JobStatus.SUCCEEDED)))
        .isEqualTo(GraphStatus.SUCCEEDED);
    assertThat(GraphStatus.of(List.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.SKIPPED)))
        .isEqualTo(GraphStatus.FAILED);
    assertThat(GraphStatus.of(List.of(JobStatus.SUCCEEDED, JobStatus.STOPPED, JobStatus.SKIPPED)))
        .isEqualTo(GraphStatus.STOPPED);
    assertThat(GraphStatus.of(List.of(JobStatus.STOPPED, JobStatus.TIMED_OUT)))
        .isEqualTo(GraphStatus.FAILED);
    assertThat(GraphStatus.of(Arrays.asList(JobStatus.SUCCEEDED, null)))
        .isEqualTo(GraphStatus.FAILED);
    assertThat(GraphStatus.of(List.of(JobStatus.SUCCEEDED, JobStatus.SKIPPED)))
        .isEqualTo(GraphStatus.FAILED);
  }
}
