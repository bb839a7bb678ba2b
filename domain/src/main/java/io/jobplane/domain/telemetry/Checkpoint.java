package io.jobplane.domain.telemetry;

import io.jobplane.domain.DomainException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A snapshot of a job's state a task reported, from which a restart may resume. Re-reporting the
 * same {@code id} replaces the earlier report (in_progress, then completed or failed).
 */
public record Checkpoint(
    String id,
    long checkpointEpoch,
    CheckpointState state,
    Instant startedAt,
    Instant finishedAt,
    Long sizeBytes,
    String backend,
    String location,
    int taskIndex,
    List<OperatorState> operatorStates) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][-A-Za-z0-9_.:]{0,127}");
  public static final int MAX_LOCATION = 2048;

  /** State of one operator in the checkpoint. */
  public record OperatorState(
      String operatorId, String operatorName, long stateSize, List<SubtaskState> subtaskStates) {
    public OperatorState {
      operatorId = Telemetry.requiredOperatorId(operatorId, "operator_states.operator_id");
      if (operatorName != null && operatorName.length() > 256) {
        throw DomainException.invalid(
            "operator_states.operator_name", "must be at most 256 characters");
      }
      Telemetry.nonNegative(stateSize, "operator_states.state_size");
      subtaskStates = subtaskStates == null ? List.of() : List.copyOf(subtaskStates);
    }
  }

  /** State of one subtask (task index) of an operator. */
  public record SubtaskState(int subtaskIndex, long stateSize) {
    public SubtaskState {
      Telemetry.taskIndex(subtaskIndex, "operator_states.subtask_states.subtask_index");
      Telemetry.nonNegative(stateSize, "operator_states.subtask_states.state_size");
    }
  }

  public Checkpoint {
    if (id == null || !ID.matcher(id).matches()) {
      throw DomainException.invalid(
          "checkpoint_id",
          "must be 1 to 128 letters, digits, '-', '_', '.' or ':', starting alphanumeric");
    }
    Telemetry.nonNegative(checkpointEpoch, "checkpoint_epoch");
    if (state == null) {
      throw DomainException.invalid("state", "must not be empty");
    }
    if (startedAt == null) {
      throw DomainException.invalid("started_at", "must not be empty");
    }
    if (finishedAt != null && finishedAt.isBefore(startedAt)) {
      throw DomainException.invalid("finished_at", "must not be before started_at");
    }
    if (sizeBytes != null) {
      Telemetry.nonNegative(sizeBytes, "size_bytes");
    }
    if (backend != null && (backend.isBlank() || backend.length() > 64)) {
      throw DomainException.invalid("backend", "must be 1 to 64 characters");
    }
    if (location != null && (location.isBlank() || location.length() > MAX_LOCATION)) {
      throw DomainException.invalid("location", "must be 1 to " + MAX_LOCATION + " characters");
    }
    Telemetry.taskIndex(taskIndex, "task_index");
    operatorStates = operatorStates == null ? List.of() : List.copyOf(operatorStates);
    Set<String> seen = new HashSet<>();
    for (OperatorState s : operatorStates) {
      if (!seen.add(s.operatorId())) {
        throw DomainException.invalid(
            "operator_states", "operator " + s.operatorId() + " appears twice");
      }
    }
  }

  public boolean completed() {
    return state == CheckpointState.COMPLETED;
  }
}
