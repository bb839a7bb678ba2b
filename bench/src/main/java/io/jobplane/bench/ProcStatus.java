package io.jobplane.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the kernel says of a process's threads and resident memory, from /proc/PID/status: the whole
 * process, native memory included, which a JVM's own heap figures leave out.
 *
 * @param peakRssKib VmHWM, the kernel's own peak
 * @param rssKib VmRSS, now
 */
record ProcStatus(int threads, long peakRssKib, long rssKib) {

  static ProcStatus read(long pid) throws IOException {
    int threads = -1;
    long peak = -1;
    long rss = -1;
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("Threads:")) {
        threads = Integer.parseInt(line.substring("Threads:".length()).trim());
      } else if (line.startsWith("VmHWM:")) {
        peak = kib(line);
      } else if (line.startsWith("VmRSS:")) {
        rss = kib(line);
      }
    }
    return new ProcStatus(threads, peak, rss);
  }

  private static long kib(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }
}
