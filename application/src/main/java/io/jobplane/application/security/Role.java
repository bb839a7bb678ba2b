package io.jobplane.application.security;

import java.util.Locale;

/**
 * What a token may do. Workers only touch the jobs they hold, through the worker protocol; a
 * metrics token only reads /metrics (a scraper's token: it sees no job).
 */
public enum Role {
  VIEWER,
  SUBMITTER,
  WORKER,
  METRICS,
  ADMIN;

  public static Role parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT));
  }
}
