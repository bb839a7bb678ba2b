package io.jobplane.domain.query;

import java.util.List;

/** One page of a list with what a client needs to fetch the next one. */
public record Page<T>(
    List<T> items, long total, int limit, int offset, boolean hasMore, String nextCursor) {

  public Page {
    items = List.copyOf(items);
  }
}
