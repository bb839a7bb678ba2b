package io.jobplane.domain.query;

import io.jobplane.domain.FeedEvent;
import io.jobplane.domain.JobStatus;
import java.util.Set;

/**
 * Which events a live list stream carries: the list's filters that make sense for a stream of
 * changes. {@code statuses} matches the status an event moved the job to, so a client watching
 * {@code status=failed} sees each job as it fails. All fields are optional (null = any).
 */
public record StreamFilter(
    Set<JobStatus> statuses, String project, String type, String queue, LabelSelector labels) {

  /** Every event of every job. */
  public static final StreamFilter ALL = builder().build();

  public StreamFilter {
    statuses = statuses == null || statuses.isEmpty() ? null : Set.copyOf(statuses);
    labels = labels == null ? LabelSelector.EVERYTHING : labels;
  }

  /** A filter built field by field, by name; {@link #ALL} when nothing is set. */
  public static Builder builder() {
    return new Builder();
  }

  /** Named setters; a field left unset matches any event. */
  public static final class Builder {
    private Set<JobStatus> statuses;
    private String project;
    private String type;
    private String queue;
    private LabelSelector labels;

    private Builder() {}

    /** The statuses an event may move its job to. */
    public Builder statuses(Set<JobStatus> value) {
      this.statuses = value;
      return this;
    }

    public Builder project(String value) {
      this.project = value;
      return this;
    }

    public Builder type(String value) {
      this.type = value;
      return this;
    }

    public Builder queue(String value) {
      this.queue = value;
      return this;
    }

    public Builder labels(LabelSelector value) {
      this.labels = value;
      return this;
    }

    public StreamFilter build() {
      return new StreamFilter(statuses, project, type, queue, labels);
    }
  }

  public boolean matches(FeedEvent e) {
    var job = e.job();
    return (statuses == null || statuses.contains(e.event().to()))
        && (project == null || project.equals(job.project()))
        && (type == null || type.equals(job.type()))
        && (queue == null || queue.equals(job.queue()))
        && labels.matches(job.labels().values());
  }
}
