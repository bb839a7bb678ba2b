package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.jobplane.adapters.rest.json.JsonMapping;
import io.jobplane.adapters.rest.json.WireNames;
import io.jobplane.domain.DesiredState;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.Labels;
import io.jobplane.domain.QueueWait;
import io.jobplane.domain.StopMode;
import io.jobplane.domain.TaskSummary;
import io.jobplane.domain.TimelineEvent;
import io.jobplane.domain.graph.GraphMembership;
import io.jobplane.domain.query.ListExpansion;
import io.jobplane.domain.schedule.ScheduledRun;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** A job as clients see it. Times are RFC 3339 UTC; derived durations use the current time. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "Job")
public record JobResponse(
    UUID id,
    String name,
    String type,
    String project,
    Map<String, String> labels,
    @Schema(type = "object") JsonNode input,
    JobStatus status,
    @Schema(description = "run number; a restart starts the next run") int runId,
    @Schema(description = "attempt within the run, from 1") int attempt,
    int maxAttempts,
    int priority,
    String queue,
    @Schema(allowableValues = {"worker", "kubernetes"}) String runtime,
    @Schema(nullable = true, minimum = "0", maximum = "100") Integer progress,
    @Schema(nullable = true) Integer timeoutSeconds,
    int parallelism,
    String createdBy,
    Instant createdAt,
    Instant updatedAt,
    @Schema(nullable = true) Instant queuedAt,
    @Schema(nullable = true) Instant startedAt,
    @Schema(nullable = true) Instant finishedAt,
    @Schema(nullable = true) Long queueTimeMs,
    @Schema(nullable = true) Long elapsedTimeMs,
    @Schema(nullable = true) ErrorBody error,
    DesiredState desiredState,
    @Schema(description = "true while the user wants the job to run") boolean runningDesired,
    @Schema(
            nullable = true,
            allowableValues = {"graceful", "immediate", "force"})
        String stopMode,
    @Schema(nullable = true) String checkpointId,
    @Schema(description = "optimistic version; also sent as the ETag") long version,
    @Schema(nullable = true, description = "the worker command (argv), if the job has one")
        List<String> command,
    @Schema(
            nullable = true,
            description =
                "the job's variables: plain values (*** for callers who may not submit in the"
                    + " project) and secret references as they were given; a secret's value is"
                    + " never shown",
            additionalPropertiesSchema = EnvBody.EnvValue.class)
        Map<String, Object> env,
    @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(
            nullable = true,
            description =
                "tasks of the current run, counted (single-job reads; lists with ?expand=tasks)")
        TaskDtos.TaskCounts tasks,
    @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(
            nullable = true,
            description =
                "summed item counts the workers reported (single-job reads; lists with"
                    + " ?expand=items)")
        TaskDtos.ItemCounts items,
    @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(
            type = "object",
            nullable = true,
            description =
                "a single task's output; with several tasks an array by task index (single-job"
                    + " reads; lists with ?expand=output, bounded: see extras.outputs_omitted)")
        JsonNode output,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(nullable = true) Boolean changed,
    @Schema(
            nullable = true,
            description =
                "seconds until the job reaches 100 %, from the trend of its reported progress")
        Long estimatedSecondsRemaining,
    @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(
            nullable = true,
            description =
                "single-job reads of a QUEUED or SUSPENDED job, or a RUNNING one with queued"
                    + " tasks: why it still waits")
        QueueWaitDtos.Waiting waiting,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "only with ?verbose=true")
        Extras extras,
    @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(nullable = true, description = "runtime kubernetes: where the job's resource is")
        KubernetesPlacementBody kubernetes,
    @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(nullable = true, description = "the schedule that started the job, and for when")
        ScheduleRef schedule,
    @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(nullable = true, description = "the job graph the job is a node of, and which node")
        GraphRef graph,
    @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(nullable = true, description = "runtime worker: the selector of its workers")
        String workerSelector,
    @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(nullable = true, description = "runtime worker: which workers run its tasks")
        PlacementBody placement,
    @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(
            nullable = true,
            description =
                "single-job reads of a broadcast: its tasks by worker name (at most "
                    + TaskSummary.MAX_AGENTS_SHOWN
                    + "; all in GET .../tasks)")
        Map<String, TaskDtos.AgentState> agents) {

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "JobGraphRef")
  public record GraphRef(UUID id, String node) {

    static GraphRef from(Labels labels) {
      return GraphMembership.of(labels)
          .map(m -> new GraphRef(m.graph().value(), m.node()))
          .orElse(null);
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "JobScheduleRef")
  public record ScheduleRef(
      UUID id,
      @Schema(description = "the tick the job was started for; a manual run's is its start")
          Instant scheduledTime) {

    static ScheduleRef from(Labels labels) {
      return ScheduledRun.of(labels)
          .map(r -> new ScheduleRef(r.schedule().value(), r.scheduledTime()))
          .orElse(null);
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "JobExtras")
  public record Extras(
      @JsonInclude(JsonInclude.Include.NON_NULL)
          @Schema(
              nullable = true,
              description =
                  "newest first: the newest 10 with ?verbose=true on a job or ?expand=timeline on"
                      + " a list")
          List<EventResponse> recentEvents,
      @JsonInclude(JsonInclude.Include.NON_NULL)
          @Schema(
              nullable = true,
              description =
                  "?expand=tasks on a list: the first "
                      + ListExpansion.TASKS_PER_JOB
                      + " tasks of the current run by index, as GET /api/v1/jobs/{id}/tasks shows"
                      + " them but without output (?expand=output)")
          List<TaskDtos.TaskBody> tasks,
      @JsonInclude(JsonInclude.Include.NON_NULL)
          @Schema(
              nullable = true,
              description = "?expand=tasks: tasks of the run that extras.tasks leaves out")
          Integer tasksOmitted,
      @JsonInclude(JsonInclude.Include.NON_NULL)
          @Schema(
              nullable = true,
              description =
                  "?expand=output: task outputs that output leaves out (null in its array):"
                      + " those of tasks past the first "
                      + ListExpansion.TASKS_PER_JOB
                      + ", and those larger than "
                      + ListExpansion.OUTPUT_MAX_BYTES
                      + " bytes; GET /api/v1/jobs/{id} shows them all")
          Integer outputsOmitted) {

    static Extras recent(List<TimelineEvent> events) {
      return new Extras(events.stream().map(EventResponse::from).toList(), null, null, null);
    }
  }

  /**
   * The fields a single-job read derives from the tasks of the current run, and a list item shows
   * with {@code ?expand=}; each null when not shown.
   */
  public record RunFields(
      TaskDtos.TaskCounts tasks, TaskDtos.ItemCounts items, JsonNode output, Boolean changed) {

    static final RunFields NONE = new RunFields(null, null, null, null);

    static RunFields of(TaskSummary tasks) {
      return tasks == null
          ? NONE
          : new RunFields(
              TaskDtos.TaskCounts.from(tasks),
              TaskDtos.ItemCounts.from(tasks.items()),
              tasks.outputJson() == null ? null : parse(tasks.outputJson()),
              tasks.changed());
    }
  }

  // wire names of the enums, spelled once rather than lower-cased on every response
  private static final Map<JobRuntime, String> RUNTIMES = new EnumMap<>(JobRuntime.class);
  private static final Map<StopMode, String> STOP_MODES = new EnumMap<>(StopMode.class);

  static {
    for (JobRuntime r : JobRuntime.values()) {
      RUNTIMES.put(r, WireNames.of(r));
    }
    for (StopMode m : StopMode.values()) {
      STOP_MODES.put(m, m.name().toLowerCase(Locale.ROOT));
    }
  }

  /** What a viewer sees instead of each {@code env} value: env is where users put credentials. */
  public static final String HIDDEN = "***";

  /**
   * The job as lifecycle operations answer it: no extras, run details or estimate. Only callers who
   * may change the job get here, so {@code env} is shown.
   */
  public static JobResponse from(JobSnapshot job, Instant now) {
    return from(job, now, null, null, null, null, true);
  }

  /**
   * A list item: the job and its estimate; run details stay on single-job reads. {@code env} values
   * are {@link #HIDDEN} unless {@code revealEnv}.
   */
  public static JobResponse listItem(
      JobSnapshot job, Instant now, Long estimatedSecondsRemaining, boolean revealEnv) {
    return from(job, now, null, null, estimatedSecondsRemaining, null, revealEnv);
  }

  /**
   * A list item with what {@code ?expand=} added: the run's fields as a single-job read names them,
   * and extras (null without any).
   */
  public static JobResponse listItem(
      JobSnapshot job,
      Instant now,
      Long estimatedSecondsRemaining,
      boolean revealEnv,
      RunFields run,
      Extras extras) {
    return build(job, now, extras, run, estimatedSecondsRemaining, null, revealEnv, null);
  }

  /** A single-job read; {@code env} values are {@link #HIDDEN} unless {@code revealEnv}. */
  public static JobResponse from(
      JobSnapshot job,
      Instant now,
      List<TimelineEvent> recent,
      TaskSummary tasks,
      Long estimatedSecondsRemaining,
      QueueWait waiting,
      boolean revealEnv) {
    return build(
        job,
        now,
        recent == null ? null : Extras.recent(recent),
        RunFields.of(tasks),
        estimatedSecondsRemaining,
        waiting,
        revealEnv,
        tasks == null ? null : TaskDtos.AgentState.of(tasks.agents(), now));
  }

  private static JobResponse build(
      JobSnapshot job,
      Instant now,
      Extras extras,
      RunFields run,
      Long estimatedSecondsRemaining,
      QueueWait waiting,
      boolean revealEnv,
      Map<String, TaskDtos.AgentState> agents) {
    JobDefinition d = job.definition();
    Map<String, Object> env =
        d.command() != null
            ? EnvBody.show(d.command().env(), d.command().secretEnv(), revealEnv, HIDDEN)
            : d.kubernetes() == null
                ? null
                : EnvBody.show(null, d.kubernetes().secretEnv(), revealEnv, HIDDEN);
    return new JobResponse(
        job.id().value(),
        d.name(),
        d.type(),
        d.project(),
        d.labels().values(),
        parse(d.input().json()),
        job.status(),
        job.runId(),
        job.attempt(),
        d.maxAttempts(),
        d.priority(),
        d.queue(),
        RUNTIMES.get(d.runtime()),
        job.progress(),
        d.timeoutSeconds(),
        d.parallelism(),
        job.createdBy(),
        job.createdAt(),
        job.updatedAt(),
        job.queuedAt(),
        job.startedAt(),
        job.finishedAt(),
        job.queueTimeMs(now),
        job.elapsedTimeMs(now),
        ErrorBody.from(job.error()),
        job.desiredState(),
        job.desiredState() == DesiredState.RUNNING,
        job.stopMode() == null ? null : STOP_MODES.get(job.stopMode()),
        job.checkpointId(),
        job.version(),
        d.command() == null ? null : d.command().argv(),
        env,
        run.tasks(),
        run.items(),
        run.output(),
        run.changed(),
        estimatedSecondsRemaining,
        QueueWaitDtos.Waiting.from(waiting),
        extras,
        KubernetesPlacementBody.from(d.kubernetes()),
        ScheduleRef.from(d.labels()),
        GraphRef.from(d.labels()),
        d.placement() == null ? null : d.placement().workerSelector(),
        PlacementBody.from(d.placement()),
        agents);
  }

  /** The top-level fields of a job's JSON, as {@code ?fields=} names them. */
  public static Set<String> fieldNames() {
    return FieldNames.ALL;
  }

  private static final class FieldNames {
    static final Set<String> ALL = read();

    private static Set<String> read() {
      var mapper = JsonMapping.mapper();
      Set<String> names = new LinkedHashSet<>();
      mapper
          .getSerializationConfig()
          .introspect(mapper.constructType(JobResponse.class))
          .findProperties()
          .forEach(p -> names.add(p.getName()));
      return Collections.unmodifiableSet(names);
    }
  }

  static JsonNode parseObject(String json) {
    JsonNode node = parse(json);
    return node.isObject() ? node : JsonMapping.mapper().createObjectNode().set("value", node);
  }

  static JsonNode parse(String json) {
    try {
      return JsonMapping.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      // only well-formed JSON is ever stored; show what is there rather than failing the read
      return JsonMapping.mapper().getNodeFactory().textNode(json);
    }
  }
}
