package io.jobplane.app.client;

import io.jobplane.client.model.ItemCounts;
import io.jobplane.client.model.Job;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A job's progress as it runs: on a terminal a live bar with a status line (me.tongfei
 * progressbar); otherwise (a pipe, a file, CI) one plain line each time something changes, ending
 * with the final state, so logs stay readable.
 */
interface ProgressDisplay extends AutoCloseable {

  void show(Job job);

  @Override
  void close();

  static ProgressDisplay forOutput(PrintWriter out, String name) {
    return System.console() != null ? new Bar(name) : new Lines(out);
  }

  static String statusLine(Job job) {
    StringBuilder b = new StringBuilder(String.valueOf(job.getStatus()));
    ItemCounts items = job.getItems();
    if (items != null && items.getTotal() != null) {
      b.append(
          String.format(
              Locale.ROOT, " items %d/%d", value(items.getCompleted()), items.getTotal()));
      if (value(items.getFailed()) > 0) {
        b.append(" (").append(items.getFailed()).append(" failed)");
      }
    }
    if (job.getAttempt() != null && job.getAttempt() > 1) {
      b.append(" attempt ").append(job.getAttempt());
    }
    if (job.getError() != null && job.getError().getMessage() != null) {
      b.append(": ").append(job.getError().getMessage());
    }
    return b.toString();
  }

  private static long value(Long v) {
    return v == null ? 0 : v;
  }

  /** The live bar, redrawn in place. */
  final class Bar implements ProgressDisplay {
    private final ProgressBar bar;

    Bar(String name) {
      bar =
          new ProgressBarBuilder()
              .setTaskName(name)
              .setInitialMax(100)
              .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
              .setUnit("%", 1)
              .setUpdateIntervalMillis(200)
              .continuousUpdate()
              .build();
    }

    @Override
    public void show(Job job) {
      bar.stepTo(job.getProgress() == null ? 0 : job.getProgress());
      bar.setExtraMessage(statusLine(job));
    }

    @Override
    public void close() {
      bar.close();
    }
  }

  /** Plain lines, one per change: "[#####.....] 50% RUNNING items 5/10". */
  final class Lines implements ProgressDisplay {
    private final PrintWriter out;
    private String last;

    Lines(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void show(Job job) {
      int percent = job.getProgress() == null ? 0 : Math.max(0, Math.min(100, job.getProgress()));
      int filled = percent / 5;
      String line =
          "["
              + "#".repeat(filled)
              + ".".repeat(20 - filled)
              + "] "
              + String.format(Locale.ROOT, "%3d%%", percent)
              + " "
              + statusLine(job);
      if (!line.equals(last)) {
        out.println(line);
        out.flush();
        last = line;
      }
    }

    @Override
    public void close() {
      out.flush();
    }
  }
}
