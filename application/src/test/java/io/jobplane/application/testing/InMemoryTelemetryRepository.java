package io.jobplane.application.testing;

import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.TelemetryRepository;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.query.Page;
import io.jobplane.domain.telemetry.Checkpoint;
import io.jobplane.domain.telemetry.ErrorFilter;
import io.jobplane.domain.telemetry.JobErrorEntry;
import io.jobplane.domain.telemetry.LogFilter;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.MetricsSnapshot;
import io.jobplane.domain.telemetry.OutputRecord;
import io.jobplane.domain.telemetry.ProgressSample;
import io.jobplane.domain.telemetry.Stored;
import io.jobplane.domain.telemetry.Telemetry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The reference {@link TelemetryRepository} for tests: the same retention and ordering rules as the
 * store, in memory. Thread-safe (every method is synchronized).
 */
public final class InMemoryTelemetryRepository implements TelemetryRepository {

  private final JobRepository jobs;
  private long nextId;
  private final Map<JobId, List<Stored<LogLine>>> logs = new HashMap<>();
  private final Map<JobId, List<Stored<JobErrorEntry>>> errors = new HashMap<>();
  private final Map<JobId, Map<String, Checkpoint>> checkpoints = new HashMap<>();
  private final Map<JobId, List<Stored<OutputRecord>>> output = new HashMap<>();
  private final Map<JobId, Map<Integer, Map<Integer, MetricsSnapshot>>> metrics = new HashMap<>();
  private final Map<JobId, List<Stored<ProgressSample>>> progress = new HashMap<>();

  /** {@code jobs} gives each job's current run (for progress). */
  public InMemoryTelemetryRepository(JobRepository jobs) {
    this.jobs = jobs;
  }

  @Override
  public synchronized void appendLogs(JobId jobId, int runId, List<LogLine> lines) {
    List<Stored<LogLine>> list = logs.computeIfAbsent(jobId, k -> new ArrayList<>());
    lines.forEach(l -> list.add(new Stored<>(++nextId, runId, l)));
    trim(list, Math.max(Telemetry.MAX_LOG_LINES, Telemetry.LOG_TAIL_LINES));
    signals.logsChanged(jobId);
  }

  private InMemoryChangeSignals signals = new InMemoryChangeSignals();

  /** Where appended log lines are signalled (as the store's NOTIFY trigger does). */
  public synchronized InMemoryTelemetryRepository signalTo(InMemoryChangeSignals target) {
    this.signals = target;
    return this;
  }

  @Override
  public synchronized void appendErrors(JobId jobId, int runId, List<JobErrorEntry> entries) {
    List<Stored<JobErrorEntry>> list = errors.computeIfAbsent(jobId, k -> new ArrayList<>());
    entries.forEach(e -> list.add(new Stored<>(++nextId, runId, e)));
    trim(list, Telemetry.MAX_ERRORS);
  }

  @Override
  public synchronized void saveCheckpoint(JobId jobId, int runId, Checkpoint checkpoint) {
    checkpoints.computeIfAbsent(jobId, k -> new LinkedHashMap<>()).put(checkpoint.id(), checkpoint);
  }

  @Override
  public synchronized void appendOutput(JobId jobId, int runId, List<OutputRecord> records) {
    List<Stored<OutputRecord>> list = output.computeIfAbsent(jobId, k -> new ArrayList<>());
    records.forEach(r -> list.add(new Stored<>(++nextId, runId, r)));
    trim(list, Telemetry.MAX_OUTPUT_RECORDS);
  }

  @Override
  public synchronized void saveMetrics(
      JobId jobId, int runId, int taskIndex, MetricsSnapshot snapshot) {
    metrics
        .computeIfAbsent(jobId, k -> new HashMap<>())
        .computeIfAbsent(runId, k -> new TreeMap<>())
        .put(taskIndex, snapshot);
  }

  @Override
  public synchronized void appendProgress(JobId jobId, int runId, ProgressSample sample) {
    List<Stored<ProgressSample>> list = progress.computeIfAbsent(jobId, k -> new ArrayList<>());
    list.add(new Stored<>(++nextId, runId, sample));
    List<Stored<ProgressSample>> ofRun = list.stream().filter(s -> s.runId() == runId).toList();
    for (int i = 0; i < ofRun.size() - Telemetry.MAX_PROGRESS_SAMPLES; i++) {
      list.remove(ofRun.get(i));
    }
  }

  @Override
  public synchronized Map<Integer, MetricsSnapshot> metrics(JobId jobId, int runId) {
    return new TreeMap<>(metrics.getOrDefault(jobId, Map.of()).getOrDefault(runId, Map.of()));
  }

