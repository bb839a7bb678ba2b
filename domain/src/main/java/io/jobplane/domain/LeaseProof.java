package io.jobplane.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * What a worker report presents as proof that it comes from the task's current lease: the epoch
 * (the fencing order, which anyone who can read the task sees) and the hash of the lease token
 * handed out only to the worker that claimed it (the proof of holding, which nobody else has).
 */
public record LeaseProof(long epoch, String tokenHash) {

  public LeaseProof {
    if (epoch < 0) {
      throw DomainException.invalid("epoch", "must not be negative");
    }
    if (tokenHash == null || tokenHash.isBlank()) {
      throw DomainException.invalid("lease_token", "is required");
    }
  }

  /**
   * Whether this proof names the lease of epoch {@code current} whose token hashes to {@code
   * currentHash}; the hashes are compared in constant time so the answer's timing tells nothing.
   */
  boolean holds(long current, String currentHash) {
    return currentHash != null
        && epoch == current
        && MessageDigest.isEqual(
            tokenHash.getBytes(StandardCharsets.UTF_8),
            currentHash.getBytes(StandardCharsets.UTF_8));
  }
}
