package io.jobplane.adapters.rest.json;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.WorkerPlacement;
import io.jobplane.domain.query.ListExpansion;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the domain's enums are spelled in the API's JSON and query parameters, both ways: a constant
 * is written as its name in lower case ({@code IN_PROGRESS} is {@code in_progress}) and read in any
 * case. The domain only names its constants; their spelling on the wire is this adapter's to
 * choose, and each refusal names the field the client sent. Persistence stores the constant names
 * themselves and does not use these.
 */
public final class WireNames {

  private WireNames() {}

  /** The wire spelling of {@code value}, e.g. {@code stdout}, {@code in_progress}. */
  public static String of(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /**
   * One of {@code type}'s constants by its wire name, in any case and trimmed; blank or unknown is
   * refused naming {@code field} (and, when unknown, every allowed name).
   */
  public static <E extends Enum<E>> E parse(Class<E> type, String text, String field) {
    if (text == null || text.isBlank()) {
      throw DomainException.invalid(field, "must not be empty");
    }
    try {
      return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid(field, "must be one of " + allowed(type));
    }
  }

  /** A job's runtime: {@code worker} or {@code kubernetes}. */
  public static JobRuntime runtime(String text, String field) {
    try {
      return JobRuntime.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw DomainException.invalid(
          field, "unknown runtime '" + text + "'; expected worker or kubernetes");
    }
  }

  /** A placement mode: {@code any} or {@code broadcast}, in any case. */
  public static WorkerPlacement.Mode placementMode(String text, String field) {
    if (text != null) {
      for (WorkerPlacement.Mode m : WorkerPlacement.Mode.values()) {
        if (m.name().equalsIgnoreCase(text.trim())) {
          return m;
        }
      }
    }
    throw DomainException.invalid(field, "must be any or broadcast");
  }

  /** One name of a job list's {@code ?expand=}, in any case and trimmed. */
  public static ListExpansion expansion(String text, String field) {
    String name = text == null ? "" : text.trim();
    if (name.isEmpty()) {
      throw DomainException.invalid(field, "must not name an empty expansion");
    }
    return Arrays.stream(ListExpansion.values())
        .filter(e -> of(e).equalsIgnoreCase(name))
        .findFirst()
        .orElseThrow(
            () ->
                DomainException.invalid(
                    field, "unknown expansion '" + name + "'; expected one of " + expansions()));
  }

  /** The wire names of every expansion, comma-separated. */
  public static String expansions() {
    return allowed(ListExpansion.class);
  }

  private static String allowed(Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(WireNames::of)
        .collect(Collectors.joining(", "));
  }
}
