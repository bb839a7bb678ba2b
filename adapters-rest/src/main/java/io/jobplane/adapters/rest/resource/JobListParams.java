package io.jobplane.adapters.rest.resource;

import io.jobplane.adapters.rest.dto.JobResponse;
import io.jobplane.adapters.rest.http.ForeignNames;
import io.jobplane.adapters.rest.json.WireNames;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.query.JobFilter;
import io.jobplane.domain.query.JobQuery;
import io.jobplane.domain.query.LabelSelector;
import io.jobplane.domain.query.ListExpansion;
import io.jobplane.domain.query.PageRequest;
import io.jobplane.domain.query.Sort;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The filters, sort, expansions and fields of {@code GET /api/v1/jobs} as the client wrote them,
 * read with the page into one {@link JobQuery} and what to add to and keep of each item, every bad
 * parameter reported together. The fields are public because swagger reads a bean parameter's
 * properties as Jackson sees them. The page's parameters stay on the method: swagger documents a
 * bean property with the field's Java type, and limit and offset, read as text to be refused by
 * name, are integers on the wire.
 */
public final class JobListParams {

  @Parameter(description = "comma-separated statuses, case-insensitive, e.g. queued,running")
  @QueryParam("status")
  public String status;

  @QueryParam("type")
  public String type;

  @QueryParam("project")
  public String project;

  @QueryParam("queue")
  public String queue;

  @Parameter(schema = @Schema(allowableValues = {"worker", "kubernetes"}))
  @QueryParam("runtime")
  public String runtime;

  @Parameter(description = "label selector, e.g. env=prod,tier!=web,gpu,!spot")
  @QueryParam("labels")
  public String labels;

  @QueryParam("created_by")
  public String createdBy;

  @Parameter(description = "RFC 3339, inclusive", schema = @Schema(format = "date-time"))
  @QueryParam("created_after")
  public String createdAfter;

  @Parameter(description = "RFC 3339, exclusive", schema = @Schema(format = "date-time"))
  @QueryParam("created_before")
  public String createdBefore;

  @Parameter(description = "case-insensitive substring of the name")
  @QueryParam("search")
  public String search;

  @Parameter(
      description =
          "comma-separated fields, '-' for descending: created_at, updated_at, name,"
              + " status, priority, progress",
      schema = @Schema(defaultValue = "-created_at"))
  @QueryParam("sort")
  public String sort;

  @Parameter(
      description =
          "comma-separated parts to add to each item, each bounded per job: tasks (counts, and"
              + " the first "
              + ListExpansion.TASKS_PER_JOB
              + " tasks in extras.tasks), timeline (the newest "
              + ListExpansion.EVENTS_PER_JOB
              + " events in extras.recent_events), items (summed item counts), output (the"
              + " run's output, of the first "
              + ListExpansion.TASKS_PER_JOB
              + " tasks, each at most "
              + ListExpansion.OUTPUT_MAX_BYTES
              + " bytes). Each costs one more database read for the whole page.",
      example = "tasks,timeline")
  @QueryParam("expand")
  public String expand;

  @Parameter(
      description =
          "comma-separated top-level fields to keep in each item (id is always kept), e.g."
              + " id,name,status,items; applies after expand",
      example = "id,name,status")
  @QueryParam("fields")
  public String fields;

  /** What a list request asks for: the query, the expansions, the fields to keep (null: all). */
  record ListRequest(JobQuery query, Set<ListExpansion> expand, Set<String> fields) {}

  /** The query with the expansions and fields; one 400 naming every bad parameter otherwise. */
  ListRequest read(Caller caller, String limit, String offset, String cursor) {
    Params p = new Params();
    Set<ListExpansion> expansions = p.expansions("expand", expand);
    Set<String> kept = fields(p, fields);
    JobQuery query = toQuery(p, caller, limit, offset, cursor);
    return new ListRequest(query, expansions, kept);
  }

  /** The fields to keep, {@code id} among them; null when the client named none. */
  private static Set<String> fields(Params p, String text) {
    if (text == null) {
      return null;
    }
    Set<String> known = JobResponse.fieldNames();
    Set<String> kept = new LinkedHashSet<>();
    kept.add("id");
    for (String f : text.split(",", -1)) {
      String name = f.trim();
      if (name.isEmpty()) {
        p.error("fields", "must not name an empty field");
      } else if (known.contains(name)) {
        kept.add(name);
      } else {
        p.error(
            "fields",
            "unknown field '"
                + name
                + "'"
                + ForeignNames.hint(ForeignNames.field(name, known))
                + "; a job has "
                + String.join(", ", known));
      }
    }
    return kept;
  }

  /**
   * The query, scoped to the caller's projects up front so that a cursor keeps matching its filter;
   * a 400 naming every bad parameter otherwise.
   */
  private JobQuery toQuery(Params p, Caller caller, String limit, String offset, String cursor) {
    Set<JobStatus> statuses = p.statuses("status", status);
    JobRuntime rt =
        runtime == null ? null : p.parse("runtime", () -> WireNames.runtime(runtime, "runtime"));
    LabelSelector selector = p.parse("labels", () -> LabelSelector.parse(labels));
    Instant after = p.instant("created_after", createdAfter);
    Instant before = p.instant("created_before", createdBefore);
    Sort order = p.parse("sort", () -> Sort.parse(sort));
    Integer lim = p.integer("limit", limit, 1, PageRequest.MAX_LIMIT);
    Integer off = p.integer("offset", offset, 0, PageRequest.MAX_OFFSET);
    if (cursor != null && offset != null) {
      p.error("cursor", "cannot be combined with offset");
    }
    p.check();
    // the range first and the search on its own, so each refusal names its parameter
    JobFilter filter =
        p.parse(
            "created_after",
            () ->
                new JobFilter(
                    statuses,
                    type,
                    project,
                    queue,
                    rt,
                    selector,
                    createdBy,
                    after,
                    before,
                    null,
                    caller.projects()));
    p.check();
    JobFilter searched = p.parse("search", () -> filter.withSearch(search));
    PageRequest page = p.parse("cursor", () -> PageRequest.of(lim, off, cursor));
    p.check();
    JobQuery query = p.parse("cursor", () -> new JobQuery(searched, order, page));
    p.check();
    return query;
  }
}
