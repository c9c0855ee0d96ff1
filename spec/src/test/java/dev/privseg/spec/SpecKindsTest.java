package dev.privseg.spec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hierarchy or coarsening rule is given by exactly one kind, which the reader deduces from its
 * key: two kinds, none, or an option of another kind are refused naming the place and the kinds.
 */
class SpecKindsTest {
  static final String HIERARCHY = "    tenure: {intervals: [3, 6, 12, 24]}\n";
  static final String COARSEN = "    total_charges: {topCode: 8000}\n";

  @Test
  void aHierarchyOrRuleOfTwoKindsOrNoneIsRefusedNamingTheKinds(@TempDir Path dir)
      throws IOException {
    String telco = Files.readString(SpecSchemaTest.TELCO);
    Map<String, String> cases = Map.of(
        telco.replace(HIERARCHY, "    tenure: {intervals: [3, 6], masking: 2}\n"),
        "spec s.yaml: 'anonymize.hierarchies.tenure' is given by intervals, which takes "
            + "[intervals], not 'masking'; give exactly one of intervals, masking, dates, flat, "
            + "ordinal (with groups), taxonomy or csv (with delimiter)",
        telco.replace(HIERARCHY, "    tenure: {}\n"),
        "spec s.yaml: 'anonymize.hierarchies.tenure' must be exactly one of intervals, "
            + "masking, dates, flat, ordinal (with groups), taxonomy or csv (with delimiter)",
        telco.replace(COARSEN, "    total_charges: {topCode: 8000, width: 5}\n"),
        "spec s.yaml: 'minimize.coarsen.total_charges' is given by topCode, which takes "
            + "[topCode], not 'width'; give exactly one of width, edges, prefix, toMonth, "
            + "toYear, topCode or bottomCode");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Path spec = dir.resolve("s.yaml");
      Files.writeString(spec, c.getKey());
      assertThatThrownBy(() -> Spec.load(spec, Map.of()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith(c.getValue());
    }
  }

  /**
   * A ledger's PostgreSQL URL is given to engines that read its tables themselves (Spark); a
   * ledger in an H2 directory, or none, gives none.
   */
  @Test
  void theLedgersJdbcUrlIsGivenOnlyForAPostgresqlLedger(@TempDir Path dir) throws IOException {
    String telco = Files.readString(SpecSchemaTest.TELCO);
    String allowList = "  allowedSubjects: telco-consented-subjects.txt\n";
    Path spec = dir.resolve("s.yaml");
    Files.writeString(spec, telco.replace(allowList,
        "  ledger: {jdbc: 'jdbc:postgresql://127.0.0.1:5432/crm?user=privseg'}\n"));
    try (Spec s = Spec.load(spec, Map.of())) {
      org.assertj.core.api.Assertions.assertThat(s.ledgerJdbcUrl())
          .contains("jdbc:postgresql://127.0.0.1:5432/crm?user=privseg");
    }
    Files.writeString(spec, telco.replace(allowList, "  ledger: {db: consent-db}\n"));
    try (Spec s = Spec.load(spec, Map.of())) {
      org.assertj.core.api.Assertions.assertThat(s.ledgerJdbcUrl()).isEmpty();
    }
    try (Spec s = Spec.load(SpecSchemaTest.TELCO, Map.of())) {
      org.assertj.core.api.Assertions.assertThat(s.ledgerJdbcUrl()).isEmpty();
    }
  }

  /**
   * Every pair of kinds of every part given by one kind is refused while the spec is read: none
   * is quietly preferred (the hole that let a key's second source be ignored).
   */
  @Test
  void everyPairOfKindsOfEveryOneKindPartIsRefused(@TempDir Path dir) throws IOException {
    String telco = Files.readString(SpecSchemaTest.TELCO);
    Map<String, Map<String, String>> parts = Map.of(
        HIERARCHY, Map.of("intervals", "[3, 6]", "masking", "2", "dates", "true", "flat", "true",
            "ordinal", "[a, b]", "taxonomy", "['x/y']", "csv", "h.csv"),
        COARSEN, Map.of("width", "5", "edges", "[1, 2]", "prefix", "2", "toMonth", "true",
            "toYear", "true", "topCode", "8000", "bottomCode", "0"),
        "  key: {ephemeral: true}", Map.of("env", "PRIVSEG_KEY", "keystore", "k.p12",
            "ephemeral", "true", "directory", "true"));
    Path spec = dir.resolve("s.yaml");
    int pairs = 0;
    for (Map.Entry<String, Map<String, String>> part : parts.entrySet()) {
      String line = part.getKey();
      org.assertj.core.api.Assertions.assertThat(telco).contains(line);
      String prefix = line.substring(0, line.indexOf('{'));
      String end = line.endsWith("\n") ? "\n" : "";
      for (String a : part.getValue().keySet()) {
        for (String b : part.getValue().keySet()) {
          if (a.compareTo(b) >= 0) {
            continue;
          }
          Files.writeString(spec, telco.replace(line, prefix + "{" + a + ": "
              + part.getValue().get(a) + ", " + b + ": " + part.getValue().get(b) + "}" + end));
          Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
              () -> Spec.load(spec, Map.of()));
          org.assertj.core.api.Assertions.assertThat(thrown).as(a + " with " + b)
              .isInstanceOf(ConfigurationException.class)
              .hasMessageContaining("give exactly one of");
          pairs++;
        }
      }
    }
    org.assertj.core.api.Assertions.assertThat(pairs).isEqualTo(21 + 21 + 6);
  }

  /** A key given two sources used one and silently ignored the other (the directory won). */
  @Test
  void aKeyWithTwoSourcesIsRefusedRatherThanOneIgnored(@TempDir Path dir) throws IOException {
    Path spec = dir.resolve("s.yaml");
    String telco = Files.readString(SpecSchemaTest.TELCO);
    String key = "  key: {ephemeral: true}";
    org.assertj.core.api.Assertions.assertThat(telco).contains(key);
    Files.writeString(spec, telco.replace(key, "  key: {directory: true, env: PRIVSEG_KEY}"));
    assertThatThrownBy(() -> Spec.load(spec, Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("spec s.yaml: 'pseudonymize.key' is given by directory, which "
            + "takes [directory], not 'env'; give exactly one of env, keystore (with alias and "
            + "passwordEnv), ephemeral or directory");
  }

  @Test
  void aKindSwitchedOffIsRefusedRatherThanMeaningNothing(@TempDir Path dir) throws IOException {
    Path spec = dir.resolve("s.yaml");
    Files.writeString(spec, Files.readString(SpecSchemaTest.TELCO)
        .replace(HIERARCHY, "    tenure: {dates: false}\n")
        .replace("telco-consented-subjects.txt", SpecSchemaTest.TELCO.resolveSibling(
            "telco-consented-subjects.txt").toAbsolutePath().toString()));
    assertThatThrownBy(() -> {
      try (Spec s = Spec.load(spec, Map.of())) {
        s.pipeline();
      }
    }).isInstanceOf(ConfigurationException.class)
        .hasMessage("spec: anonymize.hierarchies.tenure.dates must be true (a quasi-identifier "
            + "needs a hierarchy)");
  }
}
