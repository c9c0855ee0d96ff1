package dev.privseg.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.privseg.anonymization.dp.Rational;
import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.core.PrivsegException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.io.CsvReader;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.schema.SchemaLoader;
import dev.privseg.core.segment.rules.RuleSegments;
import java.io.ByteArrayInputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The findings of the first bounded fuzzing pass (7.6 million inputs), each kept as a test: only
 * privseg's typed exceptions may escape a parser, in bounded time and memory.
 */
class HostileInputTest {
  static final Schema SCHEMA = Schema.builder().subjectId("id")
      .field("t", FieldType.TIMESTAMP, PrivacyRole.OTHER)
      .field("x", FieldType.NUMERIC, PrivacyRole.OTHER)
      .field("n", FieldType.INTEGER, PrivacyRole.OTHER)
      .build();

  static Dataset csv(String row, boolean lenient) throws Exception {
    return CsvReader.builder().lenient(lenient).build()
        .read(new StringReader("id,t,x,n\n" + row + "\n"), SCHEMA);
  }

  @Test
  void aTimestampOutOfRangeIsATypedErrorStrictAndARejectedRowLenient() throws Exception {
    String row = "A,+292278994-08-17T07:12:55.808Z,1,1";
    assertThatThrownBy(() -> csv(row, false)).isInstanceOf(PrivsegException.class)
        .hasMessageContaining("'t'").hasMessageNotContaining("292278994");
    assertThat(csv(row, true).rowCount()).isZero();
  }

  @Test
  void onlyPlainDecimalNumbersParse() {
    for (String number : List.of("0x1p3", "1d", "2f", "\u0661\u0662", "\uff11", "1_000")) {
      assertThatThrownBy(() -> csv("A,2026-01-01T00:00:00Z," + number + ",1", false))
          .as(number).isInstanceOf(PrivsegException.class);
      assertThatThrownBy(() -> csv("A,2026-01-01T00:00:00Z,1," + number, false))
          .as(number).isInstanceOf(PrivsegException.class);
    }
    assertThatCode(() -> csv("A,2026-01-01T00:00:00Z,-1.5e3,42", false)).doesNotThrowAnyException();
  }

  @Test
  void aHugeFieldIsRefusedBeforeItFillsTheHeap() {
    // 64 MiB in one field, produced lazily: far more than any real cell, refused long before.
    Reader huge = new Reader() {
      long left = 64L << 20;
      boolean header = true;

      @Override
      public int read(char[] buf, int off, int len) {
        if (header) {
          header = false;
          String h = "id,t,x,n\nA,";
          h.getChars(0, h.length(), buf, off);
          return h.length();
        }
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        java.util.Arrays.fill(buf, off, off + n, 'a');
        left -= n;
        return n;
      }

      @Override
      public void close() {}
    };
    assertThatThrownBy(() -> CsvReader.defaults().read(huge, SCHEMA))
        .isInstanceOf(PrivsegException.class).hasMessageContaining("longer than");
  }

  @Test
  void deeplyNestedRulesAreRefusedNotAStackOverflow() {
    String deep = "(".repeat(2_000) + "x > 1" + ")".repeat(2_000);
    assertThatThrownBy(() -> RuleSegments.first("s", deep))
        .isInstanceOf(PrivsegException.class).hasMessageContaining("nest");
  }

  @Test
  void privacyParametersOutOfRangeAreRefusedQuickly() {
    for (String text : List.of("1e100000000", "1e-100000000", "0x1p3", "\u0661", "1e31")) {
      Instant start = Instant.now();
      assertThatThrownBy(() -> Rational.parse(text)).as(text)
          .isInstanceOf(PrivsegException.class);
      assertThat(Duration.between(start, Instant.now())).as(text)
          .isLessThan(Duration.ofSeconds(1));
    }
    Rational tiny = Rational.parse("1e-20");
    var budget = dev.privseg.anonymization.dp.PrivacyAccountant.withBudget(Rational.parse("1"),
        Rational.ZERO);
    assertThatThrownBy(() -> dev.privseg.anonymization.dp.DpProfiles.spending(budget, tiny))
        .isInstanceOf(PrivsegException.class).hasMessageContaining("at least 1/1000000");
    assertThatThrownBy(() -> dev.privseg.anonymization.dp.DpKMeans.clusters(3, budget, tiny))
        .isInstanceOf(PrivsegException.class).hasMessageContaining("at least 1/1000000");
  }

