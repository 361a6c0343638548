package org.minewatch.governance;

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
import org.minewatch.governance.cases.CaseState;

/**
 * The regulator's domain without HTTP: the server and the command line are adapters over it
 * (docs/design.md, "Rules the build enforces").
 */
@AnalyzeClasses(
    packages = "org.minewatch.governance",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  /**
   * Exception to the cycle rule: the root package holds {@code Governance}, which composes the
   * subpackages, beside the refusal every subpackage throws ({@code Problem}) and the
   * administration's settings ({@code Settings}, read by the case store). The server, the command
   * line and their tests import both from here; they may stay as long as they use no subpackage but
   * the case states the settings give deadlines for (the rule below).
   */
  private static final DescribedPredicate<JavaClass> SHARED_BY_ALL =
      belongToAnyOf(Problem.class, Settings.class);

  private static final DescribedPredicate<JavaClass> IN_A_SUBPACKAGE =
      resideInAPackage("org.minewatch.governance..")
          .and(not(resideInAPackage("org.minewatch.governance")));

  @ArchTest
  static final ArchRule knowsNoHttpNorTheAdapters =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.javalin..",
              "gg.jte..",
              "jakarta.servlet..",
              "org.eclipse.jetty..",
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
          .ignoreDependency(alwaysTrue(), SHARED_BY_ALL);

  @ArchTest
  static final ArchRule sharedClassesUseNoSubpackage =
      noClasses()
          .that(SHARED_BY_ALL)
          .should()
          .dependOnClassesThat(IN_A_SUBPACKAGE.and(not(belongToAnyOf(CaseState.class))));
}
