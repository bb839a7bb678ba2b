package io.jobplane.application.service;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.LeaseProof;
import io.jobplane.domain.Sha256;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Lease tokens: 256 random bits handed to the worker that claims a task, and required on every
 * report about it. Only their SHA-256 is stored, so reading the database (or a backup) does not let
 * anyone report for a lease; the epoch stays as the order of leases, which is not secret.
 */
final class LeaseTokens {

  static final String PREFIX = "jpl_lease_";

  private static final SecureRandom RANDOM = new SecureRandom();

  private LeaseTokens() {}

  static String issue() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String hash(String token) {
    return HexFormat.of().formatHex(Sha256.of(token));
  }

  /** What a report presents; a missing token is a malformed report, a wrong one a stale lease. */
  static LeaseProof proof(long epoch, String token) {
    if (token == null || token.isBlank()) {
      throw DomainException.invalid("lease_token", "is required (the claim returned it)");
    }
    return new LeaseProof(epoch, hash(token));
  }
}
