package io.jobplane.application.port.out;

import io.jobplane.domain.Labels;
import io.jobplane.domain.query.LabelSelector;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Which workers are there: the sighting each claim records, who is live for a queue, and who is
 * gone. Every method joins the caller's transaction ({@link TransactionRunner}).
 */
public interface WorkerPresence {

  /**
   * What one claim tells about the worker that sent it: the queues it polls, its host, when, how
   * many tasks it asked for and how many it got.
   */
  record Sighting(
      String workerId,
      String hostname,
      List<String> queues,
      int tasksRequested,
      int tasksLeased,
      Instant seenAt,
      Identity identity) {
    public Sighting {
      queues = List.copyOf(queues);
      identity = identity == null ? Identity.NONE : identity;
    }

    /** A sighting of a worker without labels, types or a project-limited token. */
    public Sighting(
        String workerId,
        String hostname,
        List<String> queues,
        int tasksRequested,
        int tasksLeased,
        Instant seenAt) {
      this(workerId, hostname, queues, tasksRequested, tasksLeased, seenAt, Identity.NONE);
    }
  }

  /**
   * What a worker declares besides its queues, and whom its token serves: its labels, the job types
   * it claims (null: any) and the projects its token is limited to (null: every project).
   */
  record Identity(Labels labels, List<String> types, Set<String> projects) {
    public static final Identity NONE = new Identity(Labels.EMPTY, null, null);

    public Identity {
      labels = labels == null ? Labels.EMPTY : labels;
      types = types == null ? null : List.copyOf(types);
      projects = projects == null ? null : Set.copyOf(projects);
    }
  }

  /** A live worker: its name (worker id) and host. */
  record LiveWorker(String name, String hostname) {}

  /** Records (inserts or replaces) the worker's presence; called in the claim's transaction. */
  void recordWorker(Sighting sighting);

  /** How many workers polled {@code queue} at or after {@code since}. */
  int activeWorkers(String queue, Instant since);

  /**
   * The workers that polled {@code queue} at or after {@code since} (or hold a lease live at or
   * after it: a worker busy with all its slots does not claim), whose labels match {@code
   * selector}, that may claim jobs of {@code project} and {@code type} (their token and types allow
   * it): names and host names, by name, at most {@code limit}.
   */
  List<LiveWorker> liveWorkers(
      String queue, String project, String type, LabelSelector selector, Instant since, int limit);

  /**
   * Of {@code names}, the workers that are gone: not seen claiming at or after {@code since} and
   * holding no lease live at or after it.
   */
  Set<String> lostWorkers(Collection<String> names, Instant since);
}
