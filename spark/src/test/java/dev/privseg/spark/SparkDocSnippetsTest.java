package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Spark snippet of docs/spark.md (fenced {@code ```java spark}), compiled and run in a JVM
 * of its own with Spark's flags; the examples' snippet test, which has no Spark, skips them.
 */
class SparkDocSnippetsTest {
  private static final List<String> IMPORTS = List.of("dev.privseg.core.*",
      "dev.privseg.core.schema.*", "dev.privseg.core.minimize.*",
      "dev.privseg.core.pseudonymize.*", "dev.privseg.core.pipeline.*",
      "dev.privseg.core.segment.*", "dev.privseg.core.segment.kmeans.*",
      "dev.privseg.consent.*", "dev.privseg.consent.ledger.*", "dev.privseg.spark.*",
      "dev.privseg.anonymization.hierarchy.*", "dev.privseg.anonymization.search.*",
      "org.apache.spark.sql.*", "org.apache.spark.sql.types.*", "java.nio.file.*",
      "java.time.*", "java.util.*");
  private static final Pattern BLOCK =
      Pattern.compile("(?m)^```java spark\\n(.*?)^```", Pattern.DOTALL);

  @Test
  void everySparkSnippetCompilesAndRuns(@TempDir Path dir) throws Exception {
    String page = Files.readString(Path.of("../docs/spark.md"));
    Matcher m = BLOCK.matcher(page);
    List<String> snippets = new ArrayList<>();
    while (m.find()) {
      snippets.add(m.group(1));
    }
    assertThat(snippets).as("Spark snippets in docs/spark.md").isNotEmpty();
    for (int i = 0; i < snippets.size(); i++) {
      run(dir.resolve("s" + i), snippets.get(i));
    }
  }

  private static void run(Path dir, String code) throws Exception {
    Path src = dir.resolve("src/Snippet.java");
    Files.createDirectories(src.getParent());
    StringBuilder java = new StringBuilder();
    IMPORTS.forEach(i -> java.append("import ").append(i).append(";\n"));
    java.append("public class Snippet {\n  public static void main(String[] args) throws "
        + "Exception {\n").append(code).append("\n  }\n}\n");
    Files.writeString(src, java);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter errors = new StringWriter();
    boolean compiled = javac.getTask(errors, null, null, List.of("-d", classes.toString(),
        "-cp", System.getProperty("java.class.path"), "-proc:none", "-nowarn"), null,
        javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
            .getJavaFileObjects(src.toFile())).call();
    assertThat(compiled).as("does not compile:%n%s%n%s", errors, code).isTrue();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String flag : System.getProperty("privseg.spark.jvm.flags", "").trim().split("\\s+")) {
      if (!flag.isEmpty()) {
        command.add(flag);
      }
    }
    command.addAll(List.of("-cp", classes + File.pathSeparator
        + System.getProperty("java.class.path"), "Snippet"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("fails when run:%n%s", output).isZero();
  }
}
