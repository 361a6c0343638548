package org.minewatch.server;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The server is an adapter: the command line starts it, it never calls back into the command line
 * (docs/design.md, "Rules the build enforces").
 */
@AnalyzeClasses(
    packages = "org.minewatch.server",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule knowsNoOtherAdapter =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.minewatch.cli..",
              "org.minewatch.stream..",
              "org.minewatch.training..",
              "org.minewatch.benchmarks..",
              "org.minewatch.testkit..");

  /**
   * Exception: {@code ApiServer} mounts the pages of {@code web}, and the pages reuse the JSON
   * API's request handling (case queries and exports, the body refusal, status codes, the tip-off
   * rate limit, the request guards' input checks: NUL refused, messages on one line). The real fix
   * is a package of its own for that shared handling; until then the pages may use exactly these
   * classes, and any other dependency of {@code web} on the root is a cycle.
   */
  @ArchTest
  static final ArchRule noCyclesBetweenPackages =
      slices()
          .matching("org.minewatch.(**)")
          .should()
          .beFreeOfCycles()
          .ignoreDependency(
              resideInAPackage("org.minewatch.server.web.."),
              belongToAnyOf(
                  Api.class, ApiServer.class, HttpStatuses.class, Inputs.class, RateLimiter.class));
}
