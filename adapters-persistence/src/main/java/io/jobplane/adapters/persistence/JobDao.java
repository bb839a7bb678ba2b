package io.jobplane.adapters.persistence;

import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.TimelineEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The fixed SQL statements on jobs and job_events, run on a handle the caller manages. */
final class JobDao {

  /** Writes only when the row still has the version the job was loaded with. */
  private static final String UPDATE_JOB =
      "UPDATE jobs SET name = :name, search_name = :search_name, type = :type,"
          + " project = :project, labels = CAST(:labels AS jsonb), input = :input,"
          + " max_attempts = :max_attempts, priority = :priority, queue = :queue,"
          + " runtime = :runtime, timeout_seconds = :timeout_seconds,"
          + " parallelism = :parallelism, status = :status, run_id = :run_id,"
          + " attempt = :attempt, progress = :progress, created_by = :created_by,"
          + " created_at = :created_at, updated_at = :updated_at, queued_at = :queued_at,"
          + " started_at = :started_at, finished_at = :finished_at,"
          + " error_reason = :error_reason, error_message = :error_message,"
          + " desired_state = :desired_state, stop_mode = :stop_mode,"
          + " stop_timeout_seconds = :stop_timeout_seconds, checkpoint_id = :checkpoint_id,"
          + " version = :version, command = CAST(:command AS jsonb), env = CAST(:env AS jsonb),"
          + " k8s_namespace = :k8s_namespace, k8s_name = :k8s_name,"
          + " pod_template = :pod_template"
          + " WHERE id = :id AND version = :expected_version";

  /**
   * Appends events of several jobs in one statement: each takes the job's last sequence number
   * (read in the same statement, so all rows see the same one) plus its place among the job's new
   * events, and rows are inserted in the given order, so ids follow sequence numbers.
   */
  private static final String APPEND_EVENTS =
      "INSERT INTO job_events (job_id, seq, occurred_at, event_type, from_status, to_status,"
          + " source, message, error_reason, error_message, run_id, attempt)"
          + " SELECT e.job_id, COALESCE((SELECT MAX(x.seq) FROM job_events x"
          + " WHERE x.job_id = e.job_id), 0) + e.place, e.occurred_at, e.event_type,"
          + " e.from_status, e.to_status, e.source, e.message, e.error_reason, e.error_message,"
          + " e.run_id, e.attempt FROM unnest(CAST(:job_ids AS uuid[]),"
          + " CAST(:offsets AS integer[]), CAST(:occurred_ats AS timestamptz[]),"
          + " CAST(:event_types AS text[]), CAST(:from_statuses AS text[]),"
          + " CAST(:to_statuses AS text[]), CAST(:sources AS text[]), CAST(:messages AS text[]),"
          + " CAST(:error_reasons AS text[]), CAST(:error_messages AS text[]),"
          + " CAST(:run_ids AS integer[]), CAST(:attempts AS integer[])) WITH ORDINALITY"
          + " AS e(job_id, place, occurred_at, event_type, from_status, to_status, source,"
          + " message, error_reason, error_message, run_id, attempt, ord)"
          + " ORDER BY e.ord";

  static final String EVENT_COLUMNS =
      "occurred_at, event_type, from_status, to_status, source, message, error_reason,"
          + " error_message, run_id, attempt";

  private JobDao() {}

  static void insert(Handle h, JobSnapshot s, long version) {
    JobColumns.bind(h.createUpdate(JobColumns.INSERT_ROW), s, version).execute();
  }

  /** {@link #insert} for several new jobs in one statement (version 1 each). */
  static void insertAll(Handle h, List<JobSnapshot> jobs) {
    JobColumns.bindRows(h.createUpdate(JobColumns.INSERT_ROWS), jobs).execute();
  }

  static int update(Handle h, JobSnapshot s, long expectedVersion, long newVersion) {
    return JobColumns.bind(h.createUpdate(UPDATE_JOB), s, newVersion)
        .bind("expected_version", expectedVersion)
        .execute();
  }

