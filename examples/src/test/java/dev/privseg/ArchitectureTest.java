package dev.privseg;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one dependency rule of docs/architecture.md: core depends on no other module; consent and
 * anonymization depend on core only, never on each other; no library module depends on examples.
 */
class ArchitectureTest {
  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.privseg");
  }

  @Test
  void coreDependsOnNoOtherModule() {
    noClasses().that().resideInAPackage("dev.privseg.core..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.privseg.consent..",
            "dev.privseg.anonymization..", "dev.privseg.spec..", "dev.privseg.examples..",
            "dev.privseg.cli..")
        .check(classes);
  }

  @Test
  void consentDependsOnCoreOnly() {
    noClasses().that().resideInAPackage("dev.privseg.consent..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.privseg.anonymization..",
            "dev.privseg.spec..", "dev.privseg.examples..", "dev.privseg.cli..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void anonymizationDependsOnCoreOnly() {
    noClasses().that().resideInAPackage("dev.privseg.anonymization..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.privseg.consent..",
            "dev.privseg.spec..", "dev.privseg.examples..", "dev.privseg.cli..")
        .allowEmptyShould(true)
        .check(classes);
  }

  /** Consent never needs the signals module, so consent users need not carry the IAB decoder. */
  @Test
  void consentDoesNotDependOnSignals() {
    noClasses().that().resideInAPackage("dev.privseg.consent..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.privseg.signals..",
            "com.iab..")
        .check(classes);
  }

  /** The spec is a library: it builds pipelines from the modules, never from the CLI. */
  @Test
  void theSpecDependsOnTheLibraryModulesOnly() {
    noClasses().that().resideInAPackage("dev.privseg.spec..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.privseg.examples..",
            "dev.privseg.cli..", "picocli..")
        .check(classes);
  }

  /**
   * The plan, its stages and the recorder they write the record into are the seam another
   * executor plugs into: they know no executor.
   */
  @Test
  void thePlanItsStagesAndTheRecorderDoNotDependOnTheLocalExecutor() {
    noClasses().that().haveSimpleNameEndingWith("Stage")
        .or().haveSimpleName("RunPlan").or().haveSimpleName("Rows")
        .or().haveSimpleName("RunRecorder")
        .should().dependOnClassesThat().haveSimpleName("LocalExecution")
        .check(classes);
  }

  @Test
  void internalPackagesAreUsedOnlyInsideTheirModule() {
    noClasses().that().resideOutsideOfPackage("dev.privseg.core..")
        .should().dependOnClassesThat().resideInAPackage("dev.privseg.core.internal..")
        .check(classes);
  }

  @Test
  void libraryCodeNeverPrintsToTheConsole() {
    noClasses().that().resideInAnyPackage("dev.privseg.core..", "dev.privseg.consent..",
            "dev.privseg.anonymization..")
        .should().accessField(System.class, "out")
        .orShould().accessField(System.class, "err")
        .check(classes);
  }
}
