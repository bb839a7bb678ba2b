package io.jobplane.application.security;

import java.util.Locale;

/** What a token may do. Workers only touch the jobs they hold, through the worker protocol. */
public enum Role {
  VIEWER,
  SUBMITTER,
  WORKER,
  ADMIN;

  public static Role parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT));
  }
}
