package dev.privseg.core.gate;

import dev.privseg.core.Purpose;
import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.StringColumn;
import java.time.Instant;
import java.util.Collection;

/**
 * Decides, for each data subject, whether it may be processed for a purpose at an instant. The
 * first stage of every run: a subject the gate does not allow reaches no later stage and no output.
 *
 * <p>Implementations must be thread-safe, must not log subject identifiers, and should answer in
 * constant time per subject (a run asks once per input row). The {@code consent} module supplies a
 * ledger-backed gate; {@link #allowList} is the simple one for hosts that decide elsewhere.
 */
public interface LawfulBasisGate {

  /** Decides for one subject. Must never return {@code null}. */
  BasisDecision decide(SubjectId subject, Purpose purpose, Instant at);

  /**
   * The gate to use for one run for {@code purpose} at {@code at}. The pipeline calls this once,
   * when the lawful-basis stage starts, and then asks the returned gate about every row. A gate
   * may return a snapshot that answers faster and from one consistent view of its data (a run
   * then sees no event recorded after it started). The default returns this gate.
   */
  default LawfulBasisGate forRun(Purpose purpose, Instant at) {
    return this;
  }

  /**
   * Decides for every row of {@code subjects} at once, recording row {@code r}'s decision in
   * {@code out} at {@code r}; a row without an identifier (missing or blank) gets
   * {@link BasisDecision#NO_BASIS}. {@code out} has one row per row of {@code subjects}. The
   * pipeline calls this. The default asks {@link #decide} row by row; a gate can override it to
   * work on the column's UTF-8 bytes without a {@code String} per row.
   */
  default void decideAll(StringColumn subjects, Purpose purpose, Instant at,
      BasisDecisions out) {
    for (int r = 0; r < subjects.size(); r++) {
      String id = subjects.isNull(r) ? "" : subjects.get(r);
      out.set(r, id.isBlank() ? BasisDecision.NO_BASIS : decide(new SubjectId(id), purpose, at));
    }
  }

  /**
   * Writes to {@code out[r]} whether row {@code r}'s subject gave <em>explicit</em> consent to
   * {@code purpose} in force at {@code at} (GDPR Art. 9(2)(a)), which special-category fields
   * need. The pipeline asks only for rows the gate allowed and only when special-category fields
   * are kept. The default vouches for nobody, so such fields are withheld from every row.
   */
  default void explicitConsentAll(StringColumn subjects, Purpose purpose, Instant at,
      boolean[] out) {
    java.util.Arrays.fill(out, 0, subjects.size(), false);
  }

  /**
   * What this gate can tell about why it allowed no subject for {@code purpose} (for example,
   * which purposes its data does hold), for the message of a
   * {@link NoSubjectAllowedException}; empty if nothing. Asked only then. Must not contain
   * personal data.
   */
  default java.util.Optional<String> whyNoneAllowed(Purpose purpose) {
    return java.util.Optional.empty();
  }

  /**
   * A description of this gate for the processing record, e.g. {@code "allow-list of 950
   * subjects"}. Must not contain personal data.
   */
  String description();

  /**
   * A gate that allows exactly the subjects in {@code allowed} and reports every other subject as
   * {@link BasisDecision#NO_BASIS}, for any purpose. The host vouches that {@code allowed} holds
   * a valid {@code basis} for the purpose it builds the pipeline for.
   */
  static LawfulBasisGate allowList(Collection<String> allowed) {
    return new AllowListGate(allowed);
  }
}
