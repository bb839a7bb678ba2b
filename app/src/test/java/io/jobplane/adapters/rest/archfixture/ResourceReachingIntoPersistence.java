package io.jobplane.adapters.rest.archfixture;

import io.jobplane.adapters.persistence.PostgresStore;

/** Deliberately breaks the adapter rule; only DependencyRulesCatchViolationsTest uses it. */
public class ResourceReachingIntoPersistence {
  public Object jobs(PostgresStore store) {
    return store.jobRepository();
  }
}
