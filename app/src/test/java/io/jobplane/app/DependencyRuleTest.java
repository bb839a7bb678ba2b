package io.jobplane.app;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The hexagon, checked over every production class of every module. */
@AnalyzeClasses(packages = "io.jobplane", importOptions = ImportOption.DoNotIncludeTests.class)
class DependencyRuleTest {

  @ArchTest static final ArchRule domainIsPlainJava = DependencyRules.DOMAIN_IS_PLAIN_JAVA;

  @ArchTest
  static final ArchRule applicationIsFreeOfFrameworks =
      DependencyRules.APPLICATION_IS_FREE_OF_FRAMEWORKS;

  @ArchTest
  static final ArchRule restAdapterStandsAlone = DependencyRules.REST_ADAPTER_STANDS_ALONE;

  @ArchTest
  static final ArchRule persistenceAdapterStandsAlone =
      DependencyRules.PERSISTENCE_ADAPTER_STANDS_ALONE;

  @ArchTest
  static final ArchRule operatorAdapterStandsAlone = DependencyRules.OPERATOR_ADAPTER_STANDS_ALONE;

  @ArchTest
  static final ArchRule cronAdapterStandsAlone = DependencyRules.CRON_ADAPTER_STANDS_ALONE;

  @ArchTest
  static final ArchRule webhookAdapterStandsAlone = DependencyRules.WEBHOOK_ADAPTER_STANDS_ALONE;

  @ArchTest
  static final ArchRule nothingButAppKnowsTheCompositionRoot =
      DependencyRules.NOTHING_BUT_APP_KNOWS_THE_COMPOSITION_ROOT;

  @ArchTest
  static final ArchRule workerIsAPlainApiClient = DependencyRules.WORKER_IS_A_PLAIN_API_CLIENT;

  @ArchTest
  static final ArchRule clientCommandsUseOnlyTheSdk =
      DependencyRules.CLIENT_COMMANDS_USE_ONLY_THE_SDK;

  @ArchTest
  static final ArchRule sdkKnowsNothingOfTheServer =
      DependencyRules.SDK_KNOWS_NOTHING_OF_THE_SERVER;
}
