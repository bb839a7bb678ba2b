package io.jobplane.domain.query;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.Sha256;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which jobs a list returns. {@code visibleProjects} is not chosen by the client but by its token:
 * null means every project, otherwise only these. All other fields are optional (null = any).
 */
public record JobFilter(
    Set<JobStatus> statuses,
    String type,
    String project,
    String queue,
    JobRuntime runtime,
    LabelSelector labels,
    String createdBy,
    Instant createdAfter,
    Instant createdBefore,
    String search,
    Set<String> visibleProjects) {

  public static final int MAX_SEARCH = 200;

  /** Every job of every project. */
  public static final JobFilter ALL = builder().build();

  public JobFilter {
    statuses = statuses == null || statuses.isEmpty() ? null : Set.copyOf(statuses);
    labels = labels == null ? LabelSelector.EVERYTHING : labels;
    visibleProjects = visibleProjects == null ? null : Set.copyOf(visibleProjects);
    if (createdAfter != null && createdBefore != null && !createdAfter.isBefore(createdBefore)) {
      throw DomainException.invalid("created_after", "must be before created_before");
    }
    if (search != null) {
      if (search.isBlank()) {
        search = null;
      } else if (search.length() > MAX_SEARCH) {
        throw DomainException.invalid("search", "must be at most " + MAX_SEARCH + " characters");
      } else if (search.chars().anyMatch(Character::isISOControl)) {
        throw DomainException.invalid("search", "must not contain control characters");
      }
    }
  }

  public JobFilter withVisibleProjects(Set<String> projects) {
    return toBuilder().visibleProjects(projects).build();
  }

  /** The same filter with a name search (validated like any filter's). */
  public JobFilter withSearch(String newSearch) {
    return toBuilder().search(newSearch).build();
  }

  public JobFilter withoutStatuses() {
    return toBuilder().statuses(null).build();
  }

  /** A filter built field by field, by name; {@link #ALL} when nothing is set. */
  public static JobFilterBuilder builder() {
    return new JobFilterBuilder();
  }

  public JobFilterBuilder toBuilder() {
    return builder()
        .statuses(statuses)
        .type(type)
        .project(project)
        .queue(queue)
        .runtime(runtime)
        .labels(labels)
        .createdBy(createdBy)
        .createdAfter(createdAfter)
        .createdBefore(createdBefore)
        .search(search)
        .visibleProjects(visibleProjects);
  }

  /**
   * True when only the dimensions kept in the status counts table are constrained, so counts can be
   * read without scanning jobs.
   */
  public boolean countableFromSummary() {
    return queue == null
        && runtime == null
        && labels.isEmpty()
        && createdBy == null
        && createdAfter == null
        && createdBefore == null
        && search == null;
  }

  /** The reference semantics of the filter; adapters must return exactly the jobs this accepts. */
  public boolean matches(JobSnapshot job) {
    var d = job.definition();
    return (statuses == null || statuses.contains(job.status()))
        && (type == null || type.equals(d.type()))
        && (project == null || project.equals(d.project()))
        && (queue == null || queue.equals(d.queue()))
        && (runtime == null || runtime == d.runtime())
        && labels.matches(d.labels().values())
        && (createdBy == null || createdBy.equals(job.createdBy()))
        && (createdAfter == null || !job.createdAt().isBefore(createdAfter))
        && (createdBefore == null || job.createdAt().isBefore(createdBefore))
        && (search == null
            || d.name().toLowerCase(Locale.ROOT).contains(search.toLowerCase(Locale.ROOT)))
        && (visibleProjects == null || visibleProjects.contains(d.project()));
  }

  /**
   * A stable digest of the client-chosen filter, so a cursor cannot be reused across filters. The
   * visible projects are left out: they come from the token, not the client, and are applied to
   * every page anyway.
   */
  public String fingerprint() {
    String text =
        String.join(
            "|",
            String.valueOf(statuses == null ? null : new TreeSet<>(statuses)),
            type,
            project,
            queue,
            String.valueOf(runtime),
            labels.requirements().toString(),
            createdBy,
            String.valueOf(createdAfter),
            String.valueOf(createdBefore),
            search);
    return java.util.HexFormat.of().formatHex(Sha256.of(text), 0, 12);
  }
}
