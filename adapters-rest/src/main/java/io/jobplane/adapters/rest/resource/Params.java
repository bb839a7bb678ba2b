package io.jobplane.adapters.rest.resource;

import io.jobplane.adapters.rest.http.ForeignNames;
import io.jobplane.adapters.rest.json.WireNames;
import io.jobplane.adapters.rest.problem.ApiProblemException;
import io.jobplane.adapters.rest.problem.ProblemDetail.FieldProblem;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.query.ListExpansion;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Collects query and path parameter errors, so one 400 names every bad parameter at once. */
final class Params {

  private final List<FieldProblem> errors = new ArrayList<>();

  /**
   * The job id of a request whose only parameter is that id (path {@code {id}}), or a 400 naming
   * {@code parameter}.
   */
  static JobId jobId(String parameter, String text) {
    Params p = new Params();
    JobId id = p.parse(parameter, () -> JobId.parse(text));
    p.check();
    return id;
  }

  /** Runs a parse; a domain error is recorded against {@code parameter} and null returned. */
  <T> T parse(String parameter, Supplier<T> parse) {
    try {
      return parse.get();
    } catch (DomainException e) {
      if (e.errors().isEmpty()) {
        errors.add(FieldProblem.parameter(parameter, e.getMessage()));
      } else {
        e.errors().forEach(f -> errors.add(FieldProblem.parameter(parameter, f.message())));
      }
      return null;
    }
  }

  /** A comma-separated, case-insensitive list of statuses ({@code ?status=queued,running}). */
  Set<JobStatus> statuses(String parameter, String text) {
    if (text == null) {
      return null;
    }
    Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
    for (String s : text.split(",", -1)) {
      Optional<JobStatus> ours = ForeignNames.status(s);
      if (ours.isPresent()) {
        error(parameter, "unknown status '" + s.trim() + "'" + ForeignNames.hint(ours));
        continue;
      }
      JobStatus parsed = parse(parameter, () -> JobStatus.parse(s, parameter));
      if (parsed != null) {
        statuses.add(parsed);
      }
    }
    return statuses;
  }

  /**
   * A comma-separated, case-insensitive list of expansions ({@code ?expand=tasks,timeline}); a name
   * another API uses is refused with ours.
   */
  Set<ListExpansion> expansions(String parameter, String text) {
    Set<ListExpansion> expansions = EnumSet.noneOf(ListExpansion.class);
    if (text == null) {
      return expansions;
    }
    for (String e : text.split(",", -1)) {
      Optional<String> ours = ForeignNames.expansion(e);
      if (ours.isPresent()) {
        error(
            parameter,
            "unknown expansion '"
                + e.trim()
                + "'"
                + ForeignNames.hint(ours)
                + "; expected one of "
                + WireNames.expansions());
        continue;
      }
      ListExpansion parsed = parse(parameter, () -> WireNames.expansion(e, parameter));
      if (parsed != null) {
        expansions.add(parsed);
      }
    }
    return expansions;
  }

  /**
   * An optional {@code ?parameter=} naming one of {@code type}'s constants by its wire name (see
   * {@link WireNames#parse}): null when absent.
   */
  <E extends Enum<E>> E wireName(String parameter, Class<E> type, String text) {
    return text == null ? null : parse(parameter, () -> WireNames.parse(type, text, parameter));
  }

  /** The {@code limit} and {@code offset} of a read paged by offset, defaults applied. */
  record OffsetPage(int limit, int offset) {}

  /**
   * {@code ?limit=} (1 to {@code maxLimit}, {@code defaultLimit} when absent) and {@code ?offset=}
   * (0 when absent); a bad one is collected like any other parameter error.
   */
  OffsetPage offsetPage(String limit, String offset, int maxLimit, int defaultLimit) {
    Integer lim = integer("limit", limit, 1, maxLimit);
    Integer off = integer("offset", offset, 0, Integer.MAX_VALUE);
    return new OffsetPage(lim == null ? defaultLimit : lim, off == null ? 0 : off);
  }

  void error(String parameter, String message) {
    errors.add(FieldProblem.parameter(parameter, message));
  }

  Integer integer(String parameter, String text, int min, int max) {
    if (text == null) {
      return null;
    }
    try {
      int value = Integer.parseInt(text.trim());
      if (value < min || value > max) {
        error(parameter, "must be between " + min + " and " + max);
        return null;
      }
      return value;
    } catch (NumberFormatException e) {
      error(parameter, "must be an integer");
      return null;
    }
  }

  Instant instant(String parameter, String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      error(parameter, "must be an RFC 3339 time such as 2026-11-23T12:00:00Z");
      return null;
    }
  }

  boolean bool(String parameter, String text) {
    if (text == null || text.isEmpty()) {
      return text != null; // ?verbose alone means true
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> {
        error(parameter, "must be true or false");
        yield false;
      }
    };
  }

  boolean ok() {
    return errors.isEmpty();
  }

  /** Throws the collected errors as one 400, if there are any. */
  void check() {
    if (!errors.isEmpty()) {
      throw ApiProblemException.badParameters(errors);
    }
  }
}
