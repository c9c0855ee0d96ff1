package dev.privseg;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
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
        // Other modules' test helpers (a test-jar on this module's test class path).
        .withImportOption(location -> !location.contains("-tests.jar"))
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

  /**
   * The named modules export their API packages and nothing else: every package but the
   * internal ones, which no other module may reach.
   */
  @Test
  void theNamedModulesExportTheirApiPackagesAndNothingElse() throws Exception {
    for (Class<?> anchor : List.<Class<?>>of(dev.privseg.core.Segmentation.class,
        dev.privseg.anonymization.Anonymize.class)) {
      java.nio.file.Path root = java.nio.file.Path.of(
          anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      java.lang.module.ModuleDescriptor module;
      if (java.nio.file.Files.isDirectory(root)) {
        try (var in = java.nio.file.Files.newInputStream(root.resolve("module-info.class"))) {
          module = java.lang.module.ModuleDescriptor.read(in);
        }
      } else {
        try (var jar = new java.util.jar.JarFile(root.toFile());
            var in = jar.getInputStream(jar.getEntry("module-info.class"))) {
          module = java.lang.module.ModuleDescriptor.read(in);
        }
      }
      java.util.Set<String> exported = new java.util.TreeSet<>();
      module.exports().stream().filter(e -> !e.isQualified())
          .forEach(e -> exported.add(e.source()));
      String base = anchor.getPackageName();
      java.util.Set<String> api = new java.util.TreeSet<>();
      classes.stream().map(c -> c.getPackageName())
          .filter(p -> p.equals(base) || p.startsWith(base + "."))
          .filter(p -> !p.contains(".internal"))
          .forEach(api::add);
      org.assertj.core.api.Assertions.assertThat(exported).as(module.name())
          .isEqualTo(api);
    }
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
        .or().haveSimpleName("RunRecorder").or().haveSimpleName("LocalPlan")
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
