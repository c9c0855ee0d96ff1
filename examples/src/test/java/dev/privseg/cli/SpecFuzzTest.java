package dev.privseg.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.privseg.core.schema.SchemaLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Pipeline specs and schema documents, as YAML (and schemas as JSON): loading a spec and
 * building its pipeline, which checks every option, refuses or succeeds without touching data.
 */
class SpecFuzzTest {
  private static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("privseg-spec-fuzz");
      // What the shipped specs refer to beside them, so their later sections are reached.
      Files.copy(Path.of("specs/telco-consented-subjects.txt"),
          DIR.resolve("telco-consented-subjects.txt"));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Known hard inputs, replayed as tests and mutated when fuzzing. */
  static java.util.stream.Stream<String> seeds() throws java.io.IOException {
    // Whole specs too, so that mutations start from every section a real spec has.
    java.util.List<String> specs = new java.util.ArrayList<>();
    try (var files = Files.list(Path.of("specs"))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        // Without comments, to stay well inside the fuzzer's input size.
        specs.add(Files.readAllLines(p).stream().map(l -> l.replaceAll("\\s+#.*$", ""))
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .collect(java.util.stream.Collectors.joining("\n", "", "\n")));
      }
    }
    return java.util.stream.Stream.concat(specs.stream(), java.util.stream.Stream.of(
        "subjectId: id\nfields:\n  - {name: id, type: IDENTIFIER, role: DIRECT_IDENTIFIER}\n  - {name: a, type: CATEGORICAL, role: OTHER, categories: &c [x, y]}\n  - {name: b, type: CATEGORICAL, role: OTHER, categories: *c}\n",
        "input: {path: x.csv}\ninput: {path: y.csv}\n",
        "input: {path: x.csv}\nminimize: {keep: [x], coarsen: {x: }}\nsegmentation: {algorithm: rules, rules: [~]}\n",
        "privacyBudget: {epsilon: 1e100000000}\n",
        "- [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n"));
  }

  @org.junit.jupiter.params.provider.MethodSource("seeds")
  @FuzzTest(maxDuration = "10s")
  void specAndSchema(@NotNull String text) throws Exception {
    Path spec = DIR.resolve("spec.yaml");
    Files.writeString(spec, text);
    Fuzz.onlyTypedExceptions(() -> {
      try (dev.privseg.spec.Spec loader = dev.privseg.spec.Spec.load(spec, Map.of())) {
        loader.pipeline();
      }
    });
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (SchemaLoader.Format format : SchemaLoader.Format.values()) {
      Fuzz.onlyTypedExceptions(() -> SchemaLoader.load(new ByteArrayInputStream(bytes), format));
    }
  }
}
