package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jobplane.domain.JobError;
import io.jobplane.domain.telemetry.ErrorLevel;
import io.jobplane.domain.telemetry.JobErrorEntry;
import io.jobplane.domain.telemetry.LogLevel;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.LogStream;
import io.jobplane.domain.telemetry.Telemetry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the store keeps of a finished run's pods, read while they still exist: the failure as a
 * {@link JobError} (reason says infrastructure or application), one error entry per failed
 * container, and a tail of each pod's log.
 */
final class RunRecords {

  static final String INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index";
  private static final Logger LOG = LoggerFactory.getLogger(RunRecords.class);
  private static final int MAX_LINE_BYTES = Telemetry.MAX_TEXT_BYTES;

  private RunRecords() {}

  /** The failure to store for a failed run, from its pods, or the batch Job's own message. */
  static JobError error(RunOutcome outcome, String batchMessage, String fallback) {
    if (outcome != null && outcome.kind() != FailureKind.NONE) {
      String reason =
          outcome.kind() == FailureKind.INFRASTRUCTURE
              ? "INFRASTRUCTURE_FAILURE"
              : "APPLICATION_FAILURE";
      return new JobError(reason, outcome.message());
    }
    return new JobError(fallback, batchMessage == null ? "the batch Job failed" : batchMessage);
  }

  static List<JobErrorEntry> errors(RunOutcome outcome, Instant now) {
    List<JobErrorEntry> entries = new ArrayList<>();
    if (outcome == null) {
      return entries;
    }
    for (PodOutcome pod : outcome.pods()) {
      if (pod.kind() == FailureKind.NONE) {
        continue;
      }
      String details =
          (pod.kind() == FailureKind.INFRASTRUCTURE ? "infrastructure" : "application")
              + (pod.exitCode() == null ? "" : ", exit code " + pod.exitCode())
              + (pod.reason() == null ? "" : ", reason " + pod.reason());
      entries.add(
          new JobErrorEntry(
              now,
              ErrorLevel.ERROR,
              operatorId(pod.pod()),
              0,
              pod.message() == null ? details : pod.message(),
              details,
              null));
    }
    return entries;
  }

  /** The last {@code lines} lines of each pod's log; a pod whose log is gone is skipped. */
  static List<LogLine> logTail(KubernetesClient client, List<Pod> pods, int lines, Instant now) {
    List<LogLine> out = new ArrayList<>();
    if (lines == 0) {
      return out;
    }
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      String text;
      try {
        text =
            client
                .pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(name)
                .tailingLines(lines)
                .getLog();
      } catch (KubernetesClientException e) {
        LOG.debug("log of pod {} not readable: {}", name, e.getMessage());
        continue;
      }
      if (text == null) {
        continue;
      }
      int task = taskIndex(pod);
      for (String line : text.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        out.add(
            new LogLine(
                now, LogLevel.INFO, LogStream.STDOUT, bounded(line), operatorId(name), task));
      }
    }
    return out.size() > Telemetry.MAX_BATCH
        ? out.subList(out.size() - Telemetry.MAX_BATCH, out.size())
        : out;
  }

  static int taskIndex(Pod pod) {
    return Optional.ofNullable(pod.getMetadata().getAnnotations())
        .map(a -> a.get(INDEX_ANNOTATION))
        .map(
            v -> {
              try {
                return Integer.parseInt(v);
              } catch (NumberFormatException e) {
                return 0;
              }
            })
        .orElse(0);
  }

  private static String operatorId(String podName) {
    String id = "pod:" + podName;
    return id.length() > 128 ? id.substring(0, 128) : id;
  }

  private static String bounded(String line) {
    if (line.getBytes(StandardCharsets.UTF_8).length <= MAX_LINE_BYTES) {
      return line;
    }
    return line.substring(0, MAX_LINE_BYTES / 4);
  }
}
