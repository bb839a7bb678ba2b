package io.jobplane.domain.graph;

import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobDependencies;
import java.util.List;
import java.util.Objects;

/**
 * One node of a graph being submitted: its name, the names of the nodes it waits for, what they
 * must end as, and the job it runs. Checked as part of its {@link JobGraphSpec}, which can name the
 * node's position in its errors.
 */
public record GraphNode(
    String name, List<String> dependsOn, JobDependencies.Condition condition, JobDefinition job) {

  public GraphNode {
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    condition = condition == null ? JobDependencies.Condition.SUCCEEDED : condition;
    Objects.requireNonNull(job, "job");
  }
}
