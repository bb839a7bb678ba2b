package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A force stop, the worker's completion and a restart sent at the same instant to one running job:
 * exactly one of stop and complete wins, the restart succeeds only after the winner finished the
 * run, and the timeline holds one entry per transition.
 */
class LifecycleRaceE2EIT {

  private static final int ROUNDS = 30;

  @TempDir Path dataDir;

  @Test
  void racingStopCompleteAndRestartHaveExactlyOneOutcome() throws Exception {
    Map<String, Integer> outcomes = new TreeMap<>();
    ExecutorService racers = Executors.newFixedThreadPool(3);
    try (JobplaneProcess server = JobplaneProcess.start(dataDir)) {
      Api api = new Api(server.baseUrl(), JobplaneProcess.adminToken(dataDir));
      ProtocolWorker worker = new ProtocolWorker(api, "racer");
      for (int round = 0; round < ROUNDS; round++) {
        String queue = "race-" + round;
        String id =
            api.post(
                    "/api/v1/jobs",
                    "{\"name\":\"r\",\"type\":\"race\",\"queue\":\"" + queue + "\"}")
                .body()
                .get("id")
                .asText();
        ProtocolWorker.Lease lease = worker.claim(queue, 1, 60).get(0);
        CountDownLatch go = new CountDownLatch(1);
        Future<Api.Response> stop =
            racers.submit(
                at(go, () -> api.post("/api/v1/jobs/" + id + "/stop", "{\"mode\":\"force\"}")));
        Future<Api.Response> complete = racers.submit(at(go, () -> worker.complete(lease)));
        Future<Api.Response> restart =
            racers.submit(at(go, () -> api.post("/api/v1/jobs/" + id + "/restart", "{}")));
        go.countDown();
        int stopStatus = stop.get(30, TimeUnit.SECONDS).status();
        int completeStatus = complete.get(30, TimeUnit.SECONDS).status();
        int restartStatus = restart.get(30, TimeUnit.SECONDS).status();

        Map<String, Integer> answers =
            Map.of("stop", stopStatus, "complete", completeStatus, "restart", restartStatus);
        int thisRound = round;
        answers.forEach(
            (op, status) -> assertThat(status).as("round %d %s", thisRound, op).isIn(200, 409));

        List<String> timeline = new ArrayList<>();
        for (JsonNode e : api.get("/api/v1/jobs/" + id + "/events").body().get("items")) {
          timeline.add(e.get("event").asText() + "@" + e.get("run_id").asInt());
        }
        assertThat(timeline.subList(0, 3)).containsExactly("SUBMITTED@1", "QUEUED@1", "STARTED@1");
        List<String> after = timeline.subList(3, timeline.size());
        // the serial order the server chose: one entry per accepted request, none for a refused one
        List<String> applied = after.stream().map(LifecycleRaceE2EIT::operation).toList();
        List<String> accepted =
            answers.entrySet().stream()
                .filter(a -> a.getValue() == 200)
                .map(Map.Entry::getKey)
                .toList();
        assertThat(applied)
            .as("round %d: %s", round, timeline)
            .containsExactlyInAnyOrderElementsOf(accepted);
        assertThat(after.get(0))
            .as("round %d: exactly one of stop and complete ends run 1", round)
            .isIn("SUCCEEDED@1", "STOPPED@1");
        assertThat(after.stream().filter(e -> e.endsWith("@1"))).hasSize(1);
        if (after.size() > 1) {
          assertThat(after.get(1)).as("round %d: %s", round, timeline).isEqualTo("RESTARTED@2");
        }
        if (after.size() > 2) {
          assertThat(after).containsExactly("SUCCEEDED@1", "RESTARTED@2", "STOPPED@2");
        }
        String last = after.get(after.size() - 1);
        String expectedStatus =
            last.startsWith("RESTARTED") ? "QUEUED" : last.substring(0, last.indexOf('@'));
        assertThat(api.get("/api/v1/jobs/" + id).body().get("status").asText())
            .isEqualTo(expectedStatus);
        outcomes.merge(String.join(" then ", applied), 1, Integer::sum);
      }
    } finally {
      racers.shutdownNow();
    }
    System.out.println("Lifecycle race outcomes over " + ROUNDS + " rounds: " + outcomes);
    assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(ROUNDS);
  }

  private static String operation(String event) {
    return switch (event.substring(0, event.indexOf('@'))) {
      case "SUCCEEDED" -> "complete";
      case "STOPPED" -> "stop";
      case "RESTARTED" -> "restart";
      default -> throw new AssertionError("unexpected timeline entry " + event);
    };
  }

  private static <T> Callable<T> at(CountDownLatch go, Callable<T> call) {
    return () -> {
      go.await();
      return call.call();
    };
  }
}
