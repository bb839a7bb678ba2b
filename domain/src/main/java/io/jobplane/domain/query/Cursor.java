package io.jobplane.domain.query;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * An opaque keyset position: the sort it was made for, a fingerprint of the filter, the sort values
 * of the last job on the page and that job's id. Clients pass it back untouched; a cursor used with
 * another sort or filter is refused rather than silently giving a wrong page.
 */
public record Cursor(String sort, String filterFingerprint, List<String> values, UUID lastId) {

  private static final String VERSION = "c1";
  private static final char SEP = '\u001f';
  private static final String NULL = "\u0000";

  public Cursor {
    values = values.stream().map(v -> v == null ? NULL : v).toList();
  }

  /** The sort value at position {@code i}, null when the job had no value (e.g. no progress). */
  public String value(int i) {
    String v = values.get(i);
    return NULL.equals(v) ? null : v;
  }

  /** The cursor that continues a list after {@code last}. */
  public static Cursor after(Sort sort, JobFilter filter, JobSnapshot last) {
    List<String> values = new ArrayList<>();
    for (Sort.Key key : sort.keys()) {
      values.add(key.field().cursorValue(last));
    }
    return new Cursor(sort.wire(), filter.fingerprint(), values, last.id().value());
  }

  public String encode() {
    StringBuilder b =
        new StringBuilder(VERSION)
            .append(SEP)
            .append(sort)
            .append(SEP)
            .append(filterFingerprint)
            .append(SEP)
            .append(lastId);
    for (String v : values) {
      b.append(SEP).append(v);
    }
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(b.toString().getBytes(StandardCharsets.UTF_8));
  }

  public static Cursor decode(String token) {
    if (token == null || token.isEmpty() || token.length() > 4096) {
      throw DomainException.invalid("cursor", "is not a cursor this server issued");
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      String[] parts = text.split(String.valueOf(SEP), -1);
      if (parts.length < 5 || !VERSION.equals(parts[0])) {
        throw DomainException.invalid("cursor", "is not a cursor this server issued");
      }
      List<String> values = new ArrayList<>();
      for (int i = 4; i < parts.length; i++) {
        values.add(parts[i]);
      }
      return new Cursor(parts[1], parts[2], values, UUID.fromString(parts[3]));
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid("cursor", "is not a cursor this server issued");
    }
  }
}
