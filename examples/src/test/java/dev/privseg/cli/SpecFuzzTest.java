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
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @FuzzTest(maxDuration = "10s")
  void specAndSchema(@NotNull String text) throws Exception {
    Path spec = DIR.resolve("spec.yaml");
    Files.writeString(spec, text);
    Fuzz.onlyTypedExceptions(() -> {
      try (SpecLoader loader = SpecLoader.load(spec, Map.of())) {
        loader.pipeline();
      }
    });
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (SchemaLoader.Format format : SchemaLoader.Format.values()) {
      Fuzz.onlyTypedExceptions(() -> SchemaLoader.load(new ByteArrayInputStream(bytes), format));
    }
  }
}
