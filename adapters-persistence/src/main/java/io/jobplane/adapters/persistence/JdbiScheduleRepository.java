package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.ScheduleRepository;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.schedule.Schedule;
import io.jobplane.domain.schedule.ScheduleId;
import io.jobplane.domain.schedule.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * {@link ScheduleRepository} on PostgreSQL. Like {@link JdbiJobRepository}, each method joins the
 * transaction a {@link JdbiTransactionRunner} has open on the thread; updates are optimistic.
 */
public final class JdbiScheduleRepository implements ScheduleRepository {

  /** Ticks older than this before the latest one are no longer needed to guard against repeats. */
  static final Duration TICK_RETENTION = Duration.ofHours(1);

  private static final String COLUMNS =
      "id, project, name, cron, time_zone, job_template, concurrency_policy,"
          + " starting_deadline_seconds, max_catch_up, suspend, successful_jobs_history_limit,"
          + " failed_jobs_history_limit, created_by, created_at, updated_at, last_scheduled_time,"
          + " next_run_time, last_job_id, version, resource_namespace, resource_name";

  private static final String TERMINAL =
      String.join(
          ", ",
          Arrays.stream(JobStatus.values())
              .filter(JobStatus::isTerminal)
              .map(s -> "'" + s.name() + "'")
              .toList());

  private final Jdbi jdbi;

  public JdbiScheduleRepository(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public Schedule insert(Schedule schedule) {
    return jdbi.inTransaction(
        h -> {
          try {
            bind(
                    h.createUpdate(
                        "INSERT INTO schedules ("
                            + COLUMNS
                            + ") VALUES (:id, :project, :name, :cron, :time_zone,"
                            + " CAST(:job_template AS jsonb), :concurrency_policy,"
                            + " :starting_deadline_seconds, :max_catch_up, :suspend,"
                            + " :successful_jobs_history_limit, :failed_jobs_history_limit,"
                            + " :created_by, :created_at, :updated_at, :last_scheduled_time,"
                            + " :next_run_time, :last_job_id, 1, :resource_namespace,"
                            + " :resource_name)"),
                    schedule)
                .execute();
          } catch (UnableToExecuteStatementException e) {
            if (SqlErrors.isUniqueViolation(e)) {
              throw DomainException.conflict(
                  "project '"
                      + schedule.spec().project()
                      + "' already has a schedule named '"
                      + schedule.spec().name()
                      + "'");
            }
            throw e;
          }
          return schedule.withVersion(1L);
        });
  }

  @Override
  public Optional<Schedule> find(ScheduleId id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM schedules WHERE id = :id")
                .bind("id", id.value())
                .map(ScheduleRows.SCHEDULE)
                .findOne());
  }

  @Override
  public List<Schedule> list(Set<String> projects, int limit) {
    return jdbi.withHandle(
        h -> {
          if (projects == null) {
            return h.createQuery(
                    "SELECT " + COLUMNS + " FROM schedules ORDER BY project, name, id LIMIT :limit")
                .bind("limit", limit)
                .map(ScheduleRows.SCHEDULE)
                .list();
          }
          return h.createQuery(
                  "SELECT "
                      + COLUMNS
                      + " FROM schedules WHERE project = ANY(:projects)"
                      + " ORDER BY project, name, id LIMIT :limit")
              .bindArray("projects", String.class, projects.toArray(String[]::new))
              .bind("limit", limit)
              .map(ScheduleRows.SCHEDULE)
              .list();
        });
  }

  @Override
  public Schedule update(Schedule schedule) {
    long expected = schedule.version();
    return jdbi.inTransaction(
        h -> {
          int changed =
              bind(
                      h.createUpdate(
                          "UPDATE schedules SET project = :project, name = :name, cron = :cron,"
                              + " time_zone = :time_zone,"
                              + " job_template = CAST(:job_template AS jsonb),"
                              + " concurrency_policy = :concurrency_policy,"
                              + " starting_deadline_seconds = :starting_deadline_seconds,"
                              + " max_catch_up = :max_catch_up, suspend = :suspend,"
                              + " successful_jobs_history_limit = :successful_jobs_history_limit,"
                              + " failed_jobs_history_limit = :failed_jobs_history_limit,"
                              + " updated_at = :updated_at,"
                              + " last_scheduled_time = :last_scheduled_time,"
                              + " next_run_time = :next_run_time, last_job_id = :last_job_id,"
                              + " version = version + 1"
                              + " WHERE id = :id AND version = :expected"),
                      schedule)
                  .bind("expected", expected)
                  .execute();
          if (changed == 0) {
            throw find(schedule.id()).isPresent()
                ? DomainException.conflict(
                    "schedule " + schedule.id() + " was changed concurrently; reload and retry")
                : DomainException.notFound("schedule not found");
          }
          return schedule.withVersion(expected + 1);
        });
  }

  @Override
  public boolean delete(ScheduleId id) {
    return jdbi.withHandle(
            h ->
                h.createUpdate("DELETE FROM schedules WHERE id = :id")
                    .bind("id", id.value())
                    .execute())
        > 0;
  }

