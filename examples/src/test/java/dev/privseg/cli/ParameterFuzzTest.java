package dev.privseg.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.privseg.anonymization.dp.Rational;
import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.anonymization.search.TransformationScheme;
import dev.privseg.consent.ledger.Checkpoint;
import dev.privseg.core.segment.rules.RuleSegments;
import java.io.StringReader;

/**
 * The small languages: rational privacy parameters, the rule language, hierarchy CSVs, saved
 * transformation schemes and ledger checkpoints.
 */
class ParameterFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void parameters(@NotNull String text) throws Exception {
    Fuzz.onlyTypedExceptions(() -> Rational.parse(text));
    Fuzz.onlyTypedExceptions(() -> RuleSegments.first("segment", text));
    Fuzz.onlyTypedExceptions(() -> Hierarchy.fromCsv("field", new StringReader(text), ';'));
    Fuzz.onlyTypedExceptions(() -> TransformationScheme.fromJson(text));
    Fuzz.onlyTypedExceptions(() -> Checkpoint.parse(text));
  }
}
