package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.JobRepository;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.TimelineEvent;
import io.jobplane.domain.query.Cursor;
import io.jobplane.domain.query.JobFilter;
import io.jobplane.domain.query.JobPage;
import io.jobplane.domain.query.JobQuery;
import io.jobplane.domain.query.Page;
import io.jobplane.domain.query.PageRequest;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * {@link JobRepository} on PostgreSQL. Each method runs in its own transaction, or joins the one a
 * {@link JdbiTransactionRunner} has open on the current thread. Writes are optimistic: the row is
 * changed only {@code WHERE version = :expected}, so of two racing writers the second one waits for
 * the first to commit, then matches no row and gets a CONFLICT.
 */
public final class JdbiJobRepository implements JobRepository {

  private final Jdbi jdbi;

  public JdbiJobRepository(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public JobSnapshot insert(Job job) {
    return insertAll(List.of(job)).get(0);
  }

  /**
   * All the rows in one statement and all the events in another. Each job adds to its key's count
   * slot as it is inserted; with several keys, their slots are locked first, in key order (see
   * {@link JobDao#lockStatusCounts}), so two batches cannot deadlock on them.
   */
  @Override
  public List<JobSnapshot> insertAll(List<Job> added) {
    if (added.isEmpty()) {
      return List.of();
    }
    List<JobSnapshot> snapshots = added.stream().map(Job::snapshot).toList();
    Map<JobId, List<TimelineEvent>> events = new LinkedHashMap<>();
    added.forEach(j -> events.put(j.id(), j.uncommittedEvents()));
    return jdbi.inTransaction(
        h -> {
          List<String[]> counts = insertedCountKeys(snapshots);
          if (counts.size() > 1) {
            JobDao.lockStatusCounts(h, counts);
          }
          try {
            if (snapshots.size() == 1) {
              JobDao.insert(h, snapshots.get(0), 1L);
            } else {
              JobDao.insertAll(h, snapshots);
            }
          } catch (UnableToExecuteStatementException e) {
            if (SqlErrors.isUniqueViolation(e)) {
              throw DomainException.conflict(
                  snapshots.size() == 1
                      ? "job " + snapshots.get(0).id() + " already exists"
                      : "one of " + snapshots.size() + " new jobs already exists");
            }
            throw e;
          }
          JobDao.appendEvents(h, events);
          return snapshots.stream().map(s -> s.withVersion(1L)).toList();
        });
  }

  @Override
  public JobSnapshot update(Job job) {
    JobSnapshot s = job.snapshot();
    long expected = s.version();
    List<TimelineEvent> events = job.uncommittedEvents();
    return jdbi.inTransaction(
        h -> {
          if (JobDao.update(h, s, expected, expected + 1) == 0) {
            throw lostRace(JobDao.exists(h, s.id()), s.id());
          }
          JobDao.appendEvents(h, s.id(), events);
          return s.withVersion(expected + 1);
        });
  }

  @Override
  public List<JobSnapshot> updateAll(List<Job> batch) {
    if (batch.isEmpty()) {
      return List.of();
    }
    if (batch.size() == 1) {
      return List.of(update(batch.get(0)));
    }
    List<JobSnapshot> snapshots = batch.stream().map(Job::snapshot).toList();
    Map<JobId, List<TimelineEvent>> events = new LinkedHashMap<>();
    batch.forEach(j -> events.put(j.id(), j.uncommittedEvents()));
    if (events.size() != batch.size()) {
      throw new IllegalArgumentException("updateAll takes each job at most once");
    }
    return jdbi.inTransaction(
        h -> {
          List<String[]> counts = statusCountKeys(batch);
          if (counts.size() > 2) {
            JobDao.lockStatusCounts(h, counts);
          }
          int[] changed = JobDao.updateAll(h, snapshots);
          for (int i = 0; i < changed.length; i++) {
            if (changed[i] == 0) {
              throw lostRace(JobDao.exists(h, snapshots.get(i).id()), snapshots.get(i).id());
            }
          }
          JobDao.appendEvents(h, events);
          return snapshots.stream().map(s -> s.withVersion(s.version() + 1)).toList();
        });
  }

  /** The (project, type, status) count rows new jobs add to, each once. */
  private static List<String[]> insertedCountKeys(List<JobSnapshot> added) {
    return added.stream()
        .map(s -> List.of(s.definition().project(), s.definition().type(), s.status().name()))
        .distinct()
        .map(k -> k.toArray(String[]::new))
        .toList();
  }

  /**
   * The (project, type, status) count rows the jobs' status changes touch: for each job that
   * recorded events, every status its events name (a superset of where it came from and went to).
   */
  private static List<String[]> statusCountKeys(List<Job> jobs) {
    Set<List<String>> keys =
        new TreeSet<>(
            Comparator.comparing((List<String> k) -> k.get(0))
                .thenComparing(k -> k.get(1))
                .thenComparing(k -> k.get(2)));
    for (Job job : jobs) {
      JobDefinition d = job.snapshot().definition();
      for (TimelineEvent e : job.uncommittedEvents()) {
        if (e.from() != null && e.from() != e.to()) {
          keys.add(List.of(d.project(), d.type(), e.from().name()));
          keys.add(List.of(d.project(), d.type(), e.to().name()));
        }
      }
    }
    return keys.stream().map(k -> k.toArray(String[]::new)).toList();
  }

  @Override
  public Optional<JobSnapshot> findById(JobId id) {
    return jdbi.withHandle(h -> JobDao.find(h, id));
  }

  @Override
  public void delete(JobId id, long expectedVersion) {
    jdbi.useTransaction(
        h -> {
          // events and idempotency keys go by ON DELETE CASCADE, the status count by trigger
          if (JobDao.delete(h, id, expectedVersion) == 0) {
            throw lostRace(JobDao.exists(h, id), id);
          }
        });
  }

  private static DomainException lostRace(boolean stillExists, JobId id) {
    return stillExists
        ? DomainException.conflict("job " + id + " was changed concurrently; reload and retry")
        : DomainException.notFound("job " + id + " not found");
  }

  @Override
  public JobPage list(JobQuery query) {
    JobFilter filter = query.filter();
    PageRequest page = query.page();
    return jdbi.withHandle(
        h -> {
          // statusCounts ignore the status part of the filter; total is their sum over it
          Map<JobStatus, Long> counts =
              filter.countableFromSummary()
                  ? JobDao.summaryCounts(h, JobSql.summaryWhere(filter))
                  : JobDao.scanCounts(h, JobSql.where(filter, false));
          long total =
              counts.entrySet().stream()
                  .filter(e -> filter.statuses() == null || filter.statuses().contains(e.getKey()))
                  .mapToLong(Map.Entry::getValue)
                  .sum();

          WhereClause where = JobSql.where(filter, true);
          Cursor cursor = page.cursor();
          if (cursor != null) {
            JobSql.after(query.sort(), cursor, where);
          }
          List<JobSnapshot> rows =
              h.createQuery(
                      "SELECT "
                          + JobDao.columns()
                          + " FROM jobs WHERE "
                          + where.sql()
                          + " ORDER BY "
                          + JobSql.orderBy(query.sort())
                          + " LIMIT :limit OFFSET :offset")
                  .bindMap(where.params())
                  .bind("limit", page.limit() + 1)
                  .bind("offset", page.offset())
                  .map(JobRows.JOB)
                  .list();
          boolean hasMore = rows.size() > page.limit();
          List<JobSnapshot> items = hasMore ? rows.subList(0, page.limit()) : rows;
          String next =
              hasMore
                  ? Cursor.after(query.sort(), filter, items.get(items.size() - 1)).encode()
                  : null;
          return new JobPage(
              new Page<>(items, total, page.limit(), page.offset(), hasMore, next), counts);
        });
  }

  @Override
  public Page<TimelineEvent> timeline(JobId id, int limit, int offset) {
    return jdbi.withHandle(
        h -> {
          long total = JobDao.countEvents(h, id);
          List<TimelineEvent> items = JobDao.events(h, id, false, limit, offset);
          boolean hasMore = (long) offset + items.size() < total;
          return new Page<>(items, total, limit, offset, hasMore, null);
        });
  }

  @Override
  public List<TimelineEvent> latestEvents(JobId id, int limit) {
    if (limit <= 0) {
      return List.of(); // the use case does not validate this limit; LIMIT -1 would be an error
    }
    return jdbi.withHandle(h -> JobDao.events(h, id, true, limit, 0));
  }

  @Override
  public Map<JobStatus, Long> countByStatus() {
    return jdbi.withHandle(h -> JobDao.summaryCounts(h, JobSql.summaryWhere(JobFilter.ALL)));
  }
}
