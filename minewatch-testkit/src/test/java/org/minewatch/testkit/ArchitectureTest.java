package org.minewatch.testkit;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The test kit builds traffic from the protocols' specifications, not from the code it tests: it
 * depends on no MineWatch module (docs/design.md, "Rules the build enforces").
 */
@AnalyzeClasses(
    packages = "org.minewatch.testkit",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule dependsOnNoOtherModule =
      noClasses()
          .should()
          .dependOnClassesThat(
              resideInAPackage("org.minewatch..")
                  .and(resideOutsideOfPackage("org.minewatch.testkit..")));

  @ArchTest
  static final ArchRule noCyclesBetweenPackages =
      slices().matching("org.minewatch.(**)").should().beFreeOfCycles();
}
