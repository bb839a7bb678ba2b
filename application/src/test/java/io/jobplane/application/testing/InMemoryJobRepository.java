package io.jobplane.application.testing;

import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.TimelineFeed;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.FeedEvent;
import io.jobplane.domain.FeedJob;
import io.jobplane.domain.Job;
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
import io.jobplane.domain.query.Sort;
import io.jobplane.domain.query.SortField;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The reference implementation of {@link JobRepository} for tests: optimistic versions exactly as
 * the port documents them, filtering with {@link JobFilter#matches}, sorting by the {@link Sort}
 * keys (a missing progress sorts lowest, the id is the last key in the direction of the last sort
 * key), offset and keyset (cursor) paging. Every method is synchronized, so it is thread-safe.
 *
 * <p>Sort values compare like their column would: times and numbers by value, names and statuses by
 * their text, ids by their canonical text (which is PostgreSQL's uuid order).
 */
public final class InMemoryJobRepository implements JobRepository, TimelineFeed {

  private final Map<JobId, JobSnapshot> jobs = new LinkedHashMap<>();
  private final Map<JobId, List<TimelineEvent>> events = new LinkedHashMap<>();
  private final List<FeedEvent> feed = new ArrayList<>();
  private long lastEventId;

  @Override
  public synchronized JobSnapshot insert(Job job) {
    JobSnapshot snapshot = job.snapshot();
    if (jobs.containsKey(snapshot.id())) {
      throw DomainException.conflict("job " + snapshot.id() + " already exists");
    }
    JobSnapshot stored = snapshot.withVersion(1);
    jobs.put(stored.id(), stored);
    events.put(stored.id(), new ArrayList<>(job.uncommittedEvents()));
    toFeed(stored, job.uncommittedEvents());
    return stored;
  }

  @Override
  public synchronized JobSnapshot update(Job job) {
    JobSnapshot snapshot = job.snapshot();
    JobSnapshot current = jobs.get(snapshot.id());
    if (current == null) {
      throw DomainException.notFound("job " + snapshot.id() + " not found");
    }
    if (current.version() != snapshot.version()) {
      throw DomainException.conflict(
          "job "
              + snapshot.id()
              + " was changed concurrently (stored version "
              + current.version()
              + ", expected "
              + snapshot.version()
              + ")");
    }
    JobSnapshot stored = snapshot.withVersion(current.version() + 1);
    jobs.put(stored.id(), stored);
    events.get(stored.id()).addAll(job.uncommittedEvents());
    toFeed(stored, job.uncommittedEvents());
    return stored;
  }

  @Override
  public synchronized List<JobSnapshot> updateAll(List<Job> batch) {
    // all or nothing, like the store's transaction: check every job before writing any
    for (Job job : batch) {
      JobSnapshot current = jobs.get(job.id());
      if (current == null) {
        throw DomainException.notFound("job " + job.id() + " not found");
      }
      if (current.version() != job.snapshot().version()) {
        throw DomainException.conflict("job " + job.id() + " was changed concurrently");
      }
    }
    if (batch.stream().map(Job::id).distinct().count() != batch.size()) {
      throw new IllegalArgumentException("updateAll takes each job at most once");
    }
    return batch.stream().map(this::update).toList();
  }

  private void toFeed(JobSnapshot job, List<TimelineEvent> appended) {
    for (TimelineEvent e : appended) {
      feed.add(new FeedEvent(++lastEventId, job.id(), feedJob(job), e));
    }
    if (!appended.isEmpty()) {
      signals.timelineChanged();
    }
  }

  private InMemoryChangeSignals signals = new InMemoryChangeSignals();

  /** Where appended timeline events are signalled (as the store's NOTIFY trigger does). */
  public synchronized InMemoryJobRepository signalTo(InMemoryChangeSignals target) {
    this.signals = target;
    return this;
  }

  /** Like the store: ids grow across all jobs; the project is the job's current one. */
  @Override
  public synchronized List<FeedEvent> eventsAfter(
      long afterId, JobId jobId, Set<String> projects, int limit) {
    return feed.stream()
        .filter(e -> e.id() > afterId)
        .filter(e -> jobId == null || e.jobId().equals(jobId))
        .filter(e -> jobs.containsKey(e.jobId()))
        .map(e -> new FeedEvent(e.id(), e.jobId(), feedJob(jobs.get(e.jobId())), e.event()))
        .filter(e -> projects == null || projects.contains(e.project()))
        .limit(limit)
        .toList();
  }

  /** Every event is settled at once in memory. */
  @Override
  public synchronized long settledHead() {
    return lastEventId;
  }

  @Override
  public synchronized long head() {
    return lastEventId;
  }

  private static FeedJob feedJob(JobSnapshot job) {
    var d = job.definition();
    return new FeedJob(d.project(), d.type(), d.queue(), d.labels());
  }

  @Override
  public synchronized Optional<JobSnapshot> findById(JobId id) {
    return Optional.ofNullable(jobs.get(id));
  }

  @Override
  public synchronized void delete(JobId id, long expectedVersion) {
    JobSnapshot current = jobs.get(id);
    if (current == null) {
      throw DomainException.notFound("job " + id + " not found");
    }
    if (current.version() != expectedVersion) {
      throw DomainException.conflict("job " + id + " was changed concurrently");
    }
    jobs.remove(id);
    events.remove(id);
    feed.removeIf(e -> e.jobId().equals(id));
  }

  @Override
  public synchronized JobPage list(JobQuery query) {
    JobFilter filter = query.filter();
    Sort sort = query.sort();
    PageRequest request = query.page();
    Comparator<Key> order = order(sort);

    List<JobSnapshot> matching = new ArrayList<>();
    Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
    JobFilter countFilter = filter.withoutStatuses();
    for (JobSnapshot job : jobs.values()) {
      if (filter.matches(job)) {
        matching.add(job);
      }
      if (countFilter.matches(job)) {
        counts.merge(job.status(), 1L, Long::sum);
      }
    }
    matching.sort(Comparator.comparing(job -> key(sort, job), order));

    List<JobSnapshot> remaining;
    if (request.cursor() != null) {
      Key after = key(sort, request.cursor());
      remaining =
          matching.stream().filter(job -> order.compare(key(sort, job), after) > 0).toList();
    } else {
      remaining = matching.subList(Math.min(request.offset(), matching.size()), matching.size());
    }
    List<JobSnapshot> items = remaining.subList(0, Math.min(request.limit(), remaining.size()));
    boolean hasMore = remaining.size() > items.size();
    String next = hasMore ? Cursor.after(sort, filter, items.get(items.size() - 1)).encode() : null;
    Page<JobSnapshot> page =
        new Page<>(items, matching.size(), request.limit(), request.offset(), hasMore, next);
    return new JobPage(page, counts);
  }

  @Override
  public synchronized Page<TimelineEvent> timeline(JobId id, int limit, int offset) {
    List<TimelineEvent> all = events.getOrDefault(id, List.of());
    int from = Math.min(offset, all.size());
    int to = Math.min(from + limit, all.size());
    return new Page<>(all.subList(from, to), all.size(), limit, offset, to < all.size(), null);
  }

  @Override
  public synchronized List<TimelineEvent> latestEvents(JobId id, int limit) {
    List<TimelineEvent> newestFirst = new ArrayList<>(events.getOrDefault(id, List.of()));
    Collections.reverse(newestFirst);
    return List.copyOf(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
  }

  @Override
  public synchronized Map<JobStatus, Long> countByStatus() {
    Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
    for (JobStatus status : JobStatus.values()) {
      counts.put(status, 0L);
    }
    jobs.values().forEach(job -> counts.merge(job.status(), 1L, Long::sum));
    return counts;
  }

  /** Every stored job, in insertion order (a test helper, not part of the port). */
  public synchronized List<JobSnapshot> all() {
    return List.copyOf(jobs.values());
  }

  /** The whole stored timeline of a job, oldest first (a test helper, not part of the port). */
  public synchronized List<TimelineEvent> events(JobId id) {
    return List.copyOf(events.getOrDefault(id, List.of()));
  }

  public synchronized int size() {
    return jobs.size();
  }

  // ----- sorting ------------------------------------------------------------------------------

  /** The sort values of one row (nulls allowed) and its id in text form. */
  private record Key(List<Comparable<?>> values, String id) {}

  private static Key key(Sort sort, JobSnapshot job) {
    List<Comparable<?>> values = new ArrayList<>();
    for (Sort.Key k : sort.keys()) {
      values.add(typed(k.field(), k.field().cursorValue(job)));
    }
    return new Key(values, job.id().value().toString());
  }

  private static Key key(Sort sort, Cursor cursor) {
    List<Comparable<?>> values = new ArrayList<>();
    for (int i = 0; i < sort.keys().size(); i++) {
      values.add(typed(sort.keys().get(i).field(), cursor.value(i)));
    }
    return new Key(values, cursor.lastId().toString());
  }

  /** The comparable form of a field's cursor text, so rows and cursors compare alike. */
  private static Comparable<?> typed(SortField field, String text) {
    if (text == null) {
      return null;
    }
    try {
      return switch (field) {
        case CREATED_AT, UPDATED_AT -> Instant.parse(text);
        case PRIORITY, PROGRESS -> Integer.valueOf(text);
        case NAME, STATUS -> text;
      };
    } catch (RuntimeException e) {
      throw DomainException.invalid("cursor", "is not a cursor this server issued");
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Comparator<Key> order(Sort sort) {
    List<Sort.Key> keys = sort.keys();
    return (a, b) -> {
      for (int i = 0; i < keys.size(); i++) {
        Comparable x = a.values().get(i);
        Comparable y = b.values().get(i);
        int c;
        if (x == null || y == null) {
          c = x == null ? (y == null ? 0 : -1) : 1; // null sorts lowest
        } else {
          c = x.compareTo(y);
        }
        if (c != 0) {
          return keys.get(i).descending() ? -c : c;
        }
      }
      int c = a.id().compareTo(b.id());
      return sort.idDescending() ? -c : c;
    };
  }
}
