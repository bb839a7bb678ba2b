package io.jobplane.application.service;

import io.jobplane.application.port.out.WorkerPresence;
import io.jobplane.application.port.out.WorkerPresence.LiveWorker;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.QueueWait;
import java.time.Instant;
import java.util.List;

/**
 * The workers a broadcast job's run goes to: those that claimed from the job's queue within {@link
 * QueueWait#ACTIVE_WINDOW}, whose labels match its worker_selector and whose token and types let
 * them claim it. One task per worker, bound to it.
 */
final class Broadcasts {

  private Broadcasts() {}

  /**
   * The names of the live matching workers, by name.
   *
   * @throws DomainException CONFLICT when there is none (nothing would run the job), or
   *     INVALID_ARGUMENT when more than {@link JobDefinition#MAX_PARALLELISM} match
   */
  static List<String> targets(WorkerPresence presence, JobDefinition d, Instant now) {
    List<LiveWorker> live =
        presence.liveWorkers(
            d.queue(),
            d.project(),
            d.type(),
            d.placement().selector(),
            now.minus(QueueWait.ACTIVE_WINDOW),
            JobDefinition.MAX_PARALLELISM + 1);
    if (live.isEmpty()) {
      throw DomainException.conflict(
          "no live worker to broadcast to: none claimed from queue '"
              + d.queue()
              + "' in the last "
              + QueueWait.ACTIVE_WINDOW.toSeconds()
              + " s"
              + (d.placement().workerSelector() == null
                  ? ""
                  : " with labels matching worker_selector '"
                      + d.placement().workerSelector()
                      + "'")
              + " that may run jobs of project '"
              + d.project()
              + "' and type '"
              + d.type()
              + "'");
    }
    if (live.size() > JobDefinition.MAX_PARALLELISM) {
      throw DomainException.invalid(
          "placement.worker_selector",
          "matches more than "
              + JobDefinition.MAX_PARALLELISM
              + " live workers; a broadcast has at most that many tasks");
    }
    return live.stream().map(LiveWorker::name).toList();
  }
}
