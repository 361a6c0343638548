package org.minewatch.attribution;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Attribution works on the core's findings and is used by the command line and the governance
 * module, never the other way round (docs/design.md, "Rules the build enforces").
 */
@AnalyzeClasses(
    packages = "org.minewatch.attribution",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  /**
   * Exception to the cycle rule: the root package holds both what every subpackage works on (the
   * host, and the quoting and counting of messages) and {@code Attributor}, which composes the
   * subpackages. Moving these classes would rename imports across governance, the command line and
   * the benchmarks; they may stay as long as they use no subpackage (the rule below).
   */
  private static final DescribedPredicate<JavaClass> SHARED_VOCABULARY =
      belongToAnyOf(MiningHost.class, Shown.class, Notices.class, JsonReasons.class);

  private static final DescribedPredicate<JavaClass> IN_A_SUBPACKAGE =
      resideInAPackage("org.minewatch.attribution..")
          .and(not(resideInAPackage("org.minewatch.attribution")));

  @ArchTest
  static final ArchRule knowsNoModuleBuiltOnIt =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.minewatch.governance..",
              "org.minewatch.server..",
              "org.minewatch.cli..",
              "org.minewatch.stream..",
              "org.minewatch.training..",
              "org.minewatch.benchmarks..",
              "org.minewatch.testkit..");

  @ArchTest
  static final ArchRule noCyclesBetweenPackages =
      slices()
          .matching("org.minewatch.(**)")
          .should()
          .beFreeOfCycles()
          .ignoreDependency(alwaysTrue(), SHARED_VOCABULARY);

  @ArchTest
  static final ArchRule sharedVocabularyUsesNoSubpackage =
      noClasses().that(SHARED_VOCABULARY).should().dependOnClassesThat(IN_A_SUBPACKAGE);
}
