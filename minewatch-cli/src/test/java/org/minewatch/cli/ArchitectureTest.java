package org.minewatch.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The command line's own packages (docs/design.md, "Rules the build enforces"). */
@AnalyzeClasses(
    packages = "org.minewatch.cli",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule shipsNoTestOrToolCode =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.minewatch.testkit..", "org.minewatch.training..", "org.minewatch.benchmarks..");

  @ArchTest
  static final ArchRule noCyclesBetweenPackages =
      slices().matching("org.minewatch.(**)").should().beFreeOfCycles();
}
