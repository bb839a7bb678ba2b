package io.jobplane.adapters.k8s.operator;

import io.jobplane.adapters.k8s.operator.PodPolicy.Level;
import java.util.ArrayList;
import java.util.List;

/** Collects messages, each naming the policy that forbids the field. */
final class PolicyReport {

  final Level level;
  final List<String> messages = new ArrayList<>();

  PolicyReport(Level level) {
    this.level = level;
  }

  /** {@code "<path>: <what> by the <level> policy"}. */
  void forbid(String path, String what) {
    messages.add(path + ": " + what + " by the " + level.label() + " policy");
  }

  /** {@code "<path>: <what>, as the <level> policy requires"}. */
  void require(String path, String what) {
    messages.add(path + ": " + what + ", as the " + level.label() + " policy requires");
  }

  /** {@code "<path>: <what> by the platform policy[; <hint>]"}, whatever the level. */
  void platform(String path, String what, String hint) {
    messages.add(
        path + ": " + what + " by the platform policy" + (hint == null ? "" : "; " + hint));
  }
}
