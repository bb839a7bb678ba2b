package io.jobplane.application.testing;

import io.jobplane.application.port.out.WorkloadIntents;
import io.jobplane.domain.JobId;
import io.jobplane.domain.KubernetesPlacement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The outbox in memory, with the claim rules of V25: a job's oldest intent only, when due. */
public final class InMemoryWorkloadIntents implements WorkloadIntents {

  private record Row(Intent intent, Instant due, String error) {}

  private final Map<Long, Row> rows = new TreeMap<>();
  private long nextId = 1;

  @Override
  public synchronized void add(JobId job, Kind kind, KubernetesPlacement where, Instant now) {
    long id = nextId++;
    rows.put(
        id,
        new Row(new Intent(id, job, kind, where.namespace(), where.resourceName(), 0), now, null));
  }

  @Override
  public synchronized List<Intent> claim(Instant now, Duration lease, int limit) {
    return claimWhere(null, now, lease, limit);
  }

  @Override
  public synchronized List<Intent> claim(JobId job, Instant now, Duration lease) {
    return claimWhere(job, now, lease, 1);
  }

  private List<Intent> claimWhere(JobId job, Instant now, Duration lease, int limit) {
    List<Intent> claimed = new ArrayList<>();
    List<JobId> seen = new ArrayList<>();
    for (Row row : List.copyOf(rows.values())) {
      Intent i = row.intent();
      boolean oldestOfItsJob = !seen.contains(i.job());
      seen.add(i.job());
      if (claimed.size() < limit
          && oldestOfItsJob
          && (job == null || job.equals(i.job()))
          && !row.due().isAfter(now)) {
        Intent taken =
            new Intent(
                i.id(), i.job(), i.kind(), i.namespace(), i.resourceName(), i.attempts() + 1);
        rows.put(i.id(), new Row(taken, now.plus(lease), row.error()));
        claimed.add(taken);
      }
    }
    return claimed;
  }

  @Override
  public synchronized void delivered(Intent intent) {
    Row row = rows.get(intent.id());
    if (row != null && row.intent().attempts() == intent.attempts()) {
      rows.remove(intent.id());
    }
  }

  @Override
  public synchronized void retry(Intent intent, String error, Instant next) {
    Row row = rows.get(intent.id());
    if (row != null && row.intent().attempts() == intent.attempts()) {
      rows.put(intent.id(), new Row(row.intent(), next, error));
    }
  }

  /** The intents not delivered yet, oldest first. */
  public synchronized List<Intent> pending() {
    return rows.values().stream().map(Row::intent).toList();
  }

  /** The last error recorded for an intent, or null. */
  public synchronized String lastError(long id) {
    Row row = rows.get(id);
    return row == null ? null : row.error();
  }
}
