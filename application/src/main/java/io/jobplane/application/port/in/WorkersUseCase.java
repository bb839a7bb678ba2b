package io.jobplane.application.port.in;

import io.jobplane.application.port.out.WorkerRegistry.WorkerRecord;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.Text;
import io.jobplane.domain.query.LabelSelector;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The live workers (docs/worker-protocol.md, "The workers list"): who claims work, with their
 * labels, queues and the tasks they hold. Read access (viewer and up); a caller limited to projects
 * sees only the workers whose token is limited to one of them, and only tasks of its projects.
 */
public interface WorkersUseCase {

  int DEFAULT_LIMIT = 100;
  int MAX_LIMIT = 500;

  /**
   * @param selector only workers whose labels match (null: any)
   * @param queue only workers polling this queue (null: any)
   * @param limit 1 to {@link #MAX_LIMIT}
   */
  record WorkerQuery(LabelSelector selector, String queue, int limit) {
    public WorkerQuery {
      selector = selector == null ? LabelSelector.EVERYTHING : selector;
      if (queue != null) {
        Text.identifier(queue, "queue");
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw DomainException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
      }
    }

    /** Every live worker, up to the default limit. */
    public static WorkerQuery all() {
      return new WorkerQuery(LabelSelector.EVERYTHING, null, DEFAULT_LIMIT);
    }
  }

  /**
   * @param workers by name (worker id)
   * @param truncated more workers matched than {@code limit}
   * @param liveSince the workers listed claimed at or after this instant
   */
  record WorkerList(List<WorkerRecord> workers, boolean truncated, Instant liveSince) {
    public WorkerList {
      workers = List.copyOf(workers);
      Objects.requireNonNull(liveSince, "liveSince");
    }
  }

  WorkerList list(Caller caller, WorkerQuery query);
}
