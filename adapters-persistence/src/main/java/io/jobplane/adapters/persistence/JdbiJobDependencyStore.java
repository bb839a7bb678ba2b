package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.JobDependencyStore;
import io.jobplane.domain.JobDependencies;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** {@link JobDependencyStore} on table {@code job_dependencies} (V19). */
public final class JdbiJobDependencyStore implements JobDependencyStore {

  private final Jdbi jdbi;

  public JdbiJobDependencyStore(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public Map<JobId, JobStatus> lockForNewDependent(String project, Collection<JobId> ids) {
    UUID[] uuids = ids.stream().map(JobId::value).sorted().toArray(UUID[]::new);
    return jdbi.withHandle(
        h ->
            h
                // FOR SHARE in id order: an end (an UPDATE of the row) waits for this
                // transaction, and two submits naming the same jobs never deadlock
                .createQuery(
                    "SELECT id, status FROM jobs WHERE id = ANY(:ids) AND project = :project"
                        + " ORDER BY id FOR SHARE")
                .bind("ids", uuids)
                .bind("project", project)
                .reduceRows(new HashMap<JobId, JobStatus>(), JobRows::putStatus));
  }

  @Override
  public void insert(JobId job, JobDependencies dependencies, Map<JobId, JobStatus> endedAs) {
    jdbi.useHandle(
        h -> {
          var batch =
              h.prepareBatch(
                  "INSERT INTO job_dependencies (job_id, depends_on, position, condition,"
                      + " ended_as) VALUES (:job_id, :depends_on, :position, :condition,"
                      + " :ended_as)");
          List<JobId> jobs = dependencies.jobs();
          for (int i = 0; i < jobs.size(); i++) {
            JobStatus ended = endedAs.get(jobs.get(i));
            batch
                .bind("job_id", job.value())
                .bind("depends_on", jobs.get(i).value())
                .bind("position", i)
                .bind("condition", dependencies.condition().name())
                .bind("ended_as", ended == null ? null : ended.name())
                .add();
          }
          batch.execute();
        });
  }

  @Override
  public List<JobId> recordEnds(Map<JobId, JobStatus> ended) {
    List<UUID> ids = new ArrayList<>();
    List<String> statuses = new ArrayList<>();
    ended.forEach(
        (id, status) -> {
          ids.add(id.value());
          statuses.add(status.name());
        });
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "WITH ended AS (SELECT * FROM unnest(:ids::uuid[], :statuses::text[])"
                        + " AS e(id, status)),"
                        + " recorded AS (UPDATE job_dependencies d SET ended_as = ended.status"
                        + " FROM ended WHERE d.depends_on = ended.id AND d.ended_as IS NULL"
                        + " RETURNING d.job_id)"
                        + " SELECT DISTINCT job_id FROM recorded ORDER BY job_id")
                .bind("ids", ids.toArray(UUID[]::new))
                .bind("statuses", statuses.toArray(String[]::new))
                .map((rs, ctx) -> new JobId(rs.getObject("job_id", UUID.class)))
                .list());
  }

  @Override
  public Optional<JobDependencies.Standing> standing(JobId job) {
    record Edge(JobId dependsOn, String condition, String endedAs) {}
    List<Edge> edges =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT depends_on, condition, ended_as FROM job_dependencies"
                            + " WHERE job_id = :job_id ORDER BY position")
                    .bind("job_id", job.value())
                    .map(
                        (rs, ctx) ->
                            new Edge(
                                new JobId(rs.getObject("depends_on", UUID.class)),
                                rs.getString("condition"),
                                rs.getString("ended_as")))
                    .list());
    if (edges.isEmpty()) {
      return Optional.empty();
    }
    Map<JobId, JobStatus> endedAs = new LinkedHashMap<>();
    edges.stream()
        .filter(e -> e.endedAs() != null)
        .forEach(e -> endedAs.put(e.dependsOn(), JobStatus.valueOf(e.endedAs())));
    return Optional.of(
        new JobDependencies.Standing(
            new JobDependencies(
                edges.stream().map(Edge::dependsOn).toList(),
                JobDependencies.Condition.valueOf(edges.get(0).condition())),
            endedAs));
  }
}
