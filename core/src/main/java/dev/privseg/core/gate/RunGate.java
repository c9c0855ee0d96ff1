package dev.privseg.core.gate;

import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import java.util.List;
import java.util.Optional;

/**
 * One run's view of a {@link LawfulBasisGate}, for one purpose at one instant: every decision of
 * the run comes from it, so the run sees one consistent state of the gate's data (a ledger-backed
 * gate decides from a snapshot taken when the view is opened). Batch first: a run asks about a
 * whole column of subject ids at once.
 *
 * <p>Used by one run at a time; must not log subject identifiers. A view that is also
 * {@link java.io.Serializable} can decide on other machines: an engine such as Spark sends it
 * to its executors and asks it there, a batch of rows at a time (the allow-list's view is).
 */
public interface RunGate {

  /**
   * Decides for every row of {@code subjects}, recording row {@code r}'s decision in {@code out}
   * at {@code r}; a row without an identifier (missing or blank) gets
   * {@link BasisDecision#NO_BASIS}. {@code out} has one row per row of {@code subjects}.
   */
  void decideAll(StringColumn subjects, BasisDecisions out);

  /**
   * Writes to {@code out[r]} whether row {@code r}'s subject gave <em>explicit</em> consent in
   * force (GDPR Art. 9(2)(a)), which special-category fields need. The pipeline asks only for
   * rows the gate allowed and only when special-category fields are kept. The default vouches
   * for nobody, so such fields are withheld from every row.
   */
  default void explicitConsentAll(StringColumn subjects, boolean[] out) {
    java.util.Arrays.fill(out, 0, subjects.size(), false);
  }

  /**
   * What this view can tell about why it allowed no subject (for example, which purposes the
   * gate's data does hold), for the message of a {@link NoSubjectAllowedException}; empty if
   * nothing. Asked only then. Must not contain personal data.
   */
  default Optional<String> whyNoneAllowed() {
    return Optional.empty();
  }

  /** The decision for one subject: {@link #decideAll} on a column of one. */
  default BasisDecision decide(SubjectId subject) {
    BasisDecisions out = new BasisDecisions(1);
    decideAll(StringColumn.of(new Field("subject", FieldType.IDENTIFIER,
        PrivacyRole.DIRECT_IDENTIFIER, true, List.of()), new String[] {subject.value()}), out);
    return out.get(0);
  }
}
