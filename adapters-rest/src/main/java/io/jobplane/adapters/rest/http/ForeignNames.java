package io.jobplane.adapters.rest.http;

import io.jobplane.domain.JobStatus;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Names that clients bring from the job APIs they migrate from (the documents in {@code
 * docs/migrating.md}), and Jobplane's name for each. They stay refused, since our API has one name
 * per thing, but the refusal says which name to use instead.
 */
public final class ForeignNames {

  private static final Map<String, String> PARAMETERS =
      Map.ofEntries(
          Map.entry("ordering", "sort"),
          Map.entry("order_by", "sort"),
          Map.entry("orderby", "sort"),
          Map.entry("page_size", "limit"),
          Map.entry("per_page", "limit"),
          Map.entry("size", "limit"),
          Map.entry("page_index", "offset"),
          Map.entry("page", "cursor"),
          Map.entry("state", "status"),
          Map.entry("pipeline_id", "type"),
          Map.entry("job_type", "type"),
          Map.entry("label_selector", "labels"),
          Map.entry("owner", "created_by"),
          Map.entry("since", "created_after"),
          Map.entry("q", "search"),
          Map.entry("name", "search"),
          Map.entry("include", "expand"),
          Map.entry("embed", "expand"),
          Map.entry("select", "fields"));

  private static final Map<String, JobStatus> STATUSES =
      Map.ofEntries(
          Map.entry("completed", JobStatus.SUCCEEDED),
          Map.entry("complete", JobStatus.SUCCEEDED),
          Map.entry("success", JobStatus.SUCCEEDED),
          Map.entry("finished", JobStatus.SUCCEEDED),
          Map.entry("done", JobStatus.SUCCEEDED),
          Map.entry("failure", JobStatus.FAILED),
          Map.entry("error", JobStatus.FAILED),
          Map.entry("partial_failure", JobStatus.PARTIALLY_FAILED),
          Map.entry("processing", JobStatus.RUNNING),
          Map.entry("started", JobStatus.RUNNING),
          Map.entry("in_progress", JobStatus.RUNNING),
          Map.entry("submitted", JobStatus.QUEUED),
          Map.entry("scheduling", JobStatus.QUEUED),
          Map.entry("waiting", JobStatus.QUEUED),
          Map.entry("created", JobStatus.PENDING),
          Map.entry("initializing", JobStatus.PENDING),
          Map.entry("canceled", JobStatus.STOPPED),
          Map.entry("cancelled", JobStatus.STOPPED),
          Map.entry("terminated", JobStatus.STOPPED),
          Map.entry("aborted", JobStatus.STOPPED),
          Map.entry("timedout", JobStatus.TIMED_OUT),
          Map.entry("timeout", JobStatus.TIMED_OUT),
          Map.entry("waiting_for_upload", JobStatus.SUSPENDED),
          Map.entry("paused", JobStatus.SUSPENDED));

  /** What other APIs call the parts {@code ?expand=} adds to list items. */
  private static final Map<String, String> EXPANSIONS =
      Map.ofEntries(
          Map.entry("task", "tasks"),
          Map.entry("agents", "tasks"),
          Map.entry("agent_states", "tasks"),
          Map.entry("hosts", "tasks"),
          Map.entry("events", "timeline"),
          Map.entry("event", "timeline"),
          Map.entry("history", "timeline"),
          Map.entry("recent_events", "timeline"),
          Map.entry("item", "items"),
          Map.entry("item_counts", "items"),
          Map.entry("counts", "items"),
          Map.entry("outputs", "output"),
          Map.entry("result", "output"),
          Map.entry("results", "output"),
          Map.entry("responses", "output"));

  /** Foreign names of the fields of a job, for {@code ?fields=}. */
  private static final Map<String, String> FIELDS =
      Map.ofEntries(
          Map.entry("state", "status"),
          Map.entry("job_id", "id"),
          Map.entry("uuid", "id"),
          Map.entry("pipeline_id", "type"),
          Map.entry("job_type", "type"),
          Map.entry("created", "created_at"),
          Map.entry("updated", "updated_at"),
          Map.entry("started", "started_at"),
          Map.entry("finished", "finished_at"),
          Map.entry("completed_at", "finished_at"),
          Map.entry("result", "output"),
          Map.entry("results", "output"),
          Map.entry("owner", "created_by"),
          Map.entry("item_counts", "items"));

  private ForeignNames() {}

  /** Our parameter for a foreign one, when the operation takes it. */
  public static Optional<String> parameter(String foreign, Set<String> allowed) {
    String ours = PARAMETERS.get(foreign.toLowerCase(Locale.ROOT));
    return ours != null && allowed.contains(ours) ? Optional.of(ours) : Optional.empty();
  }

  /** Our status for a foreign one ({@code completed} is SUCCEEDED). */
  public static Optional<JobStatus> status(String foreign) {
    return Optional.ofNullable(STATUSES.get(foreign.trim().toLowerCase(Locale.ROOT)));
  }

  /** Our expansion ({@code ?expand=}) for a foreign name of it, or for a near miss. */
  public static Optional<String> expansion(String foreign) {
    return Optional.ofNullable(EXPANSIONS.get(foreign.trim().toLowerCase(Locale.ROOT)));
  }

  /** Our field of a job for a foreign one, when the job has it ({@code ?fields=}). */
  public static Optional<String> field(String foreign, Set<String> fields) {
    String ours = FIELDS.get(foreign.trim().toLowerCase(Locale.ROOT));
    return ours != null && fields.contains(ours) ? Optional.of(ours) : Optional.empty();
  }

  /** What a refusal adds: "; did you mean 'x'?", or nothing. */
  public static String hint(Optional<?> ours) {
    return ours.map(o -> "; did you mean '" + o + "'?").orElse("");
  }
}
