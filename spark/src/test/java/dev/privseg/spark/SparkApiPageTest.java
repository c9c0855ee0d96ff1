package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md's privseg-spark section lists every public type of the module and nothing else
 * (the examples' ApiPageTest checks the other modules; they do not depend on Spark).
 */
class SparkApiPageTest {

  @Test
  void theApiPageListsEveryPublicTypeOfTheModule() throws IOException, ClassNotFoundException {
    Path classes = Path.of("target/classes");
    TreeSet<String> actual = new TreeSet<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
        String name = classes.relativize(f).toString().replace('/', '.')
            .replaceAll("\\.class$", "");
        if (name.endsWith("package-info")) {
          continue;
        }
        Class<?> c = Class.forName(name, false, getClass().getClassLoader());
        if (isPublicApi(c)) {
          actual.add(c.getName().substring(c.getPackageName().length() + 1).replace('$', '.'));
        }
      }
    }
    String page = Files.readString(Path.of("../docs/api.md"));
    int start = page.indexOf("## privseg-spark\n");
    assertThat(start).as("docs/api.md has a section privseg-spark").isNotNegative();
    int end = page.indexOf("\n## ", start + 1);
    String section = page.substring(start, end < 0 ? page.length() : end);
    TreeSet<String> listed = new TreeSet<>();
    for (String line : section.split("\n")) {
      if (line.startsWith("| ") && !line.startsWith("| role")) {
        Matcher m = Pattern.compile("`([A-Za-z0-9.]+)`").matcher(line);
        while (m.find()) {
          listed.add(m.group(1));
        }
      }
    }
    assertThat(listed).isEqualTo(actual);
  }

  private static boolean isPublicApi(Class<?> c) {
    if (c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic()
        || !Modifier.isPublic(c.getModifiers())) {
      return false;
    }
    return c.getEnclosingClass() == null || isPublicApi(c.getEnclosingClass());
  }
}
