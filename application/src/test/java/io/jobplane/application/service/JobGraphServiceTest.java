package io.jobplane.application.service;

import static io.jobplane.application.testing.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.JobGraphsUseCase.JobGraphView;
import io.jobplane.application.port.in.JobGraphsUseCase.Page;
import io.jobplane.application.port.in.JobGraphsUseCase.Submitted;
import io.jobplane.application.port.in.SubmitJobGraphCommand;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.testing.DirectTransactionRunner;
import io.jobplane.application.testing.InMemoryIdempotencyKeys;
import io.jobplane.application.testing.InMemoryJobDependencyStore;
import io.jobplane.application.testing.InMemoryJobGraphRepository;
import io.jobplane.application.testing.InMemoryJobRepository;
import io.jobplane.application.testing.InMemoryServices;
import io.jobplane.application.testing.InMemoryTaskRepository;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDependencies;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.SecretRef;
import io.jobplane.domain.WorkerCommand;
import io.jobplane.domain.graph.GraphNode;
import io.jobplane.domain.graph.GraphStatus;
import io.jobplane.domain.graph.JobGraph;
import io.jobplane.domain.graph.JobGraphSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class JobGraphServiceTest {

  private final InMemoryJobRepository jobs = new InMemoryJobRepository();
  private final MutableClock clock = MutableClock.fixed();
  private final InMemoryJobDependencyStore dependencies = new InMemoryJobDependencyStore(jobs);
  private final SubmitJobService submit =
      InMemoryServices.submit(
              jobs,
              new InMemoryTaskRepository(jobs, clock),
              new InMemoryIdempotencyKeys(),
              new DirectTransactionRunner(),
              clock)
          .dependencies(dependencies)
          .build();
  private final InMemoryJobGraphRepository graphs = new InMemoryJobGraphRepository(jobs);
  private final JobGraphService service =
      new JobGraphService(graphs, submit, new DirectTransactionRunner(), clock);

  private final Caller ci = new Caller("ci", Set.of(Role.SUBMITTER), Set.of("etl"));
  private final Caller viewer = new Caller("v", Set.of(Role.VIEWER), Set.of("etl"));
  private final Caller outsider = new Caller("o", Set.of(Role.SUBMITTER), Set.of("other"));

  private static GraphNode node(String name, String... dependsOn) {
    return new GraphNode(
        name, List.of(dependsOn), null, aJob().inProject("etl").withName(name).definition());
  }

  private static JobGraphSpec diamond() {
    return new JobGraphSpec(
        "etl",
        "nightly",
        null,
        List.of(
            node("load", "left", "right"),
            node("left", "extract"),
            node("right", "extract"),
            node("extract")));
  }

  private Submitted submit(Caller caller, JobGraphSpec spec, String key) {
    return service.submit(new SubmitJobGraphCommand(caller, "etl", key, () -> spec));
  }

  private JobSnapshot job(JobGraph graph, String node) {
    JobGraph.Node n = graph.nodes().stream().filter(x -> x.name().equals(node)).findFirst().get();
    return jobs.findById(n.job()).orElseThrow();
  }

  @Test
  void aDiamondBecomesFourJobsWaitingForEachOtherByIdLabelledWithTheGraph() {
    Submitted submitted = submit(ci, diamond(), null);
    assertThat(submitted.created()).isTrue();
    JobGraph graph = submitted.graph().graph();
    assertThat(graph.nodes())
        .extracting(JobGraph.Node::name)
        .containsExactly("load", "left", "right", "extract");
    JobSnapshot extract = job(graph, "extract");
    JobSnapshot left = job(graph, "left");
    JobSnapshot load = job(graph, "load");
    assertThat(extract.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(left.status()).isEqualTo(JobStatus.PENDING);
    assertThat(dependencies.of(left.id()).orElseThrow().jobs()).containsExactly(extract.id());
    assertThat(dependencies.of(load.id()).orElseThrow().jobs())
        .containsExactly(left.id(), job(graph, "right").id());
    assertThat(dependencies.of(extract.id())).isEmpty();
    assertThat(load.definition().labels().values())
        .containsEntry(JobGraphSpec.GRAPH_LABEL, graph.id().toString())
        .containsEntry(JobGraphSpec.NODE_LABEL, "load");
    assertThat(load.createdBy()).isEqualTo("ci");
    assertThat(submitted.graph().status()).isEqualTo(GraphStatus.RUNNING);
    assertThat(service.get(viewer, graph.id()).nodeStatuses())
        .containsEntry("extract", JobStatus.QUEUED)
        .containsEntry("load", JobStatus.PENDING);
  }

  @Test
  void theFinishedConditionIsPassedToTheJob() {
    JobGraphSpec spec =
        new JobGraphSpec(
            "etl",
            null,
            null,
            List.of(
                node("a"),
                new GraphNode(
                    "cleanup",
                    List.of("a"),
                    JobDependencies.Condition.FINISHED,
                    aJob().inProject("etl").definition())));
    JobGraph graph = submit(ci, spec, null).graph().graph();
    assertThat(dependencies.of(job(graph, "cleanup").id()).orElseThrow().condition())
        .isEqualTo(JobDependencies.Condition.FINISHED);
  }

  @Test
  void aCallerWhoMayNotSubmitToTheProjectIsRefusedBeforeTheBodyIsRead() {
    AtomicBoolean read = new AtomicBoolean();
    for (Caller caller : List.of(viewer, outsider)) {
      assertThatThrownBy(
              () ->
                  service.submit(
                      new SubmitJobGraphCommand(
                          caller,
                          "etl",
                          null,
                          () -> {
                            read.set(true);
                            return diamond();
                          })))
          .isInstanceOfSatisfying(
              DomainException.class,
              e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.FORBIDDEN));
    }
    assertThat(read).isFalse();
    assertThat(jobs.all()).isEmpty();
  }

  @Test
  void aGraphOfAnotherProjectIsNotFoundAndNotListed() {
    JobGraph graph = submit(ci, diamond(), null).graph().graph();
    assertThatThrownBy(() -> service.get(outsider, graph.id()))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.NOT_FOUND));
    assertThat(service.list(outsider, "etl", 20, null).items()).isEmpty();
    assertThat(service.list(outsider, null, 20, null).items()).isEmpty();
  }

  @Test
  void aRetryWithTheSameKeyReturnsTheFirstGraphAndAnotherBodyIsRefused() {
    Submitted first = submit(ci, diamond(), "graph-1");
    Submitted again = submit(ci, diamond(), "graph-1");
    assertThat(again.created()).isFalse();
    assertThat(again.graph().graph().id()).isEqualTo(first.graph().graph().id());
    assertThat(jobs.all()).hasSize(4);
    JobGraphSpec other = new JobGraphSpec("etl", "another", null, List.of(node("only")));
    assertThatThrownBy(() -> submit(ci, other, "graph-1"))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.IDEMPOTENCY_MISMATCH));
  }

  @Test
  void aNodeRefusedAtSubmitIsNamedByItsPositionInTheBody() {
    // a reference to a secret that does not exist is refused by the submit of the job itself
    WorkerCommand command =
        new WorkerCommand(List.of("run"), Map.of(), Map.of("TOKEN", new SecretRef("s", "k")));
    JobGraphSpec withSecret =
        new JobGraphSpec(
            "etl",
            null,
            null,
            List.of(
                node("a"),
                new GraphNode(
                    "b",
                    List.of("a"),
                    null,
                    aJob().inProject("etl").withCommand(command).definition())));
    assertThatThrownBy(() -> submit(ci, withSecret, null))
        .isInstanceOfSatisfying(
            DomainException.class,
            e ->
                assertThat(e.errors())
                    .extracting(DomainException.FieldError::field)
                    .containsExactly("nodes[1].job.env.TOKEN"));
  }

  @Test
  void graphsAreListedNewestFirstInPages() {
    for (int i = 0; i < 3; i++) {
      submit(ci, new JobGraphSpec("etl", "g" + i, null, List.of(node("a"))), null);
      clock.advance(Duration.ofSeconds(1));
    }
    Page first = service.list(viewer, "etl", 2, null);
    assertThat(first.items()).extracting(v -> v.graph().name()).containsExactly("g2", "g1");
    Page second = service.list(viewer, null, 2, first.nextCursor());
    assertThat(second.items()).extracting(v -> v.graph().name()).containsExactly("g0");
    assertThat(second.nextCursor()).isNull();
    JobGraphView view = second.items().get(0);
    assertThat(view.status()).isEqualTo(GraphStatus.RUNNING);
    assertThatThrownBy(() -> service.list(viewer, null, 2, "not-a-cursor"))
        .isInstanceOf(DomainException.class);
  }
}
