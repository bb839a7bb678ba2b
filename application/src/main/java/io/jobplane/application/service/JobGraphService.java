package io.jobplane.application.service;

import io.jobplane.application.port.in.JobGraphsUseCase;
import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.SubmitJobGraphCommand;
import io.jobplane.application.port.in.SubmitJobUseCase;
import io.jobplane.application.port.out.JobGraphRepository;
import io.jobplane.application.port.out.JobGraphRepository.After;
import io.jobplane.application.port.out.JobGraphRepository.IdempotencyMark;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDependencies;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.Sha256;
import io.jobplane.domain.graph.GraphNode;
import io.jobplane.domain.graph.JobGraph;
import io.jobplane.domain.graph.JobGraphId;
import io.jobplane.domain.graph.JobGraphSpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Graphs of jobs: each node's job is submitted through {@link SubmitJobUseCase}, in dependency
 * order, inside one transaction that the submits join; a node's {@code depends_on} becomes the ids
 * of the jobs created for the nodes it names, so the graph runs on the dependencies of single jobs
 * (waiting, release, SKIPPED) and nothing else. Any refusal rolls back every job of the graph.
 */
public final class JobGraphService implements JobGraphsUseCase {

  private final JobGraphRepository graphs;
  private final SubmitJobUseCase submit;
  private final TransactionRunner tx;
  private final Clock clock;

