package dev.privseg.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.privseg.anonymization.dp.Rational;
import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.anonymization.search.TransformationScheme;
import dev.privseg.consent.SignedCheckpoint;
import dev.privseg.consent.ledger.Checkpoint;
import dev.privseg.core.segment.rules.RuleSegments;
import java.io.StringReader;

/**
 * The small languages: rational privacy parameters, the rule language, hierarchy CSVs, saved
 * transformation schemes, ledger checkpoints and signed checkpoint files.
 */
class ParameterFuzzTest {

  /** Known hard inputs, replayed as tests and mutated when fuzzing. */
  static java.util.stream.Stream<String> seeds() {
    return java.util.stream.Stream.of(
        "1e-20",
        "1e100000000",
        "1/0",
        " 2 / 4 ",
        "(((((x > 1)))))",
        "age >= 30 and not (region in ('north', 'south') or spend is missing)",
        "a;b;*\nc;d\n",
        "\"unterminated",
        "{\"format\":\"privseg-generalization-scheme/1\"}",
        "12:" + "a".repeat(64),
        "{\"format\":\"privseg-checkpoint/1\",\"issuedAt\":\"2026-01-01T00:00:00Z\","
            + "\"ledgerHead\":null,\"runs\":{\"r\":\"\"},\"keyId\":\"0123456789abcdef\","
            + "\"signature\":\"AA==\"}");
  }

  @org.junit.jupiter.params.provider.MethodSource("seeds")
  @FuzzTest(maxDuration = "10s")
  void parameters(@NotNull String text) throws Exception {
    Fuzz.onlyTypedExceptions(() -> Rational.parse(text));
    Fuzz.onlyTypedExceptions(() -> RuleSegments.first("segment", text));
    Fuzz.onlyTypedExceptions(() -> Hierarchy.fromCsv("field", new StringReader(text), ';'));
    Fuzz.onlyTypedExceptions(() -> TransformationScheme.fromJson(text));
    Fuzz.onlyTypedExceptions(() -> Checkpoint.parse(text));
    Fuzz.onlyTypedExceptions(() -> SignedCheckpoint.parse(text));
  }
}
