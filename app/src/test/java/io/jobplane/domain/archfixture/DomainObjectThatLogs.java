package io.jobplane.domain.archfixture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deliberately breaks the domain rule; only DependencyRulesCatchViolationsTest looks at it. */
public class DomainObjectThatLogs {
  private static final Logger LOG = LoggerFactory.getLogger(DomainObjectThatLogs.class);

  public void transition() {
    LOG.info("domain code must not log through a framework");
  }
}