  @Override
  public List<ScheduleId> due(Instant now, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id FROM schedules WHERE NOT suspend AND next_run_time <= :now"
                        + " ORDER BY next_run_time LIMIT :limit")
                .bind("now", JobRows.ts(now))
                .bind("limit", limit)
                .mapTo(UUID.class)
                .map(ScheduleId::new)
                .list());
  }

  @Override
  public Optional<Instant> oldestDue(Instant now) {
    // min() over the partial index schedules_due_idx: one index entry, however many schedules
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT min(next_run_time) AS oldest FROM schedules"
                        + " WHERE NOT suspend AND next_run_time <= :now")
                .bind("now", JobRows.ts(now))
                .map((rs, ctx) -> Optional.ofNullable(JobRows.instant(rs, "oldest")))
                .one());
  }

  @Override
  public Optional<Schedule> lockDue(ScheduleId id, Instant now) {
    return jdbi.inTransaction(
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM schedules WHERE id = :id AND NOT suspend"
                        + " AND next_run_time <= :now FOR UPDATE SKIP LOCKED")
                .bind("id", id.value())
                .bind("now", JobRows.ts(now))
                .map(ScheduleRows.SCHEDULE)
                .findOne());
  }

  @Override
  public boolean claimTick(ScheduleId id, Instant scheduledTime, Instant at) {
    return jdbi.inTransaction(
        h -> {
          int inserted =
              h.createUpdate(
                      "INSERT INTO schedule_ticks (schedule_id, scheduled_time, claimed_at)"
                          + " VALUES (:id, :scheduled_time, :at) ON CONFLICT DO NOTHING")
                  .bind("id", id.value())
                  .bind("scheduled_time", JobRows.ts(scheduledTime))
                  .bind("at", JobRows.ts(at))
                  .execute();
          if (inserted > 0) {
            h.createUpdate(
                    "DELETE FROM schedule_ticks WHERE schedule_id = :id"
                        + " AND scheduled_time < :horizon")
                .bind("id", id.value())
                .bind("horizon", JobRows.ts(scheduledTime.minus(TICK_RETENTION)))
                .execute();
          }
          return inserted > 0;
        });
  }

  @Override
  public void recordTick(ScheduleId id, Instant scheduledTime, TickOutcome outcome, JobId job) {
    jdbi.useTransaction(
        h ->
            h.createUpdate(
                    "UPDATE schedule_ticks SET outcome = :outcome, job_id = :job_id"
                        + " WHERE schedule_id = :id AND scheduled_time = :scheduled_time")
                .bind("id", id.value())
                .bind("scheduled_time", JobRows.ts(scheduledTime))
                .bind("outcome", outcome.name())
                .bind("job_id", job == null ? null : job.value())
                .execute());
  }

  @Override
  public List<JobId> activeJobs(ScheduleId id) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id FROM jobs WHERE labels @> CAST(:selector AS jsonb)"
                        + SAME_PROJECT
                        + " AND status NOT IN ("
                        + TERMINAL
                        + ") ORDER BY created_at, id")
                .bind("selector", selector(id))
                .bind("id", id.value())
                .mapTo(UUID.class)
                .map(JobId::new)
                .list());
  }

  @Override
  public List<FinishedJob> finishedJobs(ScheduleId id) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id, status, finished_at FROM jobs"
                        + " WHERE labels @> CAST(:selector AS jsonb)"
                        + SAME_PROJECT
                        + " AND status IN ("
                        + TERMINAL
                        + ") ORDER BY COALESCE(finished_at, updated_at) DESC, id DESC")
                .bind("selector", selector(id))
                .bind("id", id.value())
                .map(
                    (rs, ctx) ->
                        new FinishedJob(
                            new JobId(rs.getObject("id", UUID.class)),
                            JobStatus.valueOf(rs.getString("status")),
                            JobRows.instant(rs, "finished_at")))
                .list());
  }

  /**
   * A schedule's jobs are in its project: the label alone would let another project's job (whose
   * labels its owner chose) be stopped by REPLACE or deleted by a history limit.
   */
  private static final String SAME_PROJECT =
      " AND project = (SELECT project FROM schedules WHERE id = :id)";

  /** The label selector of a schedule's jobs, answered by the jobs' GIN index on labels. */
  private static String selector(ScheduleId id) {
    return JobRows.labelsJson(Map.of(ScheduleSpec.SCHEDULE_LABEL, id.toString()));
  }

  private static <S extends SqlStatement<S>> S bind(S statement, Schedule s) {
    ScheduleSpec spec = s.spec();
    return statement
        .bind("id", s.id().value())
        .bind("project", spec.project())
        .bind("name", spec.name())
        .bind("cron", spec.cron())
        .bind("time_zone", spec.timeZone().getId())
        .bind("job_template", ScheduleRows.templateJson(spec.job()))
        .bind("concurrency_policy", spec.concurrencyPolicy().name())
        .bind("starting_deadline_seconds", spec.startingDeadlineSeconds())
        .bind("max_catch_up", spec.maxCatchUp())
        .bind("suspend", spec.suspend())
        .bind("successful_jobs_history_limit", spec.successfulJobsHistoryLimit())
        .bind("failed_jobs_history_limit", spec.failedJobsHistoryLimit())
        .bind("created_by", s.createdBy())
        .bind("created_at", JobRows.ts(s.createdAt()))
        .bind("updated_at", JobRows.ts(s.updatedAt()))
        .bind("last_scheduled_time", JobRows.ts(s.lastScheduledTime()))
        .bind("next_run_time", JobRows.ts(s.nextRunTime()))
        .bind("last_job_id", s.lastJob() == null ? null : s.lastJob().value())
        .bind("resource_namespace", s.resource() == null ? null : s.resource().namespace())
        .bind("resource_name", s.resource() == null ? null : s.resource().name());
  }
}
