package io.jobplane.domain.query;

import io.jobplane.domain.DomainException;
import java.util.Objects;

/** A complete list request: filter, sort and page. */
public record JobQuery(JobFilter filter, Sort sort, PageRequest page) {

  public JobQuery {
    filter = filter == null ? JobFilter.ALL : filter;
    sort = sort == null ? Sort.DEFAULT : sort;
    Objects.requireNonNull(page, "page");
    Cursor c = page.cursor();
    if (c != null) {
      if (!c.sort().equals(sort.wire())) {
        throw DomainException.invalid(
            "cursor", "was issued for sort '" + c.sort() + "', not '" + sort.wire() + "'");
      }
      if (!c.filterFingerprint().equals(filter.fingerprint())) {
        throw DomainException.invalid("cursor", "was issued for other filters");
      }
      if (c.values().size() != sort.keys().size()) {
        throw DomainException.invalid("cursor", "is not a cursor this server issued");
      }
    }
  }

  public JobQuery withFilter(JobFilter newFilter) {
    return new JobQuery(newFilter, sort, page);
  }
}
