package io.jobplane.domain.query;

import io.jobplane.domain.DomainException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A sort over whitelisted fields, e.g. {@code -priority,created_at}. The job id is always the last,
 * implicit key (in the direction of the last explicit key), so the order is total and pages never
 * skip or repeat a job.
 */
public record Sort(List<Key> keys) {

  public record Key(SortField field, boolean descending) {
    public String wire() {
      return (descending ? "-" : "") + field.wireName();
    }
  }

  public static final Sort DEFAULT = new Sort(List.of(new Key(SortField.CREATED_AT, true)));

  public Sort {
    if (keys == null || keys.isEmpty()) {
      throw DomainException.invalid("sort", "must name at least one field");
    }
    keys = List.copyOf(keys);
  }

  public static Sort parse(String text) {
    if (text == null) {
      return DEFAULT;
    }
    if (text.isBlank()) {
      throw DomainException.invalid("sort", "must not be empty");
    }
    List<Key> keys = new ArrayList<>();
    EnumSet<SortField> seen = EnumSet.noneOf(SortField.class);
    for (String part : text.split(",", -1)) {
      String p = part.trim();
      boolean desc = p.startsWith("-");
      String name = desc || p.startsWith("+") ? p.substring(1) : p;
      SortField field = SortField.fromWire(name);
      if (!seen.add(field)) {
        throw DomainException.invalid("sort", "field '" + name + "' appears more than once");
      }
      keys.add(new Key(field, desc));
    }
    return new Sort(keys);
  }

  /** Direction of the implicit id tie-breaker. */
  public boolean idDescending() {
    return keys.get(keys.size() - 1).descending();
  }

  public String wire() {
    return keys.stream().map(Key::wire).collect(Collectors.joining(","));
  }
}
