package io.jobplane.adapters.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.jobplane.domain.JobId;
import io.jobplane.domain.query.Page;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** What the telemetry tables share: their JSON columns, retention trimming and pages. */
final class TelemetryRows {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private TelemetryRows() {}

  /** Deletes the job's rows older than its newest {@code keep} (the table name is a constant). */
  static void trim(Handle h, String table, JobId jobId, int keep) {
    h.createUpdate(
            "DELETE FROM "
                + table
                + " WHERE job_id = :job_id AND id <= (SELECT id FROM "
                + table
                + " WHERE job_id = :job_id ORDER BY id DESC OFFSET :keep LIMIT 1)")
        .bind("job_id", jobId.value())
        .bind("keep", keep)
        .execute();
  }

  static <T> Page<T> page(List<T> items, long total, int limit, int offset) {
    return new Page<>(items, total, limit, offset, (long) offset + items.size() < total, null);
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("telemetry values are always serializable", e);
    }
  }

  static <T> T read(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored telemetry holds invalid JSON: " + json, e);
    }
  }

  static <T> T read(String json, TypeReference<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored telemetry holds invalid JSON: " + json, e);
    }
  }
}
