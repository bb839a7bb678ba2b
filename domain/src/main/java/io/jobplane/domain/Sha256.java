package io.jobplane.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the one hashing helper of Jobplane: the form in which tokens and credentials are kept,
 * request and query fingerprints, content hashes and names derived from text. It is JDK only and
 * lives in the domain so that every module reaches it without breaking the rings.
 */
public final class Sha256 {

  private Sha256() {}

  /** The digest of {@code text} as UTF-8. */
  public static byte[] of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The digest of the parts, one after the other (as if concatenated). */
  public static byte[] of(byte[]... parts) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
    for (byte[] part : parts) {
      sha.update(part);
    }
    return sha.digest();
  }

  /** The digest of {@code text} as UTF-8, in lower-case hex (64 digits). */
  public static String hex(String text) {
    return HexFormat.of().formatHex(of(text));
  }
}
