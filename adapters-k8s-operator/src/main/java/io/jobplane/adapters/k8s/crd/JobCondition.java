package io.jobplane.adapters.k8s.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A status condition after the Kubernetes conventions (metav1.Condition). Types: {@link #READY},
 * {@link #SUCCEEDED}, {@link #FAILED} and the terminal {@link #FINISHED}, whose reason says how the
 * job ended (the terminal phase, e.g. {@code Succeeded}, {@code TimedOut}), and {@link
 * #NAME_CONFLICT}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobCondition {

  public static final String READY = "Ready";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";
  public static final String FINISHED = "Finished";

  /**
   * True while a batch/v1 Job with the current run's name exists that this resource does not own;
   * the operator leaves that Job alone.
   */
  public static final String NAME_CONFLICT = "NameConflict";

  /** The condition's status, spelled as Kubernetes does. */
  public enum Status {
    True,
    False,
    Unknown
  }

  @Required
  @Size(max = 316)
  @JsonPropertyDescription(
      "On a Job: Ready, Succeeded, Failed, Finished or NameConflict; on a JobSchedule: Ready.")
  private String type;

  @Required
  @JsonPropertyDescription("True, False or Unknown.")
  private Status status;

  @Size(max = 1024)
  @Pattern("^([A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?)?$")
  @JsonPropertyDescription("A CamelCase reason; for Finished it says how the job ended.")
  private String reason;

  @Size(max = 32768)
  private String message;

  @Required
  @JsonPropertyDescription("When the status last changed (RFC 3339).")
  private String lastTransitionTime;

  @JsonPropertyDescription("The metadata.generation the condition was set for.")
  private Long observedGeneration;

  public JobCondition() {}

  public JobCondition(
      String type, Status status, String reason, String message, String lastTransitionTime) {
    this.type = type;
    this.status = status;
    this.reason = reason;
    this.message = message;
    this.lastTransitionTime = lastTransitionTime;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public Status getStatus() {
    return status;
  }

  public void setStatus(Status status) {
    this.status = status;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }
}
