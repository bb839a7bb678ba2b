package io.jobplane.adapters.persistence;

import java.sql.SQLException;
import org.postgresql.util.PSQLState;

/** What a failed statement says about itself, wherever JDBC and Jdbi wrapped it. */
final class SqlErrors {

  private SqlErrors() {}

  /** A unique constraint refused the row; a batch's own exception wraps the row's. */
  static boolean isUniqueViolation(Throwable failure) {
    for (Throwable c = failure; c != null; c = c.getCause()) {
      if (c instanceof SQLException sql
          && PSQLState.UNIQUE_VIOLATION.getState().equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
