package io.jobplane.adapters.rest.resource;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.jobplane.adapters.rest.dto.TelemetryResponses.OutputListResponse;
import io.jobplane.application.port.in.TelemetryQueries;
import io.jobplane.domain.JobId;
import io.jobplane.domain.query.Page;
import io.jobplane.domain.telemetry.OutputRecord;
import io.jobplane.domain.telemetry.Stored;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Locale;

/** A job's output preview records, as JSON pages or as CSV. */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "telemetry")
public class JobOutputResource {

  public static final String TEXT_CSV = "text/csv";
  private static final CsvMapper CSV = new CsvMapper();
  private static final CsvSchema OUTPUT_CSV = CSV.schemaFor(OutputCsvRow.class).withHeader();

  /** One output record as a CSV row; the record is its JSON text. */
  @JsonPropertyOrder({"id", "timestamp", "operator_id", "task_index", "run_id", "record"})
  record OutputCsvRow(
      @JsonProperty("id") long id,
      @JsonProperty("timestamp") String timestamp,
      @JsonProperty("operator_id") String operatorId,
      @JsonProperty("task_index") int taskIndex,
      @JsonProperty("run_id") int runId,
      @JsonProperty("record") String record) {}

  @Inject private TelemetryQueries telemetry;
  @Context private SecurityContext security;

  @GET
  @Path("{id}/output")
  @Produces({MediaType.APPLICATION_JSON, TEXT_CSV})
  @Operation(
      operationId = "getJobOutput",
      summary = "Output preview records, oldest first, as JSON or CSV",
      description =
          "The job keeps its newest 1,000 records. format=csv answers text/csv with a header"
              + " row (id, timestamp, operator_id, task_index, run_id, record as JSON text).",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the job's output",
            content = {
              @Content(
                  mediaType = MediaType.APPLICATION_JSON,
                  schema = @Schema(implementation = OutputListResponse.class)),
              @Content(mediaType = TEXT_CSV, schema = @Schema(type = "string"))
            })
      })
  public Response output(
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("id") String id,
      @QueryParam("operator_id") String operatorId,
      @Parameter(
              schema =
                  @Schema(type = "integer", minimum = "1", maximum = "1000", defaultValue = "100"))
          @QueryParam("limit")
          String limit,
      @Parameter(schema = @Schema(type = "integer", minimum = "0", defaultValue = "0"))
          @QueryParam("offset")
          String offset,
      @Parameter(
              schema =
                  @Schema(
                      allowableValues = {"json", "csv"},
                      defaultValue = "json"))
          @QueryParam("format")
          String format) {
    Params p = new Params();
    JobId jobId = p.parse("id", () -> JobId.parse(id));
    Params.OffsetPage pg = p.offsetPage(limit, offset, TelemetryQueries.MAX_LIMIT, 100);
    String fmt = format == null ? "json" : format.trim().toLowerCase(Locale.ROOT);
    if (!fmt.equals("json") && !fmt.equals("csv")) {
      p.error("format", "must be json or csv");
    }
    p.check();
    Page<Stored<OutputRecord>> page =
        telemetry.output(Callers.of(security), jobId, operatorId, pg.limit(), pg.offset());
    if (fmt.equals("csv")) {
      return Response.ok(csv(page), TEXT_CSV + ";charset=utf-8").build();
    }
    return Response.ok(OutputListResponse.from(operatorId, page), MediaType.APPLICATION_JSON_TYPE)
        .build();
  }

  private static String csv(Page<Stored<OutputRecord>> page) {
    var rows =
        page.items().stream()
            .map(
                s ->
                    new OutputCsvRow(
                        s.id(),
                        s.value().timestamp().toString(),
                        s.value().operatorId(),
                        s.value().taskIndex(),
                        s.runId(),
                        s.value().recordJson()))
            .toList();
    try {
      return CSV.writer(OUTPUT_CSV).writeValueAsString(rows);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("output rows are always serializable", e);
    }
  }
}
