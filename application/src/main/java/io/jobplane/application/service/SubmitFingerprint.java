package io.jobplane.application.service;

import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobDependencies;
import io.jobplane.domain.KubernetesPlacement;
import io.jobplane.domain.SecretRef;
import io.jobplane.domain.Sha256;
import io.jobplane.domain.WorkerCommand;
import java.util.HexFormat;
import java.util.Map;

/**
 * The fingerprint an Idempotency-Key is stored with: a replay with another body is refused. What
 * was added to a job definition later is appended only when present, so the fingerprints of keys
 * stored before it still match.
 */
final class SubmitFingerprint {

  private SubmitFingerprint() {}

  private static String commandText(WorkerCommand c) {
    if (c == null) {
      return "-";
    }
    StringBuilder b = new StringBuilder();
    c.argv().forEach(a -> b.append(a.length()).append(':').append(a));
    b.append('|');
    c.env().forEach((k, v) -> b.append(k).append('=').append(v.length()).append(':').append(v));
    return b.append(refsText(c.secretEnv())).toString();
  }

  /**
   * Empty without references, so fingerprints of keys stored before secrets existed still match.
   */
  private static String refsText(Map<String, SecretRef> refs) {
    if (refs.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("|");
    refs.forEach((k, r) -> b.append(k).append("=@").append(r.secret()).append('/').append(r.key()));
    return b.toString();
  }

  private static String placementText(KubernetesPlacement k) {
    return k == null
        ? "-"
        : k.namespace()
            + "/"
            + k.resourceName()
            + "|"
            + String.valueOf(k.podTemplate())
            + refsText(k.secretEnv());
  }

  /** A digest of everything the client chose, so a replay with another body is detected. */
  static String of(SubmitJobCommand command) {
    JobDefinition d = command.definition();
    String canonical =
        String.join(
            "\u001f",
            d.name(),
            d.type(),
            d.project(),
            d.labels().values().toString(),
            d.input().json(),
            Integer.toString(d.maxAttempts()),
            Integer.toString(d.priority()),
            d.queue(),
            d.runtime().name(),
            String.valueOf(d.timeoutSeconds()),
            Integer.toString(d.parallelism()),
            commandText(d.command()),
            placementText(d.kubernetes()),
            Boolean.toString(command.suspended()));
    if (d.placement() != null) {
      // appended only when present, so fingerprints of keys stored before placements still match
      canonical +=
          "\u001fplacement="
              + d.placement().mode()
              + "|"
              + d.placement().workerSelector()
              + "|"
              + d.placement().includeLateJoiners();
    }
    JobDependencies deps = command.dependsOn();
    if (deps != null) {
      // appended only when present, so fingerprints of keys stored before depends_on still match
      canonical += "\u001f" + deps.condition() + deps.jobs();
    }
    return HexFormat.of().formatHex(Sha256.of(canonical));
  }
}
