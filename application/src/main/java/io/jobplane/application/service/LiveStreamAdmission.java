package io.jobplane.application.service;

import io.jobplane.domain.DomainException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live streams a server holds, against its limits: per token (429, the caller may retry once it
 * closed one) and in all (503, any caller may retry later).
 */
final class LiveStreamAdmission {

  private final LiveLimits limits;
  private final Set<LiveStream<?>> open = new LinkedHashSet<>(); // guarded by this
  private final Map<String, Integer> perCaller = new HashMap<>(); // guarded by this

  LiveStreamAdmission(LiveLimits limits) {
    this.limits = limits;
  }

  synchronized void admit(LiveStream<?> stream, boolean shuttingDown) {
    if (shuttingDown) {
      throw new DomainException(DomainException.Reason.UNAVAILABLE, "the server is shutting down");
    }
    int mine = perCaller.getOrDefault(stream.who.name(), 0);
    if (mine >= limits.maxStreamsPerCaller()) {
      throw new DomainException(
          DomainException.Reason.TOO_MANY_REQUESTS,
          "this token already holds "
              + mine
              + " live streams, the most it may; close one or retry later");
    }
    if (open.size() >= limits.maxStreams()) {
      throw new DomainException(
          DomainException.Reason.UNAVAILABLE,
          "the server holds as many live streams as it serves (" + open.size() + "); retry later");
    }
    perCaller.merge(stream.who.name(), 1, Integer::sum);
    open.add(stream);
  }

  synchronized void release(LiveStream<?> stream) {
    if (open.remove(stream)) {
      perCaller.computeIfPresent(stream.who.name(), (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  synchronized int open() {
    return open.size();
  }

  /** Closes every stream (each releases itself). */
  void closeAll() {
    List<LiveStream<?>> all;
    synchronized (this) {
      all = new ArrayList<>(open);
    }
    all.forEach(LiveStream::close);
  }
}
