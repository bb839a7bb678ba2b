package io.jobplane.domain.telemetry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Estimates the seconds until a job reaches 100 % from its progress samples: a least-squares line
 * through the last {@link #WINDOW} samples (time in seconds, progress) of each task gives the rate;
 * the remaining percent divided by the rate is the task's estimate, and the job's is the largest
 * task estimate. Unknown (null) with fewer than two samples of a task, or a rate that is not
 * positive.
 */
public final class EtaEstimator {

  public static final int WINDOW = 20;

  private EtaEstimator() {}

  /** The estimate over samples of any tasks, or null when no task has one. */
  public static Long estimateSecondsRemaining(List<ProgressSample> samples) {
    Map<Integer, List<ProgressSample>> byTask = new TreeMap<>();
    for (ProgressSample s : samples) {
      byTask.computeIfAbsent(s.taskIndex(), k -> new ArrayList<>()).add(s);
    }
    Long worst = null;
    for (List<ProgressSample> task : byTask.values()) {
      Long eta = forOneTask(task);
      if (eta != null && (worst == null || eta > worst)) {
        worst = eta;
      }
    }
    return worst;
  }

  /** The estimate for one task's samples (any order), or null. */
  public static Long forOneTask(List<ProgressSample> samples) {
    List<ProgressSample> sorted = new ArrayList<>(samples);
    sorted.sort(Comparator.comparing(ProgressSample::at));
    List<ProgressSample> window =
        sorted.subList(Math.max(0, sorted.size() - WINDOW), sorted.size());
    if (window.size() < 2) {
      return null;
    }
    ProgressSample last = window.get(window.size() - 1);
    if (last.progress() >= 100) {
      return 0L;
    }
    long origin = window.get(0).at().toEpochMilli();
    double n = window.size();
    double sumX = 0;
    double sumY = 0;
    double sumXx = 0;
    double sumXy = 0;
    for (ProgressSample s : window) {
      double x = (s.at().toEpochMilli() - origin) / 1000.0;
      double y = s.progress();
      sumX += x;
      sumY += y;
      sumXx += x * x;
      sumXy += x * y;
    }
    double denominator = n * sumXx - sumX * sumX;
    if (denominator <= 0) {
      return null; // all samples at the same instant
    }
    double slope = (n * sumXy - sumX * sumY) / denominator; // percent per second
    if (!(slope > 0)) {
      return null;
    }
    return Math.round((100.0 - last.progress()) / slope);
  }
}
