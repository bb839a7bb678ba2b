package io.jobplane.domain.query;

import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.JobStatus;
import java.time.Instant;
import java.util.Set;

/** Named setters for a {@link JobFilter}; a field left unset matches any job. */
public final class JobFilterBuilder {
  private Set<JobStatus> statuses;
  private String type;
  private String project;
  private String queue;
  private JobRuntime runtime;
  private LabelSelector labels;
  private String createdBy;
  private Instant createdAfter;
  private Instant createdBefore;
  private String search;
  private Set<String> visibleProjects;

  JobFilterBuilder() {}

  public JobFilterBuilder statuses(Set<JobStatus> value) {
    this.statuses = value;
    return this;
  }

  public JobFilterBuilder type(String value) {
    this.type = value;
    return this;
  }

  public JobFilterBuilder project(String value) {
    this.project = value;
    return this;
  }

  public JobFilterBuilder queue(String value) {
    this.queue = value;
    return this;
  }

  public JobFilterBuilder runtime(JobRuntime value) {
    this.runtime = value;
    return this;
  }

  public JobFilterBuilder labels(LabelSelector value) {
    this.labels = value;
    return this;
  }

  public JobFilterBuilder createdBy(String value) {
    this.createdBy = value;
    return this;
  }

  public JobFilterBuilder createdAfter(Instant value) {
    this.createdAfter = value;
    return this;
  }

  public JobFilterBuilder createdBefore(Instant value) {
    this.createdBefore = value;
    return this;
  }

  public JobFilterBuilder search(String value) {
    this.search = value;
    return this;
  }

  /** Not the client's choice: the projects its token may see, or null for all. */
  public JobFilterBuilder visibleProjects(Set<String> value) {
    this.visibleProjects = value;
    return this;
  }

  /** The filter, validated as {@link JobFilter}'s constructor does for every entry path. */
  public JobFilter build() {
    return new JobFilter(
        statuses,
        type,
        project,
        queue,
        runtime,
        labels,
        createdBy,
        createdAfter,
        createdBefore,
        search,
        visibleProjects);
  }
}
