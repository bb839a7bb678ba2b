package io.jobplane.adapters.cron.archfixture;

import io.jobplane.adapters.persistence.PostgresStore;

/** Violates the cron adapter's rule on purpose: it reaches into another adapter. */
public final class CronRulesReachingIntoPersistence {

  public boolean storeIsOpen(PostgresStore store) {
    return store.dataSource() != null;
  }
}
