package dev.privseg.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.io.CsvWriter;
import dev.privseg.examples.SyntheticCustomers;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Java snippet of README.md and docs/*.md, compiled and run from the docs' own text: a
 * snippet is the body of a method (with the imports listed below), run in a fresh JVM whose
 * working directory holds the files the docs name ({@code customers.csv},
 * {@code customers.schema.yaml}, {@code consented-ids.txt}, {@code transactions.csv}) and whose
 * environment has a random {@code PRIVSEG_KEY}. A snippet that does not compile, throws, or
 * exits otherwise fails its test, named by file and line.
 */
class DocSnippetsTest {
  /** What every snippet may use without importing it. */
  static final List<String> IMPORTS = List.of("dev.privseg.core.*",
      "dev.privseg.core.schema.*", "dev.privseg.core.dataset.*", "dev.privseg.core.io.*",
      "dev.privseg.core.gate.*", "dev.privseg.core.minimize.*", "dev.privseg.core.pseudonymize.*",
      "dev.privseg.core.segment.*", "dev.privseg.core.segment.kmeans.*", "dev.privseg.core.segment.gmm.*",
      "dev.privseg.core.segment.kprototypes.*", "dev.privseg.core.segment.rfm.*",
      "dev.privseg.core.segment.rules.*", "dev.privseg.core.release.*",
      "dev.privseg.core.report.*", "dev.privseg.core.pipeline.*",
      "dev.privseg.anonymization.*", "dev.privseg.anonymization.dp.*",
      "dev.privseg.anonymization.hierarchy.*", "dev.privseg.anonymization.search.*",
      "dev.privseg.anonymization.model.*", "dev.privseg.core.anonymize.*",
      "dev.privseg.consent.*", "dev.privseg.consent.ledger.*", "dev.privseg.consent.store.*",
      "dev.privseg.consent.store.jdbc.*", "dev.privseg.consent.directory.*",
      "dev.privseg.consent.rights.*", "dev.privseg.signals.*", "dev.privseg.pages.*",
      "java.nio.file.*",
      "java.time.*", "java.util.*", "java.security.SecureRandom");
  private static final Pattern BLOCK = Pattern.compile("(?m)^```java\\n(.*?)^```", Pattern.DOTALL);

  /** A snippet: where it is, and its text. */
  record Snippet(String file, int line, String code) {}

  static List<Snippet> snippets() throws IOException {
    Path root = Path.of("..");
    List<Path> files = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    List<Snippet> out = new ArrayList<>();
    for (Path f : files) {
      String text = Files.readString(f);
      Matcher m = BLOCK.matcher(text);
      while (m.find()) {
        int line = (int) text.substring(0, m.start()).lines().count() + 1;
        out.add(new Snippet(root.relativize(f).toString(), line, m.group(1)));
      }
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> everySnippetCompilesAndRuns() throws IOException {
    List<Snippet> all = snippets();
    assertThat(all).as("snippets found").isNotEmpty();
    return all.stream().map(s -> DynamicTest.dynamicTest(s.file() + ":" + s.line(),
        () -> compileAndRun(s)));
  }

  static void compileAndRun(Snippet s) throws Exception {
    Path dir = Files.createTempDirectory("privseg-snippet");
    Path src = dir.resolve("src/Snippet.java");
    Files.createDirectories(src.getParent());
    StringBuilder java = new StringBuilder();
    IMPORTS.forEach(i -> java.append("import ").append(i).append(";\n"));
    java.append("public class Snippet {\n  public static void main(String[] args) throws "
        + "Exception {\n").append(s.code()).append("\n  }\n}\n");
    Files.writeString(src, java);
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter errors = new StringWriter();
    int compiled = javac.getTask(errors, null, null, List.of("-d", classes.toString(), "-cp",
        System.getProperty("java.class.path"), "-proc:none", "-nowarn"), null,
        javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
            .getJavaFileObjects(src.toFile())).call() ? 0 : 1;
    assertThat(compiled).as("%s:%d does not compile:%n%s", s.file(), s.line(), errors)
        .isZero();

    Path work = dir.resolve("work");
    fixtures(work);
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        classes + File.pathSeparator + System.getProperty("java.class.path"), "Snippet")
        .directory(work.toFile()).redirectErrorStream(true);
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    pb.environment().put("PRIVSEG_KEY", Base64.getEncoder().encodeToString(key));
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s:%d fails when run:%n%s", s.file(), s.line(), output)
        .isZero();
  }

  /** The files the docs' snippets read, in {@code work}. */
  static void fixtures(Path work) throws IOException {
    Files.createDirectories(work);
    SyntheticCustomers.Population p = SyntheticCustomers.generate(3_000, 11);
    CsvWriter.write(p.customers(), work.resolve("customers.csv"));
    Files.write(work.resolve("consented-ids.txt"), p.consentedSubjects());
    Files.writeString(work.resolve("customers.schema.yaml"), schemaYaml());
    StringBuilder tx = new StringBuilder("customer_id,purchased_at,amount\n");
    List<String> ids = p.consentedSubjects();
    for (int i = 0; i < 4_000; i++) {
      tx.append(ids.get(i % Math.min(500, ids.size()))).append(",2026-0").append(1 + i % 9)
          .append("-1").append(i % 10).append("T10:00:00Z,").append(5 + (i * 37) % 400)
          .append('\n');
    }
    Files.writeString(work.resolve("transactions.csv"), tx);
  }

  /** The synthetic customers' schema as a schema document, from the schema itself. */
  static String schemaYaml() {
    StringBuilder yaml = new StringBuilder("subjectId: ")
        .append(SyntheticCustomers.SCHEMA.subjectField().orElseThrow()).append("\nfields:\n");
    for (dev.privseg.core.schema.Field f : SyntheticCustomers.SCHEMA.fields()) {
      yaml.append("  - {name: ").append(f.name()).append(", type: ").append(f.type())
          .append(", role: ").append(f.role());
      if (!f.categories().isEmpty()) {
        yaml.append(", categories: [").append(f.categories().stream()
            .map(c -> "\"" + c + "\"").collect(java.util.stream.Collectors.joining(", ")))
            .append(']');
      }
      yaml.append("}\n");
    }
    return yaml.toString();
  }
}