  @Test
  void malformedHierarchyCsvIsATypedError() {
    for (String text : List.of("", ";", "a;b\n;c", "\"unterminated", "a\n\n;;;", "a;b\nc")) {
      assertThatCode(() -> {
        try {
          Hierarchy.fromCsv("f", new StringReader(text), ';');
        } catch (PrivsegException typed) {
          // a refusal
        }
      }).as(text).doesNotThrowAnyException();
    }
  }

  @Test
  void longSignalsAreRefusedInBoundedTime() {
    String big = "CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA".repeat(5_000);
    for (var decode : List.<java.util.function.Consumer<String>>of(
        s -> SignalFuzzTest.SIGNALS.fromGpp(s, new SubjectKey(1, 2), Instant.EPOCH),
        s -> SignalFuzzTest.SIGNALS.fromTcString(s, new SubjectKey(1, 2), Instant.EPOCH))) {
      Instant start = Instant.now();
      assertThatThrownBy(() -> decode.accept(big)).isInstanceOf(PrivsegException.class);
      assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void yamlAliasesAndDuplicateKeysAreRefused() {
    String alias = "subjectId: id\nfields:\n  - {name: id, type: IDENTIFIER, role: "
        + "DIRECT_IDENTIFIER}\n  - {name: a, type: CATEGORICAL, role: OTHER, categories: &c "
        + "[x, y]}\n  - {name: b, type: CATEGORICAL, role: OTHER, categories: *c}\n";
    String duplicate = "subjectId: id\nsubjectId: other\nfields:\n  - {name: id, type: "
        + "IDENTIFIER, role: DIRECT_IDENTIFIER}\n";
    for (String yaml : List.of(alias, duplicate)) {
      assertThatThrownBy(() -> SchemaLoader.load(new ByteArrayInputStream(
          yaml.getBytes(StandardCharsets.UTF_8)), SchemaLoader.Format.YAML))
          .as(yaml).isInstanceOf(PrivsegException.class);
    }
  }

  @Test
  void emptySpecEntriesAreTypedErrors(@TempDir Path dir) throws Exception {
    String base = "input: {path: x.csv}\nschema:\n  subjectId: id\n  fields:\n"
        + "    - {name: id, type: IDENTIFIER, role: DIRECT_IDENTIFIER}\n"
        + "    - {name: x, type: NUMERIC, role: OTHER}\n"
        + "purpose: {id: p, description: d, lawfulBasis: CONSENT}\n"
        + "lawfulBasis: {allowedSubjects: ids.txt}\n"
        + "pseudonymize: {field: id, key: {ephemeral: true}}\n";
    Files.writeString(dir.resolve("ids.txt"), "A\n");
    for (String tail : List.of(
        "minimize: {keep: [x], coarsen: {x: }}\nsegmentation: {k: 2}\n",
        "minimize: {keep: [x], coarsen: {x: {}}}\nsegmentation: {k: 2}\n",
        "minimize: {keep: [x]}\nsegmentation: {algorithm: rules, rules: [{}]}\n",
        "minimize: {keep: [x]}\nsegmentation: {algorithm: rules, rules: [ ]}\n",
        "minimize: {keep: [x]}\nsegmentation: {algorithm: rules, rules: [{name: a}]}\n",
        "minimize: {keep: [x]}\nsegmentation: {algorithm: rules, rules: [~]}\n",
        "minimize: {keep: [~]}\nsegmentation: {k: 2}\n",
        "minimize: {keep: [x]}\nsegmentation: {k: 2}\nanonymize: {models: [~]}\n")) {
      Path spec = dir.resolve("spec.yaml");
      Files.writeString(spec, base + tail);
      assertThatCode(() -> Fuzz.onlyTypedExceptions(() -> {
        try (dev.privseg.spec.Spec loader = dev.privseg.spec.Spec.load(spec, Map.of())) {
          loader.pipeline();
        }
      })).as(tail).doesNotThrowAnyException();
    }
  }
}
