package io.jobplane.application.service;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Threads of the services' own pools: numbered after their pool, and never keeping the JVM up. */
final class DaemonThreads {

  private DaemonThreads() {}

  /** Threads named {@code name-1}, {@code name-2}, ... */
  static ThreadFactory named(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
