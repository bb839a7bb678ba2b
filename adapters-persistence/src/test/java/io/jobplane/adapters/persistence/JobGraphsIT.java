package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.JobGraphsUseCase.JobGraphView;
import io.jobplane.application.port.in.SubmitJobGraphCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.port.in.WorkerProtocolUseCase.LeaseRef;
import io.jobplane.application.security.Caller;
import io.jobplane.application.service.JobGraphService;
import io.jobplane.application.service.WorkerProtocolService;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.SecretRef;
import io.jobplane.domain.WorkerCommand;
import io.jobplane.domain.graph.GraphNode;
import io.jobplane.domain.graph.GraphStatus;
import io.jobplane.domain.graph.JobGraph;
import io.jobplane.domain.graph.JobGraphSpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobGraphsIT {

  private final PostgresStore store = TestDatabase.store();
  private final StoreServices services = new StoreServices(store);
  private final WorkerProtocolService worker = services.worker;
  private final Caller ci = services.submitter;
  private final JobGraphService graphs =
      new JobGraphService(
          store.jobGraphRepository(), services.submit, store.transactions(), services.clock);

  @BeforeEach
  void emptyTables() {
    TestDatabase.reset();
  }

  private static GraphNode node(String name, String... dependsOn) {
    return new GraphNode(
        name,
        List.of(dependsOn),
        null,
        JobTestData.aJob().withName(name).withMaxAttempts(1).definition());
  }

  private static JobGraphSpec spec(GraphNode... nodes) {
    return new JobGraphSpec("default", "diamond", null, List.of(nodes));
  }

  private JobGraphView submit(JobGraphSpec spec, String key) {
    return graphs.submit(new SubmitJobGraphCommand(ci, "default", key, () -> spec)).graph();
  }

  private List<Lease> claimAll() {
    return worker.claim(
        new ClaimCommand(services.workerCaller, "w-1", "host", null, null, 100, 30));
  }

  private LeaseRef ref(Lease lease) {
    return new LeaseRef(
        services.workerCaller,
        lease.job().id(),
        lease.task().index(),
        lease.task().epoch(),
        lease.leaseToken());
  }

  private static List<String> names(List<Lease> leases) {
    return leases.stream().map(l -> l.job().definition().name()).sorted().toList();
  }

  private Map<String, JobStatus> statuses(JobGraph graph) {
    return graphs.get(ci, graph.id()).nodeStatuses();
  }

  private static long count(String table) {
    try (Connection c = TestDatabase.store().dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aDiamondRunsInOrderAndAFailedNodeSkipsWhatDependsOnIt() {
    JobGraph graph =
        submit(
                spec(
                    node("load", "left", "right"),
                    node("left", "extract"),
                    node("right", "extract"),
                    node("extract")),
                null)
            .graph();
    assertThat(statuses(graph))
        .containsEntry("extract", JobStatus.QUEUED)
        .containsEntry("left", JobStatus.PENDING)
        .containsEntry("load", JobStatus.PENDING);

    List<Lease> first = claimAll();
    assertThat(names(first)).containsExactly("extract");
    worker.complete(ref(first.get(0)), "{}", false);

    List<Lease> second = claimAll();
    assertThat(names(second)).containsExactly("left", "right");
    worker.complete(ref(second.get(0)), "{}", false);
    Lease failing = second.get(1);
    worker.fail(ref(failing), new JobError("EXIT_CODE", "exit 1"), 1, false);

    JobGraphView view = graphs.get(ci, graph.id());
    assertThat(view.nodeStatuses().get("load")).isEqualTo(JobStatus.SKIPPED);
    assertThat(view.status()).isEqualTo(GraphStatus.FAILED);
    assertThat(claimAll()).isEmpty();
    // the graph as stored keeps the body's order and dependencies
    assertThat(graphs.get(ci, graph.id()).graph()).isEqualTo(graph);
  }

  @Test
  void aGraphWithOneNodeRefusedStoresNothing() {
    WorkerCommand missingSecret =
        new WorkerCommand(List.of("run"), Map.of(), Map.of("TOKEN", new SecretRef("none", "k")));
    JobGraphSpec spec =
        spec(
            node("a"),
            node("b", "a"),
            new GraphNode(
                "c",
                List.of("b"),
                null,
                JobTestData.aJob().withName("c").withCommand(missingSecret).definition()));
    assertThatThrownBy(() -> submit(spec, null))
        .isInstanceOfSatisfying(
            DomainException.class,
            e ->
                assertThat(e.errors())
                    .extracting(DomainException.FieldError::field)
                    .containsExactly("nodes[2].job.env.TOKEN"));
    assertThat(count("jobs")).isZero();
    assertThat(count("job_dependencies")).isZero();
    assertThat(count("job_tasks")).isZero();
    assertThat(count("job_graphs")).isZero();
    assertThat(count("job_graph_nodes")).isZero();
  }

  @Test
  void aKeyReplaysTheGraphAndListsArePagedNewestFirst() {
    JobGraph first = submit(spec(node("a"), node("b", "a")), "nightly-1").graph();
    JobGraph replay = submit(spec(node("a"), node("b", "a")), "nightly-1").graph();
    assertThat(replay.id()).isEqualTo(first.id());
    assertThat(count("jobs")).isEqualTo(2);
    for (int i = 0; i < 2; i++) {
      services.clock.advance(Duration.ofSeconds(1));
      submit(spec(node("a")), null);
    }
    var page = graphs.list(ci, "default", 2, null);
    assertThat(page.items()).hasSize(2);
    var rest = graphs.list(ci, null, 2, page.nextCursor());
    assertThat(rest.items()).extracting(v -> v.graph().id()).containsExactly(first.id());
    assertThat(rest.nextCursor()).isNull();
    assertThat(rest.items().get(0).nodeStatuses())
        .containsEntry("a", JobStatus.QUEUED)
        .containsEntry("b", JobStatus.PENDING);
  }
}
