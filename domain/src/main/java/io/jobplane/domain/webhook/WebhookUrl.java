package io.jobplane.domain.webhook;

import io.jobplane.domain.DomainException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where a webhook posts its events: an absolute http or https URL with a host. Every other scheme
 * (file, ftp, gopher, jar...) is refused, since the server itself makes the request; so is user
 * information in the URL, which every reader of the webhook would see: credentials belong in the
 * signing secret. A fragment is never sent, so one is refused rather than silently dropped.
 */
public final class WebhookUrl {

  public static final int MAX_LENGTH = 2048;

  private WebhookUrl() {}

  public static URI parse(String text, String field) {
    if (text == null || text.isBlank()) {
      throw DomainException.invalid(field, "is required");
    }
    if (text.length() > MAX_LENGTH) {
      throw DomainException.invalid(field, "must be at most " + MAX_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw DomainException.invalid(field, "is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw DomainException.invalid(field, "must be an http or https URL");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw DomainException.invalid(field, "must name a host");
    }
    if (uri.getRawUserInfo() != null) {
      throw DomainException.invalid(
          field, "must not carry user information; the signing secret authenticates the server");
    }
    if (uri.getRawFragment() != null) {
      throw DomainException.invalid(field, "must not have a fragment");
    }
    return uri;
  }
}
