package io.jobplane.adapters.rest.auth;

import java.nio.ByteBuffer;

/**
 * The SHA-256 of a presented token as a map key: four longs, compared and hashed by value. It is
 * what the server may remember about a token; the token itself is never kept.
 */
record TokenFingerprint(long w0, long w1, long w2, long w3) {

  static final int SHA256_BYTES = 32;

  /** The fingerprint of a SHA-256 digest (32 bytes). */
  static TokenFingerprint of(byte[] sha256) {
    if (sha256.length != SHA256_BYTES) {
      throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, not " + sha256.length);
    }
    ByteBuffer b = ByteBuffer.wrap(sha256);
    return new TokenFingerprint(b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24));
  }

  @Override
  public String toString() {
    // enough to tell entries apart in a debugger, not a full hash to look up elsewhere
    return "TokenFingerprint[" + Long.toHexString(w0 >>> 32) + "...]";
  }
}
