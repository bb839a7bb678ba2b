package io.jobplane.adapters.rest.resource;

import io.jobplane.adapters.rest.dto.TaskDtos.TaskBody;
import io.jobplane.adapters.rest.dto.TaskDtos.TaskCounts;
import io.jobplane.adapters.rest.dto.TaskDtos.TaskListResponse;
import io.jobplane.application.port.in.WorkerProtocolUseCase;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.TaskSummary;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** The tasks of a job's current run (read access). */
@Path("/api/v1/jobs/{id}/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs")
@Singleton
public class JobTasksResource {

  private final WorkerProtocolUseCase worker;
  private final Clock clock;

  @Inject
  public JobTasksResource(WorkerProtocolUseCase worker, Clock clock) {
    this.worker = worker;
    this.clock = clock;
  }

  @GET
  @Operation(
      operationId = "listJobTasks",
      summary = "The tasks of the job's current run, by index",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the job's tasks",
            content = @Content(schema = @Schema(implementation = TaskListResponse.class)))
      })
  public TaskListResponse tasks(
      @Context SecurityContext security,
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("id") String id) {
    Caller caller = Callers.of(security);
    List<TaskState> tasks = worker.tasks(caller, Params.jobId("id", id));
    Instant now = clock.instant();
    return new TaskListResponse(
        TaskCounts.from(TaskSummary.of(tasks)),
        tasks.stream().map(t -> TaskBody.from(t, now)).toList());
  }
}
