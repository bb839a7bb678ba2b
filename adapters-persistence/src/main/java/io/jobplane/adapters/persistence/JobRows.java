package io.jobplane.adapters.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobplane.domain.DesiredState;
import io.jobplane.domain.EventType;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobInput;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.KubernetesPlacement;
import io.jobplane.domain.Labels;
import io.jobplane.domain.SecretRef;
import io.jobplane.domain.StopMode;
import io.jobplane.domain.TimelineEvent;
import io.jobplane.domain.WorkerCommand;
import io.jobplane.domain.WorkerPlacement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.result.RowView;
import org.jdbi.v3.core.statement.StatementContext;

/** Conversions between domain records and rows; the only place that knows the column layout. */
final class JobRows {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, String>> LABELS = new TypeReference<>() {};
  private static final TypeReference<List<String>> ARGV = new TypeReference<>() {};
  private static final TypeReference<TreeMap<String, JsonNode>> ENV = new TypeReference<>() {};

  static final RowMapper<JobSnapshot> JOB = JobRows::job;
  static final RowMapper<TimelineEvent> EVENT = JobRows::event;

  private JobRows() {}

  static OffsetDateTime ts(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  static String name(Enum<?> value) {
    return value == null ? null : value.name();
  }

  static String searchName(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  static String labelsJson(Map<String, String> labels) {
    try {
      return JSON.writeValueAsString(labels);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("labels are always serializable", e);
    }
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not serializable: " + value, e);
    }
  }

  static WorkerCommand command(String argv, String env) {
    if (argv == null) {
      return null;
    }
    try {
      Env vars = env(env);
      return new WorkerCommand(JSON.readValue(argv, ARGV), vars.plain(), vars.secrets());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("jobs.command/env hold invalid JSON", e);
    }
  }

  /** Column {@code env}: the job's variables, a plain one as a string, a reference as an object. */
  record Env(Map<String, String> plain, Map<String, SecretRef> secrets) {}

  /**
   * Reads {@code env}. Rows written before secrets existed hold only strings and read as before; a
   * reference is {@code {"secret": name, "key": key}}, as on the wire.
   */
  static Env env(String json) throws JsonProcessingException {
    Map<String, String> plain = new TreeMap<>();
    Map<String, SecretRef> secrets = new TreeMap<>();
    if (json != null) {
      for (Map.Entry<String, JsonNode> e : JSON.readValue(json, ENV).entrySet()) {
        JsonNode v = e.getValue();
        if (v.isObject()) {
          secrets.put(e.getKey(), new SecretRef(v.path("secret").asText(), v.path("key").asText()));
        } else {
          plain.put(e.getKey(), v.asText());
        }
      }
    }
    return new Env(plain, secrets);
  }

  /** The {@code env} column of a job: its command's variables, or its pods' secret references. */
  static String envJson(JobDefinition d) {
    Map<String, Object> env = new TreeMap<>();
    Map<String, SecretRef> refs;
    if (d.command() != null) {
      env.putAll(d.command().env());
      refs = d.command().secretEnv();
    } else if (d.kubernetes() != null && !d.kubernetes().secretEnv().isEmpty()) {
      refs = d.kubernetes().secretEnv();
    } else {
      return null;
    }
    refs.forEach((name, ref) -> env.put(name, Map.of("secret", ref.secret(), "key", ref.key())));
    return json(env);
  }

  private static KubernetesPlacement placement(ResultSet rs) throws SQLException {
    String namespace = rs.getString("k8s_namespace");
    if (namespace == null) {
      return null;
    }
    try {
      return new KubernetesPlacement(
          namespace,
          rs.getString("k8s_name"),
          rs.getString("pod_template"),
          env(rs.getString("env")).secrets());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("jobs.env holds invalid JSON", e);
    }
  }

  private static WorkerPlacement workerPlacement(ResultSet rs) throws SQLException {
    String mode = rs.getString("placement_mode");
    return mode == null
        ? null
        : new WorkerPlacement(
            WorkerPlacement.Mode.valueOf(mode),
            rs.getString("worker_selector"),
            rs.getBoolean("late_joiners"));
  }

  /** Reduces rows of (id, status) of jobs into a map (Jdbi {@code reduceRows}). */
  static Map<JobId, JobStatus> putStatus(Map<JobId, JobStatus> map, RowView row) {
    map.put(
        new JobId(row.getColumn("id", UUID.class)),
        JobStatus.valueOf(row.getColumn("status", String.class)));
    return map;
  }

  static Map<String, String> labels(String json) {
    try {
      return JSON.readValue(json, LABELS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("jobs.labels holds invalid JSON: " + json, e);
    }
  }

  private static JobSnapshot job(ResultSet rs, StatementContext ctx) throws SQLException {
    JobDefinition definition =
        new JobDefinition(
            rs.getString("name"),
            rs.getString("type"),
            rs.getString("project"),
            new Labels(labels(rs.getString("labels"))),
            new JobInput(rs.getString("input")),
            rs.getInt("max_attempts"),
            rs.getInt("priority"),
            rs.getString("queue"),
            JobRuntime.valueOf(rs.getString("runtime")),
            integer(rs, "timeout_seconds"),
            rs.getInt("parallelism"),
            command(rs.getString("command"), rs.getString("env")),
            placement(rs),
            workerPlacement(rs));
    String errorReason = rs.getString("error_reason");
    return JobSnapshot.builder()
        .id(new JobId(rs.getObject("id", UUID.class)))
        .definition(definition)
        .status(JobStatus.valueOf(rs.getString("status")))
        .runId(rs.getInt("run_id"))
        .attempt(rs.getInt("attempt"))
        .progress(integer(rs, "progress"))
        .createdBy(rs.getString("created_by"))
        .createdAt(instant(rs, "created_at"))
        .updatedAt(instant(rs, "updated_at"))
        .queuedAt(instant(rs, "queued_at"))
        .startedAt(instant(rs, "started_at"))
        .finishedAt(instant(rs, "finished_at"))
        .error(
            errorReason == null ? null : new JobError(errorReason, rs.getString("error_message")))
        .desiredState(DesiredState.valueOf(rs.getString("desired_state")))
        .stopMode(enumOrNull(StopMode.class, rs.getString("stop_mode")))
        .stopTimeoutSeconds(integer(rs, "stop_timeout_seconds"))
        .checkpointId(rs.getString("checkpoint_id"))
        .version(rs.getLong("version"))
        .build();
  }

  private static TimelineEvent event(ResultSet rs, StatementContext ctx) throws SQLException {
    String errorReason = rs.getString("error_reason");
    return new TimelineEvent(
        instant(rs, "occurred_at"),
        EventType.valueOf(rs.getString("event_type")),
        enumOrNull(JobStatus.class, rs.getString("from_status")),
        JobStatus.valueOf(rs.getString("to_status")),
        rs.getString("source"),
        rs.getString("message"),
        errorReason == null ? null : new JobError(errorReason, rs.getString("error_message")),
        rs.getInt("run_id"),
        rs.getInt("attempt"));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static Integer integer(ResultSet rs, String column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }

  private static <E extends Enum<E>> E enumOrNull(Class<E> type, String name) {
    return name == null ? null : Enum.valueOf(type, name);
  }
}
