package dev.privseg.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md lists every public type of every library module, in that module's section, and
 * nothing else: the public surface grows or shrinks only with the page.
 */
class ApiPageTest {
  /** Library modules by their page section and root package. */
  static final Map<String, String> MODULES = Map.of(
      "privseg-core", "dev.privseg.core",
      "privseg-anonymization", "dev.privseg.anonymization",
      "privseg-consent", "dev.privseg.consent",
      "privseg-signals", "dev.privseg.signals",
      "privseg-pages", "dev.privseg.pages",
      "privseg-spec", "dev.privseg.spec",
      "privseg-spring-boot-starter", "dev.privseg.spring");

  @Test
  void theApiPageListsEveryPublicTypeOfEveryModuleAndNothingElse() throws IOException {
    String page = Files.readString(Path.of("../docs/api.md"));
    var classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        // Other modules' test helpers (a test-jar on this module's test class path).
        .withImportOption(location -> !location.contains("-tests.jar"))
        .importPackages("dev.privseg");
    for (Map.Entry<String, String> module : MODULES.entrySet()) {
      TreeSet<String> actual = new TreeSet<>();
      for (JavaClass c : classes) {
        if ((c.getPackageName().equals(module.getValue())
            || c.getPackageName().startsWith(module.getValue() + "."))
            && !c.getPackageName().contains(".internal") && isPublicApi(c)) {
          actual.add(name(c));
        }
      }
      TreeSet<String> listed = listed(section(page, module.getKey()));
      assertThat(listed).as("docs/api.md, section %s", module.getKey()).isEqualTo(actual);
    }
  }

  /** Public, and nested (if at all) only in public types; not anonymous or local. */
  private static boolean isPublicApi(JavaClass c) {
    if (c.isAnonymousClass() || c.isLocalClass()
        || !c.getModifiers().contains(JavaModifier.PUBLIC)) {
      return false;
    }
    return c.getEnclosingClass().map(ApiPageTest::isPublicApi).orElse(true);
  }

  /** "Outer.Inner" for a nested type, the simple name otherwise. */
  private static String name(JavaClass c) {
    return c.getEnclosingClass().map(e -> name(e) + "." + c.getSimpleName())
        .orElse(c.getSimpleName());
  }

  private static String section(String page, String module) {
    int start = page.indexOf("## " + module + "\n");
    assertThat(start).as("docs/api.md has a section %s", module).isNotNegative();
    int end = page.indexOf("\n## ", start + 1);
    return page.substring(start, end < 0 ? page.length() : end);
  }

  /** The backticked names in a section's table rows. */
  private static TreeSet<String> listed(String section) {
    TreeSet<String> out = new TreeSet<>();
    Map<String, Integer> seen = new TreeMap<>();
    for (String line : section.split("\n")) {
      if (!line.startsWith("| ") || line.startsWith("| role")) {
        continue;
      }
      Matcher m = Pattern.compile("`([A-Za-z0-9.]+)`").matcher(line);
      while (m.find()) {
        out.add(m.group(1));
        seen.merge(m.group(1), 1, Integer::sum);
      }
    }
    seen.forEach((name, times) -> assertThat(times).as("%s listed once", name).isEqualTo(1));
    return out;
  }
}
