package io.jobplane.domain;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How many more jobs the projects with a running limit may start in one claim ({@link
 * ProjectLimits#maxRunning()}, for the project and per queue), and the rule that spends it: a task
 * of a job that already runs (a further task of a parallel job) takes no room, and neither does a
 * second task of a job this claim already started; a task of a job that would start takes one job
 * of room from its project and from its queue, and is refused when either has none left. A project
 * without a running limit is never held.
 *
 * <p>Not thread-safe: one claim fills one, under the locks that keep the counts it starts from true
 * for the claim's transaction.
 */
public final class RunningRoom {

  private final Map<String, Long> projects = new HashMap<>();
  private final Map<String, Map<String, Long>> queues = new HashMap<>();
  private final Set<JobId> started = new HashSet<>();

  /** The project may run {@code limit} jobs at once and runs {@code running} now. */
  public RunningRoom limitProject(String project, long limit, long running) {
    projects.put(project, Math.max(0, limit - running));
    return this;
  }

  /** The project's jobs in {@code queue} may run {@code limit} at once; {@code running} now. */
  public RunningRoom limitQueue(String project, String queue, long limit, long running) {
    queues.computeIfAbsent(project, p -> new HashMap<>()).put(queue, Math.max(0, limit - running));
    return this;
  }

  /**
   * Whether a task of {@code job} ({@code project}, {@code queue}) may be leased now; when it
   * starts the job, the job's room is taken.
   *
   * @param jobRuns the job is RUNNING or STOPPING already: it holds its room
   */
  public boolean admit(String project, String queue, JobId job, boolean jobRuns) {
    if (jobRuns || started.contains(job)) {
      return true;
    }
    Long projectRoom = projects.get(project);
    Map<String, Long> ofProject = queues.get(project);
    Long queueRoom = ofProject == null ? null : ofProject.get(queue);
    if ((projectRoom != null && projectRoom == 0) || (queueRoom != null && queueRoom == 0)) {
      return false;
    }
    if (projectRoom != null) {
      projects.put(project, projectRoom - 1);
    }
    if (queueRoom != null) {
      ofProject.put(queue, queueRoom - 1);
    }
    started.add(job);
    return true;
  }
}
