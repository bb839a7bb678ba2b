package io.jobplane.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The mock server's CRUD dispatcher, counting the operator's requests by verb and resource (the
 * benchmark's own requests carry {@link #BENCH_AGENT} and are left out): the profile of what the
 * operator asks of an API server per resource.
 */
final class CountingDispatcher extends KubernetesCrudDispatcher {

  static final String BENCH_AGENT = "jobplane-bench";

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String agent = request.getHeader("User-Agent");
    if (agent == null || !agent.contains(BENCH_AGENT)) {
      counts.computeIfAbsent(key(request), k -> new LongAdder()).increment();
    }
    return super.dispatch(request);
  }

  void clearCounts() {
    counts.clear();
  }

  Map<String, Long> snapshotAndReset() {
    Map<String, Long> snapshot = new TreeMap<>();
    counts.forEach((k, v) -> snapshot.put(k, v.sum()));
    counts.clear();
    return snapshot;
  }

  /** {@code PATCH jobs.jobplane.io/status}, {@code GET(watch) pods}, {@code POST events}, ... */
  static String key(RecordedRequest request) {
    String[] pathAndQuery = request.getPath().split("\\?", 2);
    boolean watch = pathAndQuery.length > 1 && pathAndQuery[1].contains("watch=true");
    String[] parts = pathAndQuery[0].split("/");
    int from = 0;
    String group = "";
    if (parts.length > 2 && parts[1].equals("apis")) {
      group = "." + parts[2];
      from = 4;
    } else if (parts.length > 1 && parts[1].equals("api")) {
      from = 3;
    }
    if (from + 1 < parts.length && parts[from].equals("namespaces") && from + 2 < parts.length) {
      from += 2;
    }
    String resource = from < parts.length ? parts[from] + group : pathAndQuery[0];
    String subresource = from + 2 < parts.length ? "/" + parts[from + 2] : "";
    return request.getMethod() + (watch ? "(watch)" : "") + " " + resource + subresource;
  }
}
