package io.jobplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A worker speaking the worker protocol from inside the test JVM: claim, then report. */
final class ProtocolWorker {

  /** One lease as the server handed it out. */
  record Lease(String jobId, int taskIndex, long epoch, String leaseToken, int attempt) {
    String reportPath(String what) {
      return "/api/v1/leases/" + jobId + "/tasks/" + taskIndex + "/" + what;
    }

    /** What a report body starts with: the proof of holding this lease. */
    String proof() {
      return "\"epoch\":" + epoch + ",\"lease_token\":\"" + leaseToken + "\"";
    }
  }

  private final Api api;
  private final String workerId;

  ProtocolWorker(Api api, String workerId) {
    this.api = api;
    this.workerId = workerId;
  }

  String id() {
    return workerId;
  }

  List<Lease> claim(String queue, int maxTasks, int leaseSeconds)
      throws IOException, InterruptedException {
    Api.Response r =
        api.post(
            "/api/v1/leases",
            "{\"worker_id\":\""
                + workerId
                + "\",\"queues\":[\""
                + queue
                + "\"],\"max_tasks\":"
                + maxTasks
                + ",\"lease_seconds\":"
                + leaseSeconds
                + "}");
    if (r.status() != 200) {
      throw new IllegalStateException("claim answered " + r.status() + ": " + r.raw());
    }
    List<Lease> leases = new ArrayList<>();
    for (JsonNode l : r.body().get("leases")) {
      leases.add(
          new Lease(
              l.get("job_id").asText(),
              l.get("task_index").asInt(),
              l.get("epoch").asLong(),
              l.get("lease_token").asText(),
              l.get("attempt").asInt()));
    }
    return leases;
  }

  Api.Response complete(Lease lease) throws IOException, InterruptedException {
    return api.post(lease.reportPath("complete"), "{" + lease.proof() + "}");
  }

  /**
   * Completes all the leases in one batch report; returns how many of them the server accepted
   * (each lease is fenced on its own).
   */
  int completeAll(List<Lease> leases) throws IOException, InterruptedException {
    StringBuilder body = new StringBuilder("{\"reports\":[");
    for (int i = 0; i < leases.size(); i++) {
      Lease l = leases.get(i);
      body.append(i == 0 ? "" : ",")
          .append("{\"type\":\"complete\",\"job_id\":\"")
          .append(l.jobId())
          .append("\",\"task_index\":")
          .append(l.taskIndex())
          .append(",")
          .append(l.proof())
          .append('}');
    }
    Api.Response r = api.post("/api/v1/leases/reports", body.append("]}").toString());
    if (r.status() != 200) {
      throw new IllegalStateException("batch report answered " + r.status() + ": " + r.raw());
    }
    int accepted = 0;
    for (JsonNode result : r.body().get("results")) {
      accepted += result.path("accepted").asBoolean() ? 1 : 0;
    }
    return accepted;
  }
}
