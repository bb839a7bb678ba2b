package io.jobplane.application.port.out;

import io.jobplane.domain.JobId;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.graph.JobGraph;
import io.jobplane.domain.graph.JobGraphId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Durable home of job graphs: each graph and the job of each of its nodes. Joins the transaction
 * open on the thread, so a graph commits with its jobs or not at all.
 */
public interface JobGraphRepository {

  /** The Idempotency-Key a graph was submitted with: whose, which, and a digest of the body. */
  record IdempotencyMark(String principal, String key, String fingerprint) {}

  /** The graph an Idempotency-Key created and the digest of the body it was created from. */
  record KeyedGraph(JobGraphId graph, String fingerprint) {}

  /** Where a page of graphs ends: the last graph's creation time and id (newest first). */
  record After(Instant createdAt, JobGraphId id) {}

  /**
   * Stores a new graph with its nodes; false, storing nothing, when {@code key} (null: none) was
   * taken meanwhile by a concurrent submit of the same principal.
   */
  boolean insert(JobGraph graph, IdempotencyMark key);

  Optional<JobGraph> find(JobGraphId id);

  Optional<KeyedGraph> findByKey(String principal, String key);

  /**
   * The graphs of {@code projects} (null: of every project), newest first, after {@code after}
   * (null: from the newest), at most {@code limit}.
   */
  List<JobGraph> list(Set<String> projects, After after, int limit);

  /** The current status of each of these jobs that still exists. */
  Map<JobId, JobStatus> statuses(Collection<JobId> jobs);
}
