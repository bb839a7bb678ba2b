package io.jobplane.domain.query;

/**
 * What a list of jobs may add to each item ({@code ?expand=}), each part bounded per job so that a
 * page of 100 jobs stays a page: a list item never grows with the size of its job.
 */
public enum ListExpansion {
  /** The counts of the current run's tasks and its first {@link #TASKS_PER_JOB} tasks by index. */
  TASKS,
  /** The newest {@link #EVENTS_PER_JOB} events of the job's timeline. */
  TIMELINE,
  /** The item counts the current run's tasks reported, summed. */
  ITEMS,
  /**
   * The current run's output: of its first {@link #TASKS_PER_JOB} tasks, each output of at most
   * {@link #OUTPUT_MAX_BYTES}.
   */
  OUTPUT;

  /** Tasks (and task outputs) a list item shows at most. */
  public static final int TASKS_PER_JOB = 20;

  /** Timeline events a list item shows at most (as many as a verbose job read). */
  public static final int EVENTS_PER_JOB = 10;

  /**
   * The largest task output (bytes of its JSON text) a list item shows; a larger one is left out
   * and counted, to be read from the job itself. A worker may store 256 KiB per task.
   */
  public static final int OUTPUT_MAX_BYTES = 4096;
}
