package io.jobplane.application.port.out;

import io.jobplane.domain.JobId;
import io.jobplane.domain.KubernetesPlacement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The outbox of cluster calls (issue 17): an intent is written in the transaction that changes the
 * job, and performed by the {@code WorkloadRelay} after the commit, so a failed commit never leaves
 * a resource behind and a crash after it never loses the call.
 */
public interface WorkloadIntents {

  /** What the cluster is to be told, in the terms of {@link WorkloadRuntime}. */
  enum Kind {
    LAUNCH,
    STOP,
    RESTART,
    DELETE
  }

  /** A claimed intent; {@code attempts} counts this claim and fences its result. */
  record Intent(
      long id, JobId job, Kind kind, String namespace, String resourceName, int attempts) {}

  /** Writes an intent in the caller's transaction. */
  void add(JobId job, Kind kind, KubernetesPlacement where, Instant now);

  /**
   * Claims up to {@code limit} due intents, each the oldest of its job, and keeps them from other
   * relays until {@code now + lease}; rows another relay is claiming are passed over.
   */
  List<Intent> claim(Instant now, Duration lease, int limit);

  /** Claims the due oldest intent of one job, if any. */
  List<Intent> claim(JobId job, Instant now, Duration lease);

  /** The call was made (or needs no making): the intent is gone, its job's next one is due. */
  void delivered(Intent intent);

  /** The call failed in a way a later try may not: try again at {@code next}. */
  void retry(Intent intent, String error, Instant next);
}
