package io.jobplane.application.testing;

import io.jobplane.application.port.out.JobListExpansions;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.TaskRepository;
import io.jobplane.domain.JobId;
import io.jobplane.domain.RunOutputs;
import io.jobplane.domain.RunTasks;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.TaskStatus;
import io.jobplane.domain.TaskSummary;
import io.jobplane.domain.TimelineEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference {@link JobListExpansions}: the same answer from the per-job reads of the other
 * ports, as the port's contract states it. Over the in-memory fakes it is the fake; over the
 * PostgreSQL ports it is what the page-at-once reads are checked against.
 */
public final class SeparateReadsJobListExpansions implements JobListExpansions {

  private final JobRepository jobs;
  private final TaskRepository tasks;

  public SeparateReadsJobListExpansions(JobRepository jobs, TaskRepository tasks) {
    this.jobs = jobs;
    this.tasks = tasks;
  }

  @Override
  public Map<JobId, RunTasks> tasks(Map<JobId, Integer> runs, int first) {
    Map<JobId, RunTasks> answer = new HashMap<>();
    byJob(runs)
        .forEach(
            (id, run) -> {
              Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
              run.forEach(t -> counts.merge(t.status(), 1, Integer::sum));
              answer.put(
                  id,
                  new RunTasks(
                      TaskSummary.counted(counts),
                      run.stream()
                          .limit(first)
                          .map(t -> t.toBuilder().output(null).build())
                          .toList()));
            });
    return answer;
  }

  @Override
  public Map<JobId, TaskItems> items(Map<JobId, Integer> runs) {
    Map<JobId, TaskItems> answer = new HashMap<>();
    byJob(runs)
        .forEach(
            (id, run) -> {
              TaskItems items = TaskSummary.of(run).items();
              if (items != null) {
                answer.put(id, items);
              }
            });
    return answer;
  }

  @Override
  public Map<JobId, RunOutputs> outputs(Map<JobId, Integer> runs, int first, int maxBytes) {
    Map<JobId, RunOutputs> answer = new HashMap<>();
    byJob(runs)
        .forEach(
            (id, run) -> {
              List<String> shown = new ArrayList<>();
              int omitted = 0;
              for (int i = 0; i < run.size(); i++) {
                String output = run.get(i).output();
                boolean fits =
                    output == null || output.getBytes(StandardCharsets.UTF_8).length <= maxBytes;
                if (i < first) {
                  shown.add(fits ? output : null);
                }
                if (output != null && (i >= first || !fits)) {
                  omitted++;
                }
              }
              answer.put(id, new RunOutputs(shown, omitted, TaskSummary.of(run).changed()));
            });
    return answer;
  }

  @Override
  public Map<JobId, List<TimelineEvent>> latestEvents(Collection<JobId> ids, int perJob) {
    Map<JobId, List<TimelineEvent>> answer = new HashMap<>();
    for (JobId id : ids) {
      if (jobs.findById(id).isPresent()) {
        answer.put(id, jobs.latestEvents(id, perJob));
      }
    }
    return answer;
  }

  /** The tasks of each run that has any, by index. */
  private Map<JobId, List<TaskState>> byJob(Map<JobId, Integer> runs) {
    Map<JobId, List<TaskState>> byJob = new HashMap<>();
    for (TaskState t : tasks.forRuns(runs)) {
      byJob.computeIfAbsent(t.jobId(), k -> new ArrayList<>()).add(t);
    }
    return byJob;
  }
}
