package io.jobplane.application.security;

import io.jobplane.domain.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secret values at rest with AES-256-GCM under the server key (JDK {@code javax.crypto}
 * only). Every value gets a fresh random 96-bit nonce, and the secret's project, name and key are
 * bound as additional authenticated data, so a value copied onto another secret (or another key of
 * the same one) fails to open instead of being handed out under the wrong name.
 *
 * <p>Each sealed value records the id of the key that sealed it; the cipher opens values of every
 * key it was given, so a later rotation can add a new key and re-seal at leisure. The key never
 * leaves this object: no accessor, and {@link #toString()} names only its id.
 */
public final class SecretCipher {

  /** AES-256. */
  public static final int KEY_BYTES = 32;

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  /** A value as stored: which key sealed it, its nonce, and the ciphertext with the GCM tag. */
  public record Sealed(String keyId, byte[] nonce, byte[] ciphertext) {
    public Sealed {
      Objects.requireNonNull(keyId, "keyId");
      nonce = nonce.clone();
      ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] nonce() {
      return nonce.clone();
    }

    @Override
    public byte[] ciphertext() {
      return ciphertext.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Sealed s
          && keyId.equals(s.keyId)
          && Arrays.equals(nonce, s.nonce)
          && Arrays.equals(ciphertext, s.ciphertext);
    }

    @Override
    public int hashCode() {
      return Objects.hash(keyId, Arrays.hashCode(nonce), Arrays.hashCode(ciphertext));
    }

    @Override
    public String toString() {
      return "Sealed[keyId=" + keyId + ", " + ciphertext.length + " bytes]";
    }
  }

  /** A sealed value that does not open: another key, another name, or changed bytes. */
  public static final class UnreadableSecret extends RuntimeException {
    UnreadableSecret(String message) {
      super(message, null, false, false);
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String keyId;
  private final Map<String, SecretKeySpec> keys;

  /** A cipher that seals with {@code key} (32 bytes) and opens what it sealed. */
  public SecretCipher(byte[] key) {
    if (key == null || key.length != KEY_BYTES) {
      throw new IllegalArgumentException("the secrets key must be " + KEY_BYTES + " bytes");
    }
    this.keyId = keyId(key);
    this.keys = Map.of(keyId, new SecretKeySpec(key.clone(), "AES"));
  }

  /** A fresh random key, for a server that has none yet. */
  public static byte[] generateKey() {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    return key;
  }

  /**
   * The public id of a key: 16 hex digits of a SHA-256 over a fixed label and the key. It tells
   * keys apart without revealing anything about them.
   */
  public static String keyId(byte[] key) {
    byte[] label = "jobplane secrets key id\0".getBytes(StandardCharsets.US_ASCII);
    return HexFormat.of().formatHex(Sha256.of(label, key), 0, 8);
  }

  /** The id of the key new values are sealed with. */
  public String keyId() {
    return keyId;
  }

  /** The additional authenticated data of one value: what the value belongs to. */
  public static byte[] aad(String project, String secret, String key) {
    return (project + '\0' + secret + '\0' + key).getBytes(StandardCharsets.UTF_8);
  }

  public Sealed seal(String plaintext, byte[] aad) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance(TRANSFORMATION);
      c.init(Cipher.ENCRYPT_MODE, keys.get(keyId), new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(aad);
      return new Sealed(keyId, nonce, c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * The plain value, if {@code sealed} was sealed by one of this cipher's keys for exactly {@code
   * aad} and not changed since; otherwise {@link UnreadableSecret} (whose message names the key id,
   * never any value).
   */
  public String open(Sealed sealed, byte[] aad) {
    SecretKeySpec key = keys.get(sealed.keyId());
    if (key == null) {
      throw new UnreadableSecret(
          "sealed with key " + sealed.keyId() + ", which this server does not hold");
    }
    try {
      Cipher c = Cipher.getInstance(TRANSFORMATION);
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
      c.updateAAD(aad);
      return new String(c.doFinal(sealed.ciphertext()), StandardCharsets.UTF_8);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new UnreadableSecret("does not authenticate: changed, or stored under another name");
    } catch (GeneralSecurityException e) {
      throw new UnreadableSecret("cannot be decrypted: " + e.getClass().getSimpleName());
    }
  }

  @Override
  public String toString() {
    return "SecretCipher[keyId=" + keyId + "]";
  }
}
