package dev.privseg.consent.directory;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.core.Checks;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.Pseudonym;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pseudonyms that erasure can make unlinkable: each subject's pseudonym is 256 random bits kept
 * in the {@link SubjectDirectory} of a ledger (created on first use), not a function of its
 * identifier. Erasing the subject deletes the pseudonym, after which nobody, the controller
 * included, can tell whose it was ("mapping deleted"). Thread-safe.
 */
public final class DirectoryPseudonymizer implements Pseudonymizer {
  private final ConsentLedger ledger;
  private final SubjectDirectory directory;

  private DirectoryPseudonymizer(ConsentLedger ledger, SubjectDirectory directory) {
    this.ledger = ledger;
    this.directory = directory;
  }

  /** The pseudonymizer of {@code ledger}'s directory; the ledger must have one. */
  public static DirectoryPseudonymizer of(ConsentLedger ledger) {
    Checks.notNull(ledger, "ledger");
    SubjectDirectory directory = ledger.directory().orElseThrow(() ->
        new dev.privseg.core.ConfigurationException("the ledger has no subject directory: open it "
            + "with ConsentLedger.open(store, keyer, directory)"));
    return new DirectoryPseudonymizer(ledger, directory);
  }

  /**
   * The subject's pseudonym. Throws {@link ConsentException} for an erased subject: a run never
   * asks, because the gate excludes erased subjects before pseudonymization.
   */
  @Override
  public Pseudonym pseudonymize(SubjectId subject) {
    return directory.entry(ledger.keyer().key(subject), true)
        .map(e -> new Pseudonym(e.pseudonym()))
        .orElseThrow(() -> new ConsentException("the subject was erased: it has no pseudonym"));
  }

  /**
   * The subjects' pseudonyms, read and created through {@link SubjectDirectory#entries} a few
   * hundred at a time. Throws {@link ConsentException} naming the position of an erased subject.
   */
  @Override
  public List<Pseudonym> pseudonymizeAll(List<SubjectId> subjects) {
    Checks.notNull(subjects, "subjects");
    List<Optional<SubjectDirectory.Entry>> entries =
        directory.entries(ledger.keyer().keys(subjects), true);
    List<Pseudonym> out = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      int position = i;
      out.add(new Pseudonym(entries.get(i).orElseThrow(() -> new ConsentException(
          "subject " + position + " of the list was erased: it has no pseudonym")).pseudonym()));
    }
    return out;
  }

  /** The subject's pseudonym if one was issued and not erased; never issues one. */
  @Override
  public Optional<Pseudonym> existing(SubjectId subject) {
    return directory.entry(ledger.keyer().key(subject), false)
        .map(e -> new Pseudonym(e.pseudonym()));
  }

  @Override
  public String method() {
    return "random per-subject pseudonym (subject directory; deleted on erasure)";
  }

  @Override
  public String keyId() {
    return directory.description();
  }

  @Override
  public String toString() {
    return "DirectoryPseudonymizer[" + directory.description() + "]";
  }
}
