package io.jobplane.app;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;

/** The module table of DEVELOPERS.md, stated once; used by the real check and by its self-test. */
final class DependencyRules {

  private DependencyRules() {}

  static final ArchRule DOMAIN_IS_PLAIN_JAVA =
      classes()
          .that()
          .resideInAPackage("io.jobplane.domain..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("java..", "io.jobplane.domain..")
          .because("the domain holds the lifecycle rules and nothing but the JDK");

  static final ArchRule APPLICATION_IS_FREE_OF_FRAMEWORKS =
      noClasses()
          .that()
          .resideInAPackage("io.jobplane.application..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "jakarta.ws..",
              "javax.ws..",
              "org.glassfish..",
              "org.jdbi..",
              "org.postgresql..",
              "io.fabric8..",
              "io.javaoperatorsdk..",
              "com.fasterxml..",
              "com.cronutils..",
              "io.jobplane.adapters..",
              "io.jobplane.app..")
          .because("use cases and ports depend only on the domain");

  static final ArchRule REST_ADAPTER_STANDS_ALONE = adapterStandsAlone("rest");
  static final ArchRule PERSISTENCE_ADAPTER_STANDS_ALONE = adapterStandsAlone("persistence");
  static final ArchRule OPERATOR_ADAPTER_STANDS_ALONE = adapterStandsAlone("k8s");
  static final ArchRule CRON_ADAPTER_STANDS_ALONE = adapterStandsAlone("cron");
  static final ArchRule WEBHOOK_ADAPTER_STANDS_ALONE = adapterStandsAlone("webhook");

  static final ArchRule NOTHING_BUT_APP_KNOWS_THE_COMPOSITION_ROOT =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.jobplane.app..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.jobplane.app..")
          .allowEmptyShould(true);

  static final ArchRule WORKER_IS_A_PLAIN_API_CLIENT =
      noClasses()
          .that()
          .resideInAPackage("io.jobplane.app.worker..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.jobplane.adapters..", "io.jobplane.application..", "io.jobplane.domain..")
          .because(
              "the worker drives the HTTP API through the generated SDK, like any user's program");

  static final ArchRule CLIENT_COMMANDS_USE_ONLY_THE_SDK =
      noClasses()
          .that()
          .resideInAPackage("io.jobplane.app.client..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.jobplane.adapters..",
              "io.jobplane.application..",
              "io.jobplane.domain..",
              "io.jobplane.app.worker..")
          .because("the client commands drive the HTTP API through the generated SDK, as any user");

  static final ArchRule SDK_KNOWS_NOTHING_OF_THE_SERVER =
      noClasses()
          .that()
          .resideInAPackage("io.jobplane.client..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.jobplane.adapters..",
              "io.jobplane.application..",
              "io.jobplane.domain..",
              "io.jobplane.app..")
          .because("the SDK is generated from the OpenAPI document alone and ships on its own");

  private static ArchRule adapterStandsAlone(String adapter) {
    String own = "io.jobplane.adapters." + adapter + "..";
    return noClasses()
        .that()
        .resideInAPackage(own)
        .should()
        .dependOnClassesThat(
            resideInAPackage("io.jobplane.adapters..")
                .and(not(resideInAPackage(own)))
                .or(resideInAPackage("io.jobplane.app..")))
        .allowEmptyShould(true)
        .because("adapters never talk to each other; they meet in application ports");
  }
}
