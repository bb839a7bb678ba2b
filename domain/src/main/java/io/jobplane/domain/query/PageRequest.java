package io.jobplane.domain.query;

import io.jobplane.domain.DomainException;

/**
 * Which page to read: a limit of 1 to 100 (default 20) and either an offset or a keyset cursor,
 * never both.
 */
public record PageRequest(int limit, int offset, Cursor cursor) {

  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;
  public static final int MAX_OFFSET = 1_000_000;

  public PageRequest {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw DomainException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
    }
    if (offset < 0) {
      throw DomainException.invalid("offset", "must not be negative");
    }
    if (offset > MAX_OFFSET) {
      throw DomainException.invalid(
          "offset", "must be at most " + MAX_OFFSET + "; use the cursor to page further");
    }
    if (cursor != null && offset != 0) {
      throw DomainException.invalid("cursor", "cannot be combined with offset");
    }
  }

  public static PageRequest first(int limit) {
    return new PageRequest(limit, 0, null);
  }

  public static PageRequest of(Integer limit, Integer offset, String cursor) {
    if (cursor != null && offset != null) {
      throw DomainException.invalid("cursor", "cannot be combined with offset");
    }
    return new PageRequest(
        limit == null ? DEFAULT_LIMIT : limit,
        offset == null ? 0 : offset,
        cursor == null ? null : Cursor.decode(cursor));
  }
}
