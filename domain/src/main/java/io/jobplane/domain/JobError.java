package io.jobplane.domain;

/** Why a job (or one of its events) went wrong: a machine-readable reason and a message. */
public record JobError(String reason, String message) {

  public static final int MAX_REASON = 128;
  public static final int MAX_MESSAGE = 4096;

  public JobError {
    if (reason == null || reason.isBlank()) {
      throw DomainException.invalid("error.reason", "must not be empty");
    }
    if (reason.length() > MAX_REASON) {
      throw DomainException.invalid(
          "error.reason", "must be at most " + MAX_REASON + " characters");
    }
    if (message != null && message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE);
    }
    if (message != null && message.indexOf('\u0000') >= 0) {
      // PostgreSQL cannot store NUL in text; whoever wrote the message (a pod's status, a worker),
      // the error must still be recorded. Workers' own messages are refused earlier (400).
      message = message.replace('\u0000', '\uFFFD');
    }
  }
}
