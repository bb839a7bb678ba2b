package io.jobplane.domain.webhook;

import io.jobplane.domain.DomainException;

/**
 * The rule for a signing secret a client chooses: long enough to resist guessing, printable ASCII
 * so that every receiver's language reads the same bytes. The value itself is never echoed, not
 * even in the message that refuses it.
 */
public final class WebhookSecret {

  public static final int MIN_LENGTH = 16;
  public static final int MAX_LENGTH = 256;

  private WebhookSecret() {}

  public static String validate(String secret, String field) {
    if (secret == null || secret.isEmpty()) {
      throw DomainException.invalid(field, "is required");
    }
    if (secret.length() < MIN_LENGTH || secret.length() > MAX_LENGTH) {
      throw DomainException.invalid(
          field, "must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < secret.length(); i++) {
      char c = secret.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw DomainException.invalid(field, "must be printable ASCII without spaces");
      }
    }
    return secret;
  }
}
