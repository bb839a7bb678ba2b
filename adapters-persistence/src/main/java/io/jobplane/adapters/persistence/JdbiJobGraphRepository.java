package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.JobGraphRepository;
import io.jobplane.domain.JobDependencies;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.Labels;
import io.jobplane.domain.graph.JobGraph;
import io.jobplane.domain.graph.JobGraphId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * {@link JobGraphRepository} on tables {@code job_graphs} and {@code job_graph_nodes} (V20). Joins
 * the transaction a {@link JdbiTransactionRunner} has open on the thread.
 */
public final class JdbiJobGraphRepository implements JobGraphRepository {

  private static final String COLUMNS = "id, project, name, labels, created_by, created_at";

  /** A graph's row before its nodes are read. */
  private record Header(
      JobGraphId id,
      String project,
      String name,
      Labels labels,
      String createdBy,
      Instant createdAt) {}

  private final Jdbi jdbi;

  public JdbiJobGraphRepository(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public boolean insert(JobGraph graph, IdempotencyMark key) {
    return jdbi.inTransaction(
        h -> {
          int inserted =
              h.createUpdate(
                      "INSERT INTO job_graphs (id, project, name, labels, created_by, created_at,"
                          + " idempotency_principal, idempotency_key, fingerprint)"
                          + " VALUES (:id, :project, :name, CAST(:labels AS jsonb), :created_by,"
                          + " :created_at, :principal, :key, :fingerprint)"
                          + " ON CONFLICT DO NOTHING")
                  .bind("id", graph.id().value())
                  .bind("project", graph.project())
                  .bind("name", graph.name())
                  .bind("labels", JobRows.labelsJson(graph.labels().values()))
                  .bind("created_by", graph.createdBy())
                  .bind("created_at", Timestamp.from(graph.createdAt()))
                  .bind("principal", key == null ? null : key.principal())
                  .bind("key", key == null ? null : key.key())
                  .bind("fingerprint", key == null ? null : key.fingerprint())
                  .execute();
          if (inserted == 0) {
            return false;
          }
          var batch =
              h.prepareBatch(
                  "INSERT INTO job_graph_nodes (graph_id, position, name, depends_on, condition,"
                      + " job_id) VALUES (:graph_id, :position, :name, :depends_on, :condition,"
                      + " :job_id)");
          for (int i = 0; i < graph.nodes().size(); i++) {
            JobGraph.Node node = graph.nodes().get(i);
            batch
                .bind("graph_id", graph.id().value())
                .bind("position", i)
                .bind("name", node.name())
                .bind("depends_on", node.dependsOn().toArray(String[]::new))
                .bind("condition", node.condition().name())
                .bind("job_id", node.job().value())
                .add();
          }
          batch.execute();
          return true;
        });
  }

  @Override
  public Optional<JobGraph> find(JobGraphId id) {
    return jdbi.withHandle(
        h -> {
          List<Header> headers =
              headers(
                  h.createQuery("SELECT " + COLUMNS + " FROM job_graphs WHERE id = :id")
                      .bind("id", id.value()));
          return withNodes(h, headers).stream().findFirst();
        });
  }

  @Override
  public Optional<KeyedGraph> findByKey(String principal, String key) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id, fingerprint FROM job_graphs"
                        + " WHERE idempotency_principal = :principal AND idempotency_key = :key")
                .bind("principal", principal)
                .bind("key", key)
                .map(
                    (rs, ctx) ->
                        new KeyedGraph(
                            new JobGraphId(rs.getObject("id", UUID.class)),
                            rs.getString("fingerprint")))
                .findOne());
  }

  @Override
  public List<JobGraph> list(Set<String> projects, After after, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM job_graphs WHERE TRUE");
    if (projects != null) {
      sql.append(" AND project = ANY(:projects)");
    }
    if (after != null) {
      sql.append(" AND (created_at, id) < (:after_at, :after_id)");
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
    return jdbi.withHandle(
        h -> {
          Query q = h.createQuery(sql.toString()).bind("limit", limit);
          if (projects != null) {
            q.bindArray("projects", String.class, projects.toArray(String[]::new));
          }
          if (after != null) {
            q.bind("after_at", Timestamp.from(after.createdAt()))
                .bind("after_id", after.id().value());
          }
          return withNodes(h, headers(q));
        });
  }

  @Override
  public Map<JobId, JobStatus> statuses(Collection<JobId> jobs) {
    if (jobs.isEmpty()) {
      return Map.of();
    }
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT id, status FROM jobs WHERE id = ANY(:ids)")
                .bind("ids", jobs.stream().map(JobId::value).toArray(UUID[]::new))
                .reduceRows(new HashMap<JobId, JobStatus>(), JobRows::putStatus));
  }

  private static List<Header> headers(Query query) {
    return query
        .map(
            (rs, ctx) ->
                new Header(
                    new JobGraphId(rs.getObject("id", UUID.class)),
                    rs.getString("project"),
                    rs.getString("name"),
                    new Labels(JobRows.labels(rs.getString("labels"))),
                    rs.getString("created_by"),
                    rs.getTimestamp("created_at").toInstant()))
        .list();
  }

  /** The graphs of these rows with their nodes, read in one statement. */
  private static List<JobGraph> withNodes(Handle h, List<Header> headers) {
    if (headers.isEmpty()) {
      return List.of();
    }
    Map<UUID, List<JobGraph.Node>> nodes = new LinkedHashMap<>();
    headers.forEach(g -> nodes.put(g.id().value(), new ArrayList<>()));
    h.createQuery(
            "SELECT graph_id, name, depends_on, condition, job_id FROM job_graph_nodes"
                + " WHERE graph_id = ANY(:ids) ORDER BY graph_id, position")
        .bind("ids", nodes.keySet().toArray(UUID[]::new))
        .map(
            (rs, ctx) ->
                Map.entry(
                    rs.getObject("graph_id", UUID.class),
                    new JobGraph.Node(
                        rs.getString("name"),
                        Arrays.asList((String[]) rs.getArray("depends_on").getArray()),
                        JobDependencies.Condition.valueOf(rs.getString("condition")),
                        new JobId(rs.getObject("job_id", UUID.class)))))
        .forEach(row -> nodes.get(row.getKey()).add(row.getValue()));
    return headers.stream()
        .map(
            g ->
                new JobGraph(
                    g.id(),
                    g.project(),
                    g.name(),
                    g.labels(),
                    g.createdBy(),
                    g.createdAt(),
                    nodes.get(g.id().value())))
        .toList();
  }
}
