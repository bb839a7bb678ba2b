package io.jobplane.domain.query;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobSnapshot;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The whitelist of fields a job list may be sorted by; adapters map each to a column. */
public enum SortField {
  CREATED_AT("created_at"),
  UPDATED_AT("updated_at"),
  NAME("name"),
  STATUS("status"),
  PRIORITY("priority"),
  PROGRESS("progress");

  private final String wireName;

  SortField(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The job's value for this field as carried in a cursor; null when the job has none. */
  public String cursorValue(JobSnapshot job) {
    return switch (this) {
      case CREATED_AT -> job.createdAt().toString();
      case UPDATED_AT -> job.updatedAt().toString();
      case NAME -> job.definition().name();
      case STATUS -> job.status().name();
      case PRIORITY -> Integer.toString(job.definition().priority());
      case PROGRESS -> job.progress() == null ? null : Integer.toString(job.progress());
    };
  }

  public static SortField fromWire(String name) {
    for (SortField f : values()) {
      if (f.wireName.equals(name)) {
        return f;
      }
    }
    throw DomainException.invalid(
        "sort",
        "unknown sort field '"
            + name
            + "'; allowed: "
            + Arrays.stream(values()).map(SortField::wireName).collect(Collectors.joining(", ")));
  }
}
