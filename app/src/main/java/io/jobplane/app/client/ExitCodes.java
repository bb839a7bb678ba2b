package io.jobplane.app.client;

/**
 * The exit codes of the client commands, documented in docs/cli.md. Scripts branch on them (a
 * {@code wait} that timed out is retried, a failed job is not), so each one means one thing.
 */
public final class ExitCodes {

  /** The command did what it was asked; for wait, the condition holds. */
  public static final int OK = 0;

  /** Anything not listed below (a bug or an unexpected answer). */
  public static final int ERROR = 1;

  /** Bad input: an unknown flag, a bad value, an invalid or unreadable job file. */
  public static final int USAGE = 2;

  /** The server could not be reached. */
  public static final int UNREACHABLE = 3;

  /** No token, a wrong token, or a token that may not do this (401, 403). */
  public static final int UNAUTHORIZED = 4;

  /** No such job (404). */
  public static final int NOT_FOUND = 5;

  /** The server refused the request (400, 409, 422 and other 4xx). */
  public static final int REJECTED = 6;

  /** The server failed (5xx). */
  public static final int SERVER_ERROR = 7;

  /** The job finished FAILED, PARTIALLY_FAILED, REJECTED or SKIPPED (it never ran). */
  public static final int JOB_FAILED = 10;

  /** The job finished TIMED_OUT (its own timeout_seconds). */
  public static final int JOB_TIMED_OUT = 11;

  /** The job finished STOPPED. */
  public static final int JOB_STOPPED = 12;

  /** wait: --timeout passed before the condition held. */
  public static final int WAIT_TIMEOUT = 13;

  /** wait --for=status=X: the job finished in another status (it succeeded), so X cannot come. */
  public static final int CONDITION_UNREACHABLE = 14;

  private ExitCodes() {}
}
