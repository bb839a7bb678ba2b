package io.jobplane.application.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook request: {@code Jobplane-Signature: t=<unix seconds>,v1=<hex>}, where
 * the hex is HMAC-SHA256 under the webhook's secret over {@code <t>.<body bytes>}. Signing the time
 * with the body lets a receiver refuse an old request replayed later (reject {@code t} more than a
 * few minutes away from its clock); {@code v1} names the scheme so another can be added beside it.
 */
public final class WebhookSignature {

  public static final String HEADER = "Jobplane-Signature";

  private WebhookSignature() {}

  public static String header(String secret, long unixSeconds, byte[] body) {
    return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(mac(secret, unixSeconds, body));
  }

  /** Whether {@code header} signs {@code body} with {@code secret} (the time is not checked). */
  public static boolean verify(String secret, String header, byte[] body) {
    Long t = null;
    String v1 = null;
    for (String part : header.split(",")) {
      if (part.startsWith("t=")) {
        try {
          t = Long.parseLong(part.substring(2));
        } catch (NumberFormatException e) {
          return false;
        }
      } else if (part.startsWith("v1=")) {
        v1 = part.substring(3);
      }
    }
    if (t == null || v1 == null) {
      return false;
    }
    byte[] expected =
        HexFormat.of().formatHex(mac(secret, t, body)).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, v1.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] mac(String secret, long unixSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }
}