  public JobGraphService(
      JobGraphRepository graphs, SubmitJobUseCase submit, TransactionRunner tx, Clock clock) {
    this.graphs = Objects.requireNonNull(graphs, "graphs");
    this.submit = Objects.requireNonNull(submit, "submit");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Submitted submit(SubmitJobGraphCommand command) {
    Caller caller = command.caller();
    // the project first: a caller who may not submit there learns nothing from the body
    AccessPolicy.requireSubmitTo(caller, command.project());
    JobGraphSpec spec = command.spec().get();
    if (!spec.project().equals(command.project())) {
      throw DomainException.invalid("project", "does not match the graph's project");
    }
    String key = command.idempotencyKey();
    if (key == null) {
      return tx.inTransaction(() -> new Submitted(create(caller, spec, null), true));
    }
    String fingerprint = fingerprint(caller, spec);
    IdempotencyMark mark = new IdempotencyMark(caller.name(), key, fingerprint);
    return IdempotentCreation.run(
        tx,
        () -> replay(caller, key, fingerprint),
        () -> new Submitted(create(caller, spec, mark), true));
  }

  private Optional<Submitted> replay(Caller caller, String key, String fingerprint) {
    return graphs
        .findByKey(caller.name(), key)
        .map(
            entry -> {
              if (!entry.fingerprint().equals(fingerprint)) {
                throw IdempotentCreation.mismatch(key);
              }
              JobGraph graph =
                  graphs
                      .find(entry.graph())
                      .orElseThrow(
                          () ->
                              DomainException.conflict(
                                  "Idempotency-Key '" + key + "' belongs to a deleted graph"));
              return new Submitted(view(graph), false);
            });
  }

  /** Every node's job, in dependency order, then the graph that names them. */
  private JobGraphView create(Caller caller, JobGraphSpec spec, IdempotencyMark key) {
    JobGraphId id = JobGraphId.random();
    Map<String, JobId> jobs = new HashMap<>();
    Map<String, JobStatus> statuses = new HashMap<>();
    Instant createdAt = Clocks.now(clock);
    for (GraphNode node : spec.topologicalOrder()) {
      JobDependencies dependsOn =
          node.dependsOn().isEmpty()
              ? null
              : new JobDependencies(
                  node.dependsOn().stream().map(jobs::get).toList(), node.condition());
      SubmitJobUseCase.Submitted submitted;
      try {
        submitted =
            submit.submit(
                new SubmitJobCommand(caller, spec.jobFor(node, id), false, null, dependsOn));
      } catch (DomainException e) {
        throw atNode(e, spec.positionOf(node));
      }
      jobs.put(node.name(), submitted.job().id());
      statuses.put(node.name(), submitted.job().status());
    }
    List<JobGraph.Node> nodes = new ArrayList<>();
    for (GraphNode node : spec.nodes()) {
      nodes.add(
          new JobGraph.Node(
              node.name(), node.dependsOn(), node.condition(), jobs.get(node.name())));
    }
    JobGraph graph =
        new JobGraph(
            id, spec.project(), spec.name(), spec.labels(), caller.name(), createdAt, nodes);
    if (!graphs.insert(graph, key)) {
      throw new IdempotentCreation.KeyTakenMeanwhile();
    }
    return new JobGraphView(graph, statuses);
  }

  /** A refusal of a node's job, its fields named as the body names them. */
  private static DomainException atNode(DomainException e, int position) {
    return e.reason() == DomainException.Reason.INVALID_ARGUMENT
        ? e.under("nodes[" + position + "].job.")
        : e;
  }

  @Override
  public JobGraphView get(Caller caller, JobGraphId id) {
    AccessPolicy.requireRead(caller);
    JobGraph graph = graphs.find(id).orElse(null);
    if (graph == null || !caller.sees(graph.project())) {
      // the same answer for both: naming the id only when the graph exists would tell that it does
      throw DomainException.notFound("job graph not found");
    }
    return view(graph);
  }

  @Override
  public Page list(Caller caller, String project, int limit, String cursor) {
    AccessPolicy.requireRead(caller);
    After after = cursor == null ? null : decode(cursor);
    Set<String> projects;
    if (project != null) {
      if (!caller.sees(project)) {
        return new Page(List.of(), null);
      }
      projects = Set.of(project);
    } else {
      projects = caller.projects();
    }
    int bounded = Math.max(1, Math.min(limit, MAX_LIST));
    List<JobGraph> page = graphs.list(projects, after, bounded + 1);
    boolean more = page.size() > bounded;
    List<JobGraph> items = more ? page.subList(0, bounded) : page;
    Map<JobId, JobStatus> statuses =
        graphs.statuses(items.stream().flatMap(g -> g.jobs().stream()).toList());
    String next = more ? encode(items.get(items.size() - 1)) : null;
    return new Page(items.stream().map(g -> view(g, statuses)).toList(), next);
  }

  private JobGraphView view(JobGraph graph) {
    return view(graph, graphs.statuses(graph.jobs()));
  }

  private static JobGraphView view(JobGraph graph, Map<JobId, JobStatus> statuses) {
    Map<String, JobStatus> byNode = new HashMap<>();
    for (JobGraph.Node node : graph.nodes()) {
      JobStatus s = statuses.get(node.job());
      if (s != null) {
        byNode.put(node.name(), s);
      }
    }
    return new JobGraphView(graph, byNode);
  }

  private static final String CURSOR_VERSION = "g1";
  private static final Instant LAST_CURSOR_TIME = Instant.parse("9999-12-31T23:59:59Z");

  private static String encode(JobGraph last) {
    String text = CURSOR_VERSION + "|" + last.createdAt() + "|" + last.id();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static After decode(String cursor) {
    try {
      if (cursor.length() > 200) {
        throw new IllegalArgumentException("too long");
      }
      String[] parts =
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
      if (parts.length != 3 || !CURSOR_VERSION.equals(parts[0])) {
        throw new IllegalArgumentException("not a graph cursor");
      }
      Instant at = Instant.parse(parts[1]);
      if (at.isBefore(Instant.EPOCH) || at.isAfter(LAST_CURSOR_TIME)) {
        throw new IllegalArgumentException("not a time this server wrote");
      }
      return new After(at, new JobGraphId(UUID.fromString(parts[2])));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw DomainException.invalid("cursor", "is not a cursor this server issued");
    }
  }

  /**
   * A digest of everything the client chose: the graph's fields and, per node in body order, its
   * name, dependencies and the digest a single submit of its job would have.
   */
  static String fingerprint(Caller caller, JobGraphSpec spec) {
    StringBuilder b =
        new StringBuilder("graph\u001f")
            .append(spec.project())
            .append('\u001f')
            .append(spec.name())
            .append('\u001f')
            .append(spec.labels().values());
    for (GraphNode node : spec.nodes()) {
      b.append('\u001e')
          .append(node.name())
          .append('\u001f')
          .append(node.dependsOn())
          .append('\u001f')
          .append(node.condition())
          .append('\u001f')
          .append(SubmitFingerprint.of(new SubmitJobCommand(caller, node.job(), false, null)));
    }
    return Sha256.hex(b.toString());
  }
}
