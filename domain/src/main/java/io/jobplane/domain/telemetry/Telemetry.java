package io.jobplane.domain.telemetry;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.Text;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Shared validation and the retention limits of worker-reported telemetry. */
public final class Telemetry {

  /** Largest log message, error record or output record, in UTF-8 bytes (16 KiB). */
  public static final int MAX_TEXT_BYTES = 16 * 1024;

  /** Log lines kept per job; the oldest are trimmed on append. */
  public static final int MAX_LOG_LINES = 10_000;

  /** The newest log lines that trimming never removes, whatever other limits say. */
  public static final int LOG_TAIL_LINES = 200;

  /** Error entries kept per job (reported errors and copies of error-level log lines). */
  public static final int MAX_ERRORS = 1_000;

  /** Output preview records kept per job. */
  public static final int MAX_OUTPUT_RECORDS = 1_000;

  /** Progress samples kept per job run. */
  public static final int MAX_PROGRESS_SAMPLES = 100;

  /** Most items in one worker report (log lines, errors, output records). */
  public static final int MAX_BATCH = 1_000;

  private static final Pattern OPERATOR_ID = Pattern.compile("[A-Za-z0-9][-A-Za-z0-9_.:]{0,127}");

  private Telemetry() {}

  /** Null stays null; otherwise 1..128 of letters, digits, '-', '_', '.', ':'. */
  public static String operatorId(String value, String field) {
    if (value == null) {
      return null;
    }
    if (!OPERATOR_ID.matcher(value).matches()) {
      throw DomainException.invalid(
          field, "must be 1 to 128 letters, digits, '-', '_', '.' or ':', starting alphanumeric");
    }
    return value;
  }

  public static String requiredOperatorId(String value, String field) {
    if (value == null) {
      throw DomainException.invalid(field, "must not be empty");
    }
    return operatorId(value, field);
  }

  /** Text of at most {@link #MAX_TEXT_BYTES} UTF-8 bytes; null allowed unless required. */
  public static String boundedText(String value, String field, boolean required) {
    if (value == null) {
      if (required) {
        throw DomainException.invalid(field, "must not be empty");
      }
      return null;
    }
    if (required && value.isEmpty()) {
      throw DomainException.invalid(field, "must not be empty");
    }
    if (value.length() > MAX_TEXT_BYTES / 4
        && value.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
      throw DomainException.invalid(field, "must be at most " + MAX_TEXT_BYTES + " bytes");
    }
    return Text.linesOfText(value, field);
  }

  public static int taskIndex(int value, String field) {
    if (value < 0) {
      throw DomainException.invalid(field, "must not be negative");
    }
    return value;
  }

  public static long nonNegative(long value, String field) {
    if (value < 0) {
      throw DomainException.invalid(field, "must not be negative");
    }
    return value;
  }

  public static Double nonNegative(Double value, String field) {
    if (value != null && (value.isNaN() || value.isInfinite() || value < 0)) {
      throw DomainException.invalid(field, "must be a finite number, not negative");
    }
    return value;
  }

  public static Double fraction(Double value, String field, double max) {
    nonNegative(value, field);
    if (value != null && value > max) {
      throw DomainException.invalid(field, "must be between 0 and " + (long) max);
    }
    return value;
  }
}
