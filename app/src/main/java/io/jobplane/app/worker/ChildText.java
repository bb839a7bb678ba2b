package io.jobplane.app.worker;

import java.util.regex.Pattern;

/**
 * A child's text made storable: the server refuses control characters other than tab and line
 * breaks (NUL cannot be stored at all), so terminal colour sequences are dropped and any other
 * control character becomes U+FFFD.
 */
final class ChildText {

  private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]");
  private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]");

  private ChildText() {}

  /** At most {@code max} characters of a child's text (then an ellipsis), made storable. */
  static String truncate(String s, int max) {
    String text = s.length() <= max ? s : s.substring(0, max) + "…";
    return CONTROL.matcher(ANSI_ESCAPE.matcher(text).replaceAll("")).replaceAll("\uFFFD");
  }
}
