package org.minewatch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.minewatch.scan.Scanner;

/**
 * The core's layering (docs/design.md, "Rules the build enforces"): it is the same code in the
 * command line, the server and a stream job, so it knows no framework and no module built on it,
 * and its detectors know nothing of the engine that drives them.
 */
@AnalyzeClasses(packages = "org.minewatch", importOptions = ArchitectureTest.CoreClasses.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule onlyTheJdkAndJacksonStreaming =
      classes()
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              "java..",
              // The probe's TLS connections; other javax packages of the JDK are welcome when
              // needed.
              "javax.net..",
              // The bounded streaming parser (jackson-core) and nothing else of Jackson: no data
              // binding, no annotations.
              "com.fasterxml.jackson.core..",
              "org.minewatch..");

  @ArchTest
  static final ArchRule noModuleBuiltOnTheCore =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.minewatch.attribution..",
              "org.minewatch.governance..",
              "org.minewatch.server..",
              "org.minewatch.cli..",
              "org.minewatch.stream..",
              "org.minewatch.training..",
              "org.minewatch.benchmarks..",
              "org.minewatch.testkit..");

  @ArchTest
  static final ArchRule detectorsDoNotKnowTheScanner =
      noClasses()
          .that()
          .resideInAPackage("org.minewatch.detect..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.minewatch.scan..");

  /** Data flows one way: reading and decoding packets and tracking flows know nothing above. */
  @ArchTest
  static final ArchRule packetPathKnowsNothingAbove =
      noClasses()
          .that()
          .resideInAnyPackage(
              "org.minewatch.capture..", "org.minewatch.decode..", "org.minewatch.flow..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.minewatch.detect..",
              "org.minewatch.evidence..",
              "org.minewatch.estimate..",
              "org.minewatch.scan..",
              "org.minewatch.probe..");

  /** The vocabulary (hosts, roles, verdicts, coins) is shared by all and depends on none. */
  @ArchTest
  static final ArchRule modelDependsOnNoOtherPackage =
      classes()
          .that()
          .resideInAPackage("org.minewatch.model..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("java..", "org.minewatch.model..");

  @ArchTest
  static final ArchRule noCyclesBetweenPackages =
      slices().matching("org.minewatch.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule noCyclesBetweenSubpackages =
      slices().matching("org.minewatch.(**)").should().beFreeOfCycles();

  /** The core's own classes: the test kit on the test class path is not the core. */
  public static final class CoreClasses implements ImportOption {
    private static final String ROOT =
        Scanner.class.getProtectionDomain().getCodeSource().getLocation().toString();

    @Override
    public boolean includes(Location location) {
      return location.asURI().toString().startsWith(ROOT);
    }
  }
}