  /**
   * {@link #update} for several jobs in one JDBC batch; per job, the number of rows changed (0 when
   * its version no longer matches).
   */
  static int[] updateAll(Handle h, List<JobSnapshot> jobs) {
    PreparedBatch batch = h.prepareBatch(UPDATE_JOB);
    for (JobSnapshot s : jobs) {
      JobColumns.bind(batch, s, s.version() + 1).bind("expected_version", s.version()).add();
    }
    return batch.execute();
  }

  /**
   * Locks the status count rows of these (project, type, status) keys in key order, in one
   * statement, creating those that do not exist yet (count 0). The count trigger touches the two
   * rows of one job's transition in key order; a transaction that moves several jobs takes all its
   * rows first, in key order too, so two such transactions cannot deadlock on them. Rows that do
   * not exist yet are created here rather than by the trigger, in the same order: a first insert of
   * a key by the trigger, out of order, is what made two batches deadlock otherwise.
   *
   * <p>Only this transaction's slot of each key is locked (V10: the trigger writes the slot {@code
   * txid_current() % 16} picks), so transactions in other slots neither wait here nor deadlock.
   */
  static void lockStatusCounts(Handle h, List<String[]> keys) {
    h.createUpdate(
            "INSERT INTO job_status_counts AS c (project, type, status, slot, count)"
                + " SELECT k.project, k.type, k.status, (txid_current() % 16)::smallint, 0"
                + " FROM unnest(CAST(:projects AS text[]),"
                + " CAST(:types AS text[]), CAST(:statuses AS text[])) AS k(project, type, status)"
                + " ORDER BY k.project, k.type, k.status"
                + " ON CONFLICT (project, type, status, slot) DO UPDATE SET count = c.count")
        .bind("projects", keys.stream().map(k -> k[0]).toArray(String[]::new))
        .bind("types", keys.stream().map(k -> k[1]).toArray(String[]::new))
        .bind("statuses", keys.stream().map(k -> k[2]).toArray(String[]::new))
        .execute();
  }

  static int delete(Handle h, JobId id, long expectedVersion) {
    return h.createUpdate("DELETE FROM jobs WHERE id = :id AND version = :expected_version")
        .bind("id", id.value())
        .bind("expected_version", expectedVersion)
        .execute();
  }

  static boolean exists(Handle h, JobId id) {
    return h.createQuery("SELECT EXISTS (SELECT 1 FROM jobs WHERE id = :id)")
        .bind("id", id.value())
        .mapTo(Boolean.class)
        .one();
  }

  /** The job with its row locked until the transaction ends; empty if skipped or missing. */
  static Optional<JobSnapshot> lock(Handle h, JobId id, boolean skipLocked) {
    return h.createQuery(
            "SELECT "
                + JobColumns.NAMES
                + " FROM jobs WHERE id = :id FOR UPDATE"
                + (skipLocked ? " SKIP LOCKED" : ""))
        .bind("id", id.value())
        .map(JobRows.JOB)
        .findOne();
  }

  /**
   * The jobs with their rows locked until the transaction ends, in id order: the rows are locked in
   * that order (the lock is taken above the sort), so two transactions locking overlapping sets
   * this way never wait on each other in a cycle. Missing (and, with skipLocked, busy) jobs are
   * absent.
   */
  static List<JobSnapshot> lock(Handle h, Collection<JobId> ids, boolean skipLocked) {
    return h.createQuery(
            "SELECT "
                + JobColumns.NAMES
                + " FROM jobs WHERE id = ANY(:ids) ORDER BY id FOR UPDATE"
                + (skipLocked ? " SKIP LOCKED" : ""))
        .bind("ids", ids.stream().map(JobId::value).distinct().toArray(UUID[]::new))
        .map(JobRows.JOB)
        .list();
  }

  static Optional<JobSnapshot> find(Handle h, JobId id) {
    return h.createQuery("SELECT " + JobColumns.NAMES + " FROM jobs WHERE id = :id")
        .bind("id", id.value())
        .map(JobRows.JOB)
        .findOne();
  }

  static String columns() {
    return JobColumns.NAMES;
  }

  /**
   * Appends events after the job's last one. Callers hold the job row's lock (they just inserted or
   * updated it), so the sequence numbers cannot race.
   */
  static void appendEvents(Handle h, JobId id, List<TimelineEvent> events) {
    appendEvents(h, Map.of(id, events));
  }

