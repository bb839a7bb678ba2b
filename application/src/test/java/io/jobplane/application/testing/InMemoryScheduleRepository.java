package io.jobplane.application.testing;

import io.jobplane.application.port.out.ScheduleRepository;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.schedule.Schedule;
import io.jobplane.domain.schedule.ScheduleId;
import io.jobplane.domain.schedule.ScheduleSpec;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@link ScheduleRepository} in memory, over an {@link InMemoryJobRepository} for the schedule's
 * jobs (found by their label, as the real one does). One process, so "locking" a due schedule is
 * reading it.
 */
public final class InMemoryScheduleRepository implements ScheduleRepository {

  private final InMemoryJobRepository jobs;
  private final Map<ScheduleId, Schedule> schedules = new LinkedHashMap<>();
  private final Map<String, TickOutcome> ticks = new HashMap<>();

  public InMemoryScheduleRepository(InMemoryJobRepository jobs) {
    this.jobs = Objects.requireNonNull(jobs, "jobs");
  }

  @Override
  public synchronized Schedule insert(Schedule schedule) {
    boolean taken =
        schedules.values().stream()
            .anyMatch(
                s ->
                    s.spec().project().equals(schedule.spec().project())
                        && s.spec().name().equals(schedule.spec().name()));
    if (taken) {
      throw DomainException.conflict("a schedule of that name exists");
    }
    Schedule stored = schedule.withVersion(1);
    schedules.put(stored.id(), stored);
    return stored;
  }

  @Override
  public synchronized Optional<Schedule> find(ScheduleId id) {
    return Optional.ofNullable(schedules.get(id));
  }

  @Override
  public synchronized List<Schedule> list(Set<String> projects, int limit) {
    return schedules.values().stream()
        .filter(s -> projects == null || projects.contains(s.spec().project()))
        .sorted(
            Comparator.comparing((Schedule s) -> s.spec().project())
                .thenComparing(s -> s.spec().name()))
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized Schedule update(Schedule schedule) {
    Schedule current = schedules.get(schedule.id());
    if (current == null) {
      throw DomainException.notFound("schedule not found");
    }
    if (current.version() != schedule.version()) {
      throw DomainException.conflict("schedule was changed concurrently");
    }
    Schedule stored = schedule.withVersion(schedule.version() + 1);
    schedules.put(stored.id(), stored);
    return stored;
  }

  @Override
  public synchronized boolean delete(ScheduleId id) {
    return schedules.remove(id) != null;
  }

  @Override
  public synchronized List<ScheduleId> due(Instant now, int limit) {
    return schedules.values().stream()
        .filter(s -> isDue(s, now))
        .map(Schedule::id)
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized Optional<Instant> oldestDue(Instant now) {
    return schedules.values().stream()
        .filter(s -> isDue(s, now))
        .map(Schedule::nextRunTime)
        .min(Instant::compareTo);
  }

  @Override
  public synchronized Optional<Schedule> lockDue(ScheduleId id, Instant now) {
    return find(id).filter(s -> isDue(s, now));
  }

  private static boolean isDue(Schedule s, Instant now) {
    return !s.spec().suspend() && s.nextRunTime() != null && !s.nextRunTime().isAfter(now);
  }

  @Override
  public synchronized boolean claimTick(ScheduleId id, Instant scheduledTime, Instant at) {
    String key = id + "@" + scheduledTime;
    if (ticks.containsKey(key)) {
      return false;
    }
    ticks.put(key, null);
    return true;
  }

  @Override
  public synchronized void recordTick(
      ScheduleId id, Instant scheduledTime, TickOutcome outcome, JobId job) {
    ticks.put(id + "@" + scheduledTime, outcome);
  }

  @Override
  public List<JobId> activeJobs(ScheduleId id) {
    return jobsOf(id).stream().filter(j -> !j.status().isTerminal()).map(JobSnapshot::id).toList();
  }

  @Override
  public List<FinishedJob> finishedJobs(ScheduleId id) {
    return jobsOf(id).stream()
        .filter(j -> j.status().isTerminal())
        .sorted(
            Comparator.comparing(
                    (JobSnapshot j) -> j.finishedAt() == null ? j.updatedAt() : j.finishedAt())
                .reversed())
        .map(j -> new FinishedJob(j.id(), j.status(), j.finishedAt()))
        .toList();
  }

  private List<JobSnapshot> jobsOf(ScheduleId id) {
    return jobs.all().stream()
        .filter(
            j ->
                id.toString()
                    .equals(j.definition().labels().values().get(ScheduleSpec.SCHEDULE_LABEL)))
        .toList();
  }
}
