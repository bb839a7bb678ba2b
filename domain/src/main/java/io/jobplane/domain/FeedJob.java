package io.jobplane.domain;

import java.util.Objects;

/**
 * What a live list stream filters on, read with each feed event: the job's project, type, queue and
 * labels as they are now (a stream filters the job, not the historical event).
 */
public record FeedJob(String project, String type, String queue, Labels labels) {

  public FeedJob {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(queue, "queue");
    labels = labels == null ? Labels.EMPTY : labels;
  }
}
