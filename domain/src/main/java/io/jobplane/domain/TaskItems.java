package io.jobplane.domain;

/** Work items a worker reports for its task: how many there are, done and failed. */
public record TaskItems(long total, long completed, long failed) {

  public TaskItems {
    if (total < 0 || completed < 0 || failed < 0) {
      throw DomainException.invalid("items", "counts must not be negative");
    }
  }

  public long pending() {
    return Math.max(0, total - completed - failed);
  }
}
