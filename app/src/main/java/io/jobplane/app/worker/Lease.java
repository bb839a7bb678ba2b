package io.jobplane.app.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/** One leased task, as {@code POST /api/v1/leases} hands it out. */
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
        n.path("lease_token").asText(),
        n.path("run_id").asLong(),
        n.path("attempt").asInt(1),
        n.path("parallelism").asInt(1),
        job,
        checkpoint == null ? NullNode.getInstance() : checkpoint);
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
