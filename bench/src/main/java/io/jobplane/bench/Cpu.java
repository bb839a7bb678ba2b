package io.jobplane.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of another process (from /proc) and of this JVM, split by phase: on a shared two-core
 * machine it says which side a phase was waiting for.
 */
final class Cpu {

  /** USER_HZ on Linux: /proc reports CPU time in ticks of 1/100 s. */
  private static final double TICKS_PER_SECOND = 100.0;

  private final long pid;
  private final OperatingSystemMXBean self =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private double otherAtStart;
  private double selfAtStart;

  record Split(double operatorSeconds, double selfSeconds) {}

  Cpu(long pid) throws Exception {
    this.pid = pid;
    otherAtStart = otherSeconds();
    selfAtStart = self.getProcessCpuTime() / 1e9;
  }

  Split split() throws Exception {
    double other = otherSeconds();
    double mine = self.getProcessCpuTime() / 1e9;
    Split split = new Split(other - otherAtStart, mine - selfAtStart);
    otherAtStart = other;
    selfAtStart = mine;
    return split;
  }

  /** utime + stime, fields 14 and 15 of /proc/PID/stat (counted after the command's ")"). */
  private double otherSeconds() throws Exception {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
  }
}
