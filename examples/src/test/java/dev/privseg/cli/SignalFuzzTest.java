package dev.privseg.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.signals.PrivacySignals;
import dev.privseg.signals.SignalMapping;
import dev.privseg.core.PurposeId;
import java.time.Instant;

/** Privacy signals as they arrive from browsers and consent platforms: GPP, TC, US Privacy, GPC. */
class SignalFuzzTest {
  static final PrivacySignals SIGNALS = PrivacySignals.with(SignalMapping.builder()
      .tcfPurpose(1, PurposeId.of("storage")).tcfPurpose(3, PurposeId.of("marketing"))
      .gpcMeansOptOut(true).build());
  static final SubjectKey SUBJECT = new SubjectKey(1, 2);
  static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");

  /** Known hard inputs, replayed as tests and mutated when fuzzing. */
  static java.util.stream.Stream<String> seeds() {
    return java.util.stream.Stream.of(
        "DBABM~CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA.YAAAAAAAAAAA",
        "CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA",
        "1YNN",
        "1",
        "DBACNY~CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA~1YNN");
  }

  @org.junit.jupiter.params.provider.MethodSource("seeds")
  @FuzzTest(maxDuration = "10s")
  void signal(@NotNull String text) throws Exception {
    Fuzz.onlyTypedExceptions(() -> SIGNALS.fromGpp(text, SUBJECT, AT));
    Fuzz.onlyTypedExceptions(() -> SIGNALS.fromTcString(text, SUBJECT, AT));
    Fuzz.onlyTypedExceptions(() -> SIGNALS.fromUsPrivacy(text, SUBJECT, AT));
    Fuzz.onlyTypedExceptions(() -> SIGNALS.fromGpcHeader(text, SUBJECT, AT));
  }
}
