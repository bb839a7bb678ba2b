package io.jobplane.domain;

import java.util.regex.Pattern;

/** Validation of the short identifiers clients choose (names, types, projects, queues). */
public final class Text {

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z0-9]([-a-z0-9_.]{0,61}[a-z0-9])?");
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
  private static final Pattern CONTROL_BUT_LINES =
      Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]");

  private Text() {}

  /** Lower-case identifier in the Kubernetes DNS label spirit, at most 63 characters. */
  public static String identifier(String value, String field) {
    if (value == null || value.isEmpty()) {
      throw DomainException.invalid(field, "must not be empty");
    }
    if (!IDENTIFIER.matcher(value).matches()) {
      throw DomainException.invalid(
          field,
          "must be 1 to 63 lower-case alphanumerics, '-', '_' or '.', starting and ending"
              + " alphanumeric");
    }
    return value;
  }

  /** Free text shown to humans: any printable unicode, no control characters, bounded length. */
  public static String displayText(String value, String field, int maxLength) {
    if (value == null || value.isBlank()) {
      throw DomainException.invalid(field, "must not be empty");
    }
    if (value.length() > maxLength) {
      throw DomainException.invalid(field, "must be at most " + maxLength + " characters");
    }
    if (CONTROL.matcher(value).find()) {
      throw DomainException.invalid(field, "must not contain control characters");
    }
    return value;
  }

  /**
   * Text a worker or a job sends (log lines, error messages): tabs and line breaks are kept, NUL
   * (which PostgreSQL cannot store in text) and the other control characters are refused.
   */
  public static String linesOfText(String value, String field) {
    if (value != null) {
      var m = CONTROL_BUT_LINES.matcher(value);
      if (m.find()) {
        throw DomainException.invalid(
            field,
            String.format(
                "must not contain control characters other than tab, line feed and carriage"
                    + " return; found U+%04X at index %d",
                (int) value.charAt(m.start()), m.start()));
      }
    }
    return value;
  }
}