  /**
   * Appends the events of several jobs in one statement ({@link #APPEND_EVENTS}). Callers hold
   * every job's row lock, so no one else appends to these jobs meanwhile.
   */
  static void appendEvents(Handle h, Map<JobId, List<TimelineEvent>> eventsByJob) {
    Map<JobId, List<TimelineEvent>> byJob = new LinkedHashMap<>();
    eventsByJob.forEach(
        (id, events) -> {
          if (!events.isEmpty()) {
            byJob.put(id, events);
          }
        });
    if (byJob.isEmpty()) {
      return;
    }
    List<UUID> jobIds = new ArrayList<>();
    List<Integer> offsets = new ArrayList<>();
    List<String> occurred = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<String> from = new ArrayList<>();
    List<String> to = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<Integer> runs = new ArrayList<>();
    List<Integer> attempts = new ArrayList<>();
    byJob.forEach(
        (id, events) -> {
          int offset = 0;
          for (TimelineEvent e : events) {
            jobIds.add(id.value());
            offsets.add(++offset);
            occurred.add(e.timestamp().toString());
            types.add(e.type().name());
            from.add(JobRows.name(e.from()));
            to.add(e.to().name());
            sources.add(e.source());
            messages.add(e.message());
            reasons.add(e.error() == null ? null : e.error().reason());
            errors.add(e.error() == null ? null : e.error().message());
            runs.add(e.runId());
            attempts.add(e.attempt());
          }
        });
    h.createUpdate(APPEND_EVENTS)
        .bind("job_ids", jobIds.toArray(UUID[]::new))
        .bind("offsets", offsets.toArray(Integer[]::new))
        .bind("occurred_ats", occurred.toArray(String[]::new))
        .bind("event_types", types.toArray(String[]::new))
        .bind("from_statuses", from.toArray(String[]::new))
        .bind("to_statuses", to.toArray(String[]::new))
        .bind("sources", sources.toArray(String[]::new))
        .bind("messages", messages.toArray(String[]::new))
        .bind("error_reasons", reasons.toArray(String[]::new))
        .bind("error_messages", errors.toArray(String[]::new))
        .bind("run_ids", runs.toArray(Integer[]::new))
        .bind("attempts", attempts.toArray(Integer[]::new))
        .execute();
  }

  static List<TimelineEvent> events(
      Handle h, JobId id, boolean newestFirst, int limit, int offset) {
    return h.createQuery(
            "SELECT "
                + EVENT_COLUMNS
                + " FROM job_events WHERE job_id = :id ORDER BY id "
                + (newestFirst ? "DESC" : "ASC")
                + " LIMIT :limit OFFSET :offset")
        .bind("id", id.value())
        .bind("limit", limit)
        .bind("offset", offset)
        .map(JobRows.EVENT)
        .list();
  }

  static long countEvents(Handle h, JobId id) {
    return h.createQuery("SELECT count(*) FROM job_events WHERE job_id = :id")
        .bind("id", id.value())
        .mapTo(Long.class)
        .one();
  }

  /** Per-status counts from the summary table, all statuses present. */
  static Map<JobStatus, Long> summaryCounts(Handle h, WhereClause where) {
    return toStatusMap(
        h,
        "SELECT status, SUM(count) AS n FROM job_status_counts WHERE "
            + where.sql()
            + " GROUP BY status",
        where);
  }

  /** Per-status counts by scanning the jobs that match, all statuses present. */
  static Map<JobStatus, Long> scanCounts(Handle h, WhereClause where) {
    return toStatusMap(
        h,
        "SELECT status, count(*) AS n FROM jobs WHERE " + where.sql() + " GROUP BY status",
        where);
  }

  private static Map<JobStatus, Long> toStatusMap(Handle h, String sql, WhereClause where) {
    Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
    for (JobStatus s : JobStatus.values()) {
      counts.put(s, 0L);
    }
    h.createQuery(sql)
        .bindMap(where.params())
        .map((rs, ctx) -> Map.entry(rs.getString("status"), rs.getLong("n")))
        .forEach(e -> counts.merge(JobStatus.valueOf(e.getKey()), e.getValue(), Long::sum));
    return counts;
  }
}
