package io.jobplane.adapters.rest.resource;

import io.jobplane.application.security.Caller;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.query.JobFilter;
import io.jobplane.domain.query.JobQuery;
import io.jobplane.domain.query.LabelSelector;
import io.jobplane.domain.query.PageRequest;
import io.jobplane.domain.query.Sort;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.util.Set;

/**
 * The filters and sort of {@code GET /api/v1/jobs} as the client wrote them, read with the page
 * into one {@link JobQuery}, every bad parameter reported together. The fields are public because
 * swagger reads a bean parameter's properties as Jackson sees them. The page's parameters stay on
 * the method: swagger documents a bean property with the field's Java type, and limit and offset,
 * read as text to be refused by name, are integers on the wire.
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

  /**
   * The query, scoped to the caller's projects up front so that a cursor keeps matching its filter;
   * a 400 naming every bad parameter otherwise.
   */
  JobQuery toQuery(Caller caller, String limit, String offset, String cursor) {
    Params p = new Params();
    Set<JobStatus> statuses = p.statuses("status", status);
    JobRuntime rt =
        runtime == null ? null : p.parse("runtime", () -> JobRuntime.parse(runtime, "runtime"));
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
