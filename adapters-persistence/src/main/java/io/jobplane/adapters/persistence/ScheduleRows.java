package io.jobplane.adapters.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobInput;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.KubernetesPlacement;
import io.jobplane.domain.Labels;
import io.jobplane.domain.WorkerPlacement;
import io.jobplane.domain.schedule.ConcurrencyPolicy;
import io.jobplane.domain.schedule.Schedule;
import io.jobplane.domain.schedule.ScheduleId;
import io.jobplane.domain.schedule.ScheduleResource;
import io.jobplane.domain.schedule.ScheduleSpec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Rows of {@code schedules}. The job template is one jsonb document whose members hold what the
 * jobs table's columns of the same names hold, in the same formats ({@link JobRows}: labels, input
 * text, argv, env with secret references, the Kubernetes placement), so a template reads back as
 * exactly the definition a submit would store.
 */
final class ScheduleRows {

  private static final ObjectMapper JSON = new ObjectMapper();

  static final RowMapper<Schedule> SCHEDULE = ScheduleRows::schedule;

  private ScheduleRows() {}

  static String templateJson(JobDefinition d) {
    ObjectNode t = JSON.createObjectNode();
    t.put("name", d.name());
    t.put("type", d.type());
    t.put("project", d.project());
    t.set("labels", JSON.valueToTree(d.labels().values()));
    // text, not a parsed document: the job gets back exactly the input it was given
    t.put("input", d.input().json());
    t.put("max_attempts", d.maxAttempts());
    t.put("priority", d.priority());
    t.put("queue", d.queue());
    t.put("runtime", d.runtime().name());
    if (d.timeoutSeconds() != null) {
      t.put("timeout_seconds", d.timeoutSeconds());
    }
    t.put("parallelism", d.parallelism());
    if (d.command() != null) {
      t.set("command", JSON.valueToTree(d.command().argv()));
    }
    String env = JobRows.envJson(d);
    if (env != null) {
      t.set("env", tree(env));
    }
    KubernetesPlacement k = d.kubernetes();
    if (k != null) {
      ObjectNode placement = t.putObject("kubernetes");
      placement.put("namespace", k.namespace());
      placement.put("name", k.resourceName());
      placement.put("pod_template", k.podTemplate());
    }
    WorkerPlacement w = d.placement();
    if (w != null) {
      ObjectNode onWorkers = t.putObject("placement");
      onWorkers.put("mode", w.mode().name());
      onWorkers.put("worker_selector", w.workerSelector());
      onWorkers.put("include_late_joiners", w.includeLateJoiners());
    }
    return JobRows.json(t);
  }

  static JobDefinition template(String json) {
    JsonNode t = tree(json);
    String env = t.hasNonNull("env") ? t.get("env").toString() : null;
    KubernetesPlacement placement = null;
    if (t.hasNonNull("kubernetes")) {
      JsonNode k = t.get("kubernetes");
      try {
        placement =
            new KubernetesPlacement(
                k.path("namespace").asText(),
                k.hasNonNull("name") ? k.get("name").asText() : null,
                k.hasNonNull("pod_template") ? k.get("pod_template").asText() : null,
                JobRows.env(env).secrets());
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("schedules.job_template holds an invalid env", e);
      }
    }
    return new JobDefinition(
        t.path("name").asText(),
        t.path("type").asText(),
        t.path("project").asText(),
        new Labels(JobRows.labels(t.path("labels").toString())),
        new JobInput(t.path("input").asText()),
        t.path("max_attempts").asInt(),
        t.path("priority").asInt(),
        t.path("queue").asText(),
        JobRuntime.valueOf(t.path("runtime").asText()),
        t.hasNonNull("timeout_seconds") ? t.get("timeout_seconds").asInt() : null,
        t.path("parallelism").asInt(),
        t.hasNonNull("command") ? JobRows.command(t.get("command").toString(), env) : null,
        placement,
        t.hasNonNull("placement") ? workerPlacement(t.get("placement")) : null);
  }

  private static WorkerPlacement workerPlacement(JsonNode w) {
    return new WorkerPlacement(
        WorkerPlacement.Mode.valueOf(w.path("mode").asText()),
        w.hasNonNull("worker_selector") ? w.get("worker_selector").asText() : null,
        w.path("include_late_joiners").asBoolean());
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not JSON: " + json, e);
    }
  }

  private static Schedule schedule(ResultSet rs, StatementContext ctx) throws SQLException {
    ScheduleSpec spec =
        ScheduleSpec.builder()
            .name(rs.getString("name"))
            .cron(rs.getString("cron"))
            .timeZone(ZoneId.of(rs.getString("time_zone")))
            .job(template(rs.getString("job_template")))
            .concurrencyPolicy(ConcurrencyPolicy.valueOf(rs.getString("concurrency_policy")))
            .startingDeadlineSeconds(JobRows.integer(rs, "starting_deadline_seconds"))
            .maxCatchUp(rs.getInt("max_catch_up"))
            .suspend(rs.getBoolean("suspend"))
            .successfulJobsHistoryLimit(rs.getInt("successful_jobs_history_limit"))
            .failedJobsHistoryLimit(rs.getInt("failed_jobs_history_limit"))
            .build();
    UUID lastJob = rs.getObject("last_job_id", UUID.class);
    return new Schedule(
        new ScheduleId(rs.getObject("id", UUID.class)),
        spec,
        rs.getString("created_by"),
        JobRows.instant(rs, "created_at"),
        JobRows.instant(rs, "updated_at"),
        JobRows.instant(rs, "last_scheduled_time"),
        JobRows.instant(rs, "next_run_time"),
        lastJob == null ? null : new JobId(lastJob),
        rs.getLong("version"),
        rs.getString("resource_namespace") == null
            ? null
            : new ScheduleResource(
                rs.getString("resource_namespace"), rs.getString("resource_name")));
  }
}