  @Override
  public synchronized Page<Checkpoint> checkpoints(
      JobId jobId, Boolean completed, int limit, int offset) {
    List<Checkpoint> all =
        checkpoints.getOrDefault(jobId, Map.of()).values().stream()
            .filter(c -> completed == null || c.completed() == completed)
            .sorted(
                Comparator.comparingLong(Checkpoint::checkpointEpoch)
                    .thenComparing(Checkpoint::startedAt)
                    .thenComparing(Checkpoint::id)
                    .reversed())
            .toList();
    return page(all, limit, offset);
  }

  @Override
  public synchronized Optional<Checkpoint> checkpoint(JobId jobId, String checkpointId) {
    return Optional.ofNullable(checkpoints.getOrDefault(jobId, Map.of()).get(checkpointId));
  }

  @Override
  public synchronized Map<JobId, Checkpoint> checkpoints(Map<JobId, String> checkpointIds) {
    Map<JobId, Checkpoint> found = new HashMap<>();
    checkpointIds.forEach((job, id) -> checkpoint(job, id).ifPresent(c -> found.put(job, c)));
    return found;
  }

  @Override
  public synchronized List<Stored<LogLine>> logs(JobId jobId, LogFilter filter) {
    return logs.getOrDefault(jobId, List.of()).stream()
        .filter(filter::matches)
        .limit(filter.limit() + 1L)
        .toList();
  }

  @Override
  public synchronized List<Stored<LogLine>> lastLogs(JobId jobId, LogFilter filter, int lines) {
    LogFilter any = filter.after(0);
    List<Stored<LogLine>> matching =
        logs.getOrDefault(jobId, List.of()).stream().filter(any::matches).toList();
    return matching.subList(Math.max(0, matching.size() - lines), matching.size());
  }

  /** Every line is settled at once in memory. */
  @Override
  public synchronized List<Stored<LogLine>> settledLogs(JobId jobId, LogFilter filter) {
    return logs.getOrDefault(jobId, List.of()).stream()
        .filter(filter::matches)
        .limit(filter.limit())
        .toList();
  }

  @Override
  public synchronized long newestLogId(JobId jobId, boolean settledOnly) {
    List<Stored<LogLine>> list = logs.getOrDefault(jobId, List.of());
    return list.isEmpty() ? 0 : list.get(list.size() - 1).id();
  }

  @Override
  public synchronized Page<Stored<JobErrorEntry>> errors(JobId jobId, ErrorFilter filter) {
    List<Stored<JobErrorEntry>> all = new ArrayList<>(errors.getOrDefault(jobId, List.of()));
    all.removeIf(e -> !filter.matches(e.value()));
    all.sort(Comparator.comparingLong((Stored<JobErrorEntry> e) -> e.id()).reversed());
    return page(all, filter.limit(), filter.offset());
  }

  @Override
  public synchronized Page<Stored<OutputRecord>> output(
      JobId jobId, String operatorId, int limit, int offset) {
    List<Stored<OutputRecord>> all =
        output.getOrDefault(jobId, List.of()).stream()
            .filter(r -> operatorId == null || operatorId.equals(r.value().operatorId()))
            .toList();
    return page(all, limit, offset);
  }

  @Override
  public synchronized Map<JobId, List<ProgressSample>> progress(
      Collection<JobId> jobIds, int perTask) {
    Map<JobId, List<ProgressSample>> result = new HashMap<>();
    for (JobId id : jobIds) {
      Optional<JobSnapshot> job = jobs.findById(id);
      if (job.isEmpty() || !progress.containsKey(id)) {
        continue;
      }
      int run = job.get().runId();
      Map<Integer, List<ProgressSample>> byTask = new TreeMap<>();
      progress.get(id).stream()
          .filter(s -> s.runId() == run)
          .forEach(
              s ->
                  byTask
                      .computeIfAbsent(s.value().taskIndex(), k -> new ArrayList<>())
                      .add(s.value()));
      List<ProgressSample> samples = new ArrayList<>();
      byTask
          .values()
          .forEach(l -> samples.addAll(l.subList(Math.max(0, l.size() - perTask), l.size())));
      if (!samples.isEmpty()) {
        result.put(id, samples);
      }
    }
    return result;
  }

  /** Number of log lines, errors and output records stored for a job (for retention tests). */
  public synchronized int[] counts(JobId jobId) {
    return new int[] {
      logs.getOrDefault(jobId, List.of()).size(),
      errors.getOrDefault(jobId, List.of()).size(),
      output.getOrDefault(jobId, List.of()).size()
    };
  }

  private static <T> void trim(List<T> list, int keep) {
    if (list.size() > keep) {
      list.subList(0, list.size() - keep).clear();
    }
  }

  private static <T> Page<T> page(List<T> all, int limit, int offset) {
    int from = Math.min(offset, all.size());
    int to = Math.min(all.size(), from + limit);
    return new Page<>(all.subList(from, to), all.size(), limit, offset, to < all.size(), null);
  }
}
