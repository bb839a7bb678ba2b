package io.jobplane.domain.webhook;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.Text;
import io.jobplane.domain.query.LabelSelector;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which job events a webhook is sent: those whose new status is one of {@code statuses}, of a job
 * whose type is one of {@code types} and whose labels match {@code labels} (a {@link LabelSelector}
 * as written, or null). An empty set, like a null selector, lets everything through.
 *
 * <p>The store evaluates the same rule inside the transaction that records the event (V18's
 * trigger); WebhookOutboxIT checks that both agree.
 */
public record WebhookFilter(Set<JobStatus> statuses, Set<String> types, String labels) {

  public static final int MAX_TYPES = 20;
  public static final WebhookFilter EVERYTHING = new WebhookFilter(Set.of(), Set.of(), null);

  public WebhookFilter {
    statuses = statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
    if (types.size() > MAX_TYPES) {
      throw DomainException.invalid("types", "at most " + MAX_TYPES + " job types");
    }
    types.forEach(t -> Text.identifier(t, "types"));
    types = Set.copyOf(types);
    if (labels != null) {
      LabelSelector.parse(labels); // validates; kept as written so the client reads it back
      labels = labels.trim();
    }
  }

  /** Statuses and types from what a client wrote (names, in any case); null lists are empty. */
  public static WebhookFilter of(
      Collection<String> statuses, Collection<String> types, String labels) {
    Set<JobStatus> parsed = EnumSet.noneOf(JobStatus.class);
    if (statuses != null) {
      statuses.forEach(s -> parsed.add(JobStatus.parse(s, "statuses")));
    }
    return new WebhookFilter(parsed, types == null ? Set.of() : Set.copyOf(types), labels);
  }

  public LabelSelector selector() {
    return LabelSelector.parse(labels);
  }

  /** Statuses in lifecycle order, for readers. */
  public List<JobStatus> sortedStatuses() {
    return statuses.isEmpty() ? List.of() : List.copyOf(EnumSet.copyOf(statuses));
  }

  public List<String> sortedTypes() {
    return List.copyOf(new TreeSet<>(types));
  }

  public boolean matches(JobStatus to, String type, Map<String, String> jobLabels) {
    return (statuses.isEmpty() || statuses.contains(to))
        && (types.isEmpty() || types.contains(type))
        && selector().matches(jobLabels);
  }
}
