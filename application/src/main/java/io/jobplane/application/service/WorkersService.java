package io.jobplane.application.service;

import io.jobplane.application.port.in.WorkersUseCase;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.port.out.WorkerRegistry;
import io.jobplane.application.port.out.WorkerRegistry.WorkerFilter;
import io.jobplane.application.port.out.WorkerRegistry.WorkerRecord;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.QueueWait;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Lists the live workers: those that claimed within {@link QueueWait#ACTIVE_WINDOW}, the window in
 * which a worker counts as active for its queues everywhere else too.
 */
public final class WorkersService implements WorkersUseCase {

  private final WorkerRegistry workers;
  private final TransactionRunner tx;
  private final Clock clock;

  public WorkersService(WorkerRegistry workers, TransactionRunner tx, Clock clock) {
    this.workers = Objects.requireNonNull(workers, "workers");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public WorkerList list(Caller caller, WorkerQuery query) {
    AccessPolicy.requireRead(caller);
    Instant since = Clocks.now(clock).minus(QueueWait.ACTIVE_WINDOW);
    // one more than asked tells whether there were more
    WorkerFilter filter =
        new WorkerFilter(
            since, query.selector(), query.queue(), caller.projects(), query.limit() + 1);
    List<WorkerRecord> found = tx.inTransaction(() -> workers.list(filter));
    boolean truncated = found.size() > query.limit();
    return new WorkerList(truncated ? found.subList(0, query.limit()) : found, truncated, since);
  }
}
