package io.jobplane.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.jobplane.adapters.cron.archfixture.CronRulesReachingIntoPersistence;
import io.jobplane.adapters.rest.archfixture.ResourceReachingIntoPersistence;
import io.jobplane.application.archfixture.UseCaseReturningJaxRsResponse;
import io.jobplane.domain.archfixture.DomainObjectThatLogs;
import org.junit.jupiter.api.Test;

/**
 * Proves the rules have teeth: each is evaluated against a deliberately violating fixture class
 * from the test sources (which the real check excludes) and must report it.
 */
class DependencyRulesCatchViolationsTest {

  @Test
  void aDomainClassUsingALoggingFrameworkIsCaught() {
    assertViolation(DependencyRules.DOMAIN_IS_PLAIN_JAVA, DomainObjectThatLogs.class, "org.slf4j");
  }

  @Test
  void anApplicationClassUsingJaxRsIsCaught() {
    assertViolation(
        DependencyRules.APPLICATION_IS_FREE_OF_FRAMEWORKS,
        UseCaseReturningJaxRsResponse.class,
        "jakarta.ws.rs");
  }

  @Test
  void aRestAdapterReachingIntoThePersistenceAdapterIsCaught() {
    assertViolation(
        DependencyRules.REST_ADAPTER_STANDS_ALONE,
        ResourceReachingIntoPersistence.class,
        "io.jobplane.adapters.persistence");
  }

  @Test
  void aCronAdapterReachingIntoThePersistenceAdapterIsCaught() {
    assertViolation(
        DependencyRules.CRON_ADAPTER_STANDS_ALONE,
        CronRulesReachingIntoPersistence.class,
        "io.jobplane.adapters.persistence");
  }

  @Test
  void theRealCodeBaseHasNoSuchViolations() {
    JavaClasses production =
        new ClassFileImporter()
            .withImportOption(
                new com.tngtech.archunit.core.importer.ImportOption.DoNotIncludeTests())
            .importPackages("io.jobplane");
    assertThat(production.size()).as("production classes analysed").isGreaterThan(50);
    assertThat(DependencyRules.DOMAIN_IS_PLAIN_JAVA.evaluate(production).hasViolation()).isFalse();
  }

  private static void assertViolation(ArchRule rule, Class<?> fixture, String offending) {
    EvaluationResult result = rule.evaluate(new ClassFileImporter().importClasses(fixture));
    assertThat(result.hasViolation()).as("rule must reject %s", fixture.getSimpleName()).isTrue();
    assertThat(result.getFailureReport().toString()).contains(offending);
  }
}
