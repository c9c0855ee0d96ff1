package dev.privseg.core.gate;

import dev.privseg.core.Purpose;
import java.time.Instant;
import java.util.Collection;

/**
 * Decides, for each data subject, whether it may be processed for a purpose at an instant. The
 * first stage of every run: a subject the gate does not allow reaches no later stage and no output.
 * A run opens the gate once ({@link #forRun}) and asks the {@link RunGate} it gets, a batch at a
 * time, so that all its decisions come from one consistent view.
 *
 * <p>Implementations must be thread-safe, must not log subject identifiers, and should answer in
 * constant time per subject. The {@code consent} module supplies a ledger-backed gate;
 * {@link #allowList} is the simple one for hosts that decide elsewhere.
 */
public interface LawfulBasisGate extends dev.privseg.core.Described {

  /**
   * Opens the gate for one run for {@code purpose} at {@code at}. The pipeline calls this once,
   * when the lawful-basis stage starts, and then asks only the returned view, about every row.
   */
  RunGate forRun(Purpose purpose, Instant at);

  /**
   * A description of this gate for the processing record, e.g. {@code "allow-list of 950
   * subjects"}. Must not contain personal data.
   */
  @Override
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
