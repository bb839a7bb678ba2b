package io.jobplane.adapters.k8s.operator;

import io.jobplane.application.port.out.CronRules;
import io.jobplane.application.port.out.WorkloadRuntime;
import io.jobplane.application.service.ControlJobService;
import io.jobplane.application.service.ScheduleService;
import io.jobplane.application.service.SubmitJobService;
import io.jobplane.application.service.WorkloadOutbox;
import io.jobplane.application.testing.DirectTransactionRunner;
import io.jobplane.application.testing.InMemoryIdempotencyKeys;
import io.jobplane.application.testing.InMemoryJobRepository;
import io.jobplane.application.testing.InMemoryScheduleRepository;
import io.jobplane.application.testing.InMemoryServices;
import io.jobplane.application.testing.InMemoryTaskRepository;
import io.jobplane.application.testing.InMemoryTelemetryRepository;
import io.jobplane.application.testing.TestWorkloads;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.schedule.CronRule;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The store of schedules, in memory, with the real {@link ScheduleService}: the one the operator
 * applies resources to and the API server's loop ticks. Kubernetes jobs a tick submits go to {@code
 * workloads}, as on the server.
 */
final class ScheduleStore {

  /**
   * A stand-in for the cron adapter (tested on its own, and an adapter the operator must not depend
   * on): 6 fields fire every second, 5 every minute, anything else is refused as cron-utils refuses
   * it.
   */
  static final CronRules CRON =
      expression -> {
        int fields = expression.strip().split("\\s+").length;
        if (fields != 5 && fields != 6) {
          throw DomainException.invalid(
              "cron", "'" + expression + "' is not a cron expression of 5 or 6 fields");
        }
        ChronoUnit unit = fields == 6 ? ChronoUnit.SECONDS : ChronoUnit.MINUTES;
        return new CronRule() {
          @Override
          public Optional<ZonedDateTime> next(ZonedDateTime after) {
            return Optional.of(after.truncatedTo(unit).plus(1, unit));
          }

          @Override
          public Optional<ZonedDateTime> previous(ZonedDateTime before) {
            ZonedDateTime t = before.truncatedTo(unit);
            return Optional.of(t.equals(before) ? t.minus(1, unit) : t);
          }
        };
      };

  final InMemoryJobRepository jobs = new InMemoryJobRepository();
  final InMemoryScheduleRepository repository = new InMemoryScheduleRepository(jobs);
  final ScheduleService schedules;

  ScheduleStore(Clock clock, WorkloadRuntime workloads) {
    DirectTransactionRunner tx = new DirectTransactionRunner();
    InMemoryTaskRepository tasks = new InMemoryTaskRepository(jobs, clock);
    WorkloadOutbox outbox = new TestWorkloads(workloads, jobs, tasks, tx, clock).outbox;
    SubmitJobService submit =
        InMemoryServices.submit(jobs, tasks, new InMemoryIdempotencyKeys(), tx, clock)
            .workloads(outbox)
            .build();
    ControlJobService control =
        new ControlJobService(
            jobs, tasks, tasks, tasks, new InMemoryTelemetryRepository(jobs), tx, clock, outbox);
    schedules = new ScheduleService(repository, jobs, submit, control, CRON, tx, clock);
  }
}
