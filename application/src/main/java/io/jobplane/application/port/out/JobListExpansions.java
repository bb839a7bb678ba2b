package io.jobplane.application.port.out;

import io.jobplane.domain.JobId;
import io.jobplane.domain.RunOutputs;
import io.jobplane.domain.RunTasks;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.TimelineEvent;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What {@code ?expand=} adds to the items of a page of jobs, read for the whole page at once: each
 * method is one round trip to the store however many jobs it is given, and reads a bounded amount
 * per job, so an expanded page costs a fixed number of statements more than a plain one.
 *
 * <p>{@code runs} maps each job of the page to the run the page shows (its current run when the
 * page was read); jobs whose run has no tasks, or that no longer exist, may be absent from the
 * answers.
 */
public interface JobListExpansions {

  /** Per job, every task of the run counted, and its first {@code first} tasks by index. */
  Map<JobId, RunTasks> tasks(Map<JobId, Integer> runs, int first);

  /** Per job, the item counts its run's tasks reported, summed; absent when none reported any. */
  Map<JobId, TaskItems> items(Map<JobId, Integer> runs);

  /**
   * Per job, the outputs of its run's first {@code first} tasks by index, each output longer than
   * {@code maxBytes} bytes of JSON text left out (null) and counted in {@link RunOutputs#omitted}.
   */
  Map<JobId, RunOutputs> outputs(Map<JobId, Integer> runs, int first, int maxBytes);

  /** Per job, its newest {@code perJob} timeline events (across runs), newest first. */
  Map<JobId, List<TimelineEvent>> latestEvents(Collection<JobId> jobs, int perJob);
}
