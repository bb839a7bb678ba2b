package io.jobplane.app.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One leased task, as {@code POST /api/v1/leases} hands it out.
 *
 * @param leaseToken the lease's unguessable proof of holding ({@code lease_token}), sent with every
 *     report next to the epoch; null from a server that hands out none (before issue 12), and then
 *     not sent, since such a server refuses fields it does not know
 */
record Lease(
    String jobId,
    int taskIndex,
    long epoch,
    String leaseToken,
    long runId,
    int attempt,
    int parallelism,
    JsonNode job,
    JsonNode checkpoint) {

  static Lease fromJson(JsonNode n) {
    JsonNode job = n.path("job");
    JsonNode checkpoint = n.get("checkpoint");
    return new Lease(
        n.path("job_id").asText(),
        n.path("task_index").asInt(),
        n.path("epoch").asLong(),
        n.path("lease_token").isTextual() ? n.path("lease_token").asText() : null,
        n.path("run_id").asLong(),
        n.path("attempt").asInt(1),
        n.path("parallelism").asInt(1),
        job,
        checkpoint == null ? NullNode.getInstance() : checkpoint);
  }

  /** Adds what names this lease in a report body: its epoch and, when it has one, its token. */
  void writeFence(ObjectNode body) {
    body.put("epoch", epoch);
    if (leaseToken != null) {
      body.put("lease_token", leaseToken);
    }
  }

  /** Key of the running-task map: a task is never run twice at once by one worker. */
  String key() {
    return jobId + "/" + taskIndex;
  }

  /** Never the lease token: it is the proof of holding the lease, and logs are read by many. */
  @Override
  public String toString() {
    return "task " + key() + " (epoch " + epoch + ", attempt " + attempt + ")";
  }
}
