package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server is killed with SIGKILL while clients submit with idempotency keys, ten times over;
 * after each restart every acknowledged job is there exactly once, and retrying any key, answered
 * or not, never creates a second job.
 */
class DurabilityE2EIT {

  private static final int CYCLES = 10;
  private static final int CLIENTS = 4;

  @TempDir Path dataDir;

  @Test
  void everyAcknowledgedSubmitSurvivesKillMinus9ExactlyOnce() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Random random = new Random();
    /** key -> job id, for every submit the server answered with 201 or 200 */
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    /** keys sent whose answer never came (the kill cut them off) */
    List<String> unanswered = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    long cutOff = 0;
    try {
      for (int cycle = 1; cycle <= CYCLES; cycle++) {
        JobplaneProcess server = JobplaneProcess.start(dataDir, port);
        Api api = new Api(server.baseUrl(), JobplaneProcess.adminToken(dataDir));
        verifyExactlyOnce(api, acknowledged, unanswered);
        int before = acknowledged.size();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger sequence = new AtomicInteger();
        int thisCycle = cycle;
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          running.add(
              clients.submit(
                  () -> {
                    while (!killed.get()) {
                      String key = "c" + thisCycle + "-" + sequence.incrementAndGet();
                      try {
                        Api.Response r = api.post("/api/v1/jobs", job(key), key);
                        if (r.status() == 201 || r.status() == 200) {
                          acknowledged.put(key, r.body().get("id").asText());
                        } else {
                          unanswered.add(key);
                        }
                      } catch (java.io.IOException e) {
                        unanswered.add(key);
                      }
                    }
                    return null;
                  }));
        }
        Thread.sleep(700 + random.nextInt(1300));
        server.kill9();
        killed.set(true);
        for (Future<?> f : running) {
          f.get(60, TimeUnit.SECONDS);
        }
        long cutThisCycle = unansweredCount(unanswered, thisCycle);
        cutOff += cutThisCycle;
        System.out.printf(
            "Durability cycle %d: %d submits acknowledged before kill -9, %d cut off%n",
            cycle, acknowledged.size() - before, cutThisCycle);
      }
      try (JobplaneProcess last = JobplaneProcess.start(dataDir, port)) {
        Api api = new Api(last.baseUrl(), JobplaneProcess.adminToken(dataDir));
        Map<String, Integer> stored = verifyExactlyOnce(api, acknowledged, unanswered);
        System.out.printf(
            "Durability: %d cycles, %d jobs acknowledged (cut-off keys included once retried), all"
                + " present exactly once; %d submits cut off by a kill were retried with their"
                + " keys without a duplicate; %d jobs stored%n",
            CYCLES, acknowledged.size(), cutOff, stored.size());
        assertThat(acknowledged).hasSizeGreaterThan(CYCLES * 10);
      }
    } finally {
      clients.shutdownNow();
    }
  }

  private static long unansweredCount(List<String> unanswered, int cycle) {
    synchronized (unanswered) {
      return unanswered.stream().filter(k -> k.startsWith("c" + cycle + "-")).count();
    }
  }

  private static String job(String key) {
    return "{\"name\":\"" + key + "\",\"type\":\"durable\",\"labels\":{\"key\":\"" + key + "\"}}";
  }

  /**
   * Every stored job, by name, must appear once; every acknowledged key maps to its stored job and
   * replays as it; every cut-off key, retried, is created at most once.
   */
  private static Map<String, Integer> verifyExactlyOnce(
      Api api, Map<String, String> acknowledged, List<String> unanswered) throws Exception {
    Map<String, Integer> byName = new HashMap<>();
    Map<String, String> idByName = new HashMap<>();
    String cursor = null;
    do {
      JsonNode page =
          api.get("/api/v1/jobs?limit=100" + (cursor == null ? "" : "&cursor=" + cursor)).body();
      for (JsonNode item : page.get("items")) {
        byName.merge(item.get("name").asText(), 1, Integer::sum);
        idByName.put(item.get("name").asText(), item.get("id").asText());
      }
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
    } while (cursor != null);
    assertThat(byName.values()).as("no job stored twice").allMatch(n -> n == 1);
    acknowledged.forEach(
        (key, id) ->
            assertThat(idByName.get(key))
                .as("acknowledged job %s after restart", key)
                .isEqualTo(id));
    List<String> retry;
    synchronized (unanswered) {
      retry = new ArrayList<>(unanswered);
    }
    for (String key : retry) {
      Api.Response r = api.post("/api/v1/jobs", job(key), key);
      assertThat(r.status()).as("retry of %s: %s", key, r.raw()).isIn(200, 201);
      String id = r.body().get("id").asText();
      if (idByName.containsKey(key)) {
        assertThat(r.status()).as("%s was stored before: the retry replays it", key).isEqualTo(200);
        assertThat(id).isEqualTo(idByName.get(key));
      }
      acknowledged.put(key, id);
      idByName.put(key, id);
      byName.put(key, 1);
    }
    unanswered.removeAll(retry);
    for (String key :
        List.copyOf(acknowledged.keySet()).subList(0, Math.min(50, acknowledged.size()))) {
      Api.Response replay = api.post("/api/v1/jobs", job(key), key);
      assertThat(replay.status()).isEqualTo(200);
      assertThat(replay.body().get("id").asText()).isEqualTo(acknowledged.get(key));
    }
    return byName;
  }
}
