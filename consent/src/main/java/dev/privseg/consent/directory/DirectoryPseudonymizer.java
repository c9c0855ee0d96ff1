package dev.privseg.consent.directory;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.core.Checks;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.Pseudonym;
import dev.privseg.core.pseudonymize.PseudonymSession;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Pseudonyms that erasure can make unlinkable: each subject's pseudonym is 256 random bits kept
 * in the {@link SubjectDirectory} of a ledger (created on first use), not a function of its
 * identifier. Erasing the subject deletes the pseudonym, after which nobody, the controller
 * included, can tell whose it was ("mapping deleted"). Thread-safe.
 */
public final class DirectoryPseudonymizer implements Pseudonymizer {
  /** Runs smaller than this never load the directory (see {@link #forRun}). */
  static final int LOAD_AT_LEAST = 4_096;
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

  /**
   * The pseudonyms of the subjects with {@code lookups}, the ledger's keys of their identifiers
   * made elsewhere with the same key (by Spark's executors, say: see {@link #lookupKeyer}),
   * issuing those still missing, a few hundred per transaction; empty for an erased subject.
   * Never sees an identifier.
   */
  public List<Optional<Pseudonym>> pseudonymsOf(List<SubjectKey> lookups) {
    Checks.notNull(lookups, "lookups");
    List<Optional<Pseudonym>> out = new ArrayList<>(lookups.size());
    for (Optional<SubjectDirectory.Entry> e : directory.entries(lookups, true)) {
      out.add(e.map(entry -> new Pseudonym(entry.pseudonym())));
    }
    return out;
  }

  /**
   * What keys lookups into this directory, without its key: the ledger's key id, scheme and
   * check value, by which another process that opens the key itself shows it opened this one.
   */
  public LookupKeyer lookupKeyer() {
    SubjectKeyer keyer = ledger.keyer();
    return new LookupKeyer(keyer.keyId(), keyer.scheme(), keyer.checkValue());
  }

  /**
   * The non-secret identity of the key that makes a directory's lookup keys.
   *
   * @param keyId the key's name
   * @param scheme how identifiers are keyed
   * @param checkValue the key's check value ({@link SubjectKeyer#checkValue})
   */
  public record LookupKeyer(String keyId, SubjectKeyer.Scheme scheme, String checkValue) {}

  /**
   * For a run that asks for at least a quarter of the directory (and a few thousand subjects),
   * a pseudonymizer that reads the whole directory and its tombstones once, in one sequential
   * scan, and then answers from memory, creating only the entries still missing: asking a
   * database for hundreds of thousands of scattered rows, a chunk at a time, costs more than
   * reading them all in order. For a smaller run, a session that asks a chunk at a time
   * ({@link #pseudonymizeAll}). Either gives the same pseudonyms.
   */
  @Override
  public PseudonymSession forRun(int subjects) {
    if (subjects < LOAD_AT_LEAST || directory instanceof InMemorySubjectDirectory
        || (long) subjects * 4 < directory.size()) {
      // An in-memory directory answers lists from memory already.
      return new PseudonymSession() {
        @Override
        public List<Pseudonym> pseudonymizeAll(List<SubjectId> list) {
          return DirectoryPseudonymizer.this.pseudonymizeAll(list);
        }

        @Override
        public String toString() {
          return "DirectoryPseudonymizer session[chunked]";
        }
      };
    }
    return new Loaded();
  }

  /** The directory read into memory for one run (see {@link #forRun}). Not thread-safe. */
  private final class Loaded implements PseudonymSession {
    private final Map<SubjectKey, String> pseudonyms = new HashMap<>();
    private final Set<SubjectKey> erased = new HashSet<>();

    Loaded() {
      directory.forEach((lookup, entry) -> pseudonyms.put(lookup, entry.pseudonym()));
      directory.forEachErased(erased::add);
    }

    @Override
    public List<Pseudonym> pseudonymizeAll(List<SubjectId> subjects) {
      List<SubjectKey> lookups = ledger.keyer().keys(Checks.notNull(subjects, "subjects"));
      List<SubjectKey> missing = new ArrayList<>();
      for (SubjectKey k : lookups) {
        if (!pseudonyms.containsKey(k) && !erased.contains(k)) {
          missing.add(k);
        }
      }
      if (!missing.isEmpty()) {
        List<Optional<SubjectDirectory.Entry>> made = directory.entries(missing, true);
        for (int i = 0; i < missing.size(); i++) {
          SubjectKey k = missing.get(i);
          made.get(i).ifPresentOrElse(e -> pseudonyms.put(k, e.pseudonym()), () -> erased.add(k));
        }
      }
      List<Pseudonym> out = new ArrayList<>(lookups.size());
      for (int i = 0; i < lookups.size(); i++) {
        String p = erased.contains(lookups.get(i)) ? null : pseudonyms.get(lookups.get(i));
        if (p == null) {
          throw new ConsentException("subject " + i + " of the list was erased: it has no "
              + "pseudonym");
        }
        out.add(new Pseudonym(p));
      }
      return out;
    }

    @Override
    public String toString() {
      return "DirectoryPseudonymizer session[loaded]";
    }
  }

  /** The subject's pseudonym if one was issued and not erased; never issues one. */
  @Override
  public Optional<Pseudonym> existing(SubjectId subject) {
    return directory.entry(ledger.keyer().key(subject), false)
        .map(e -> new Pseudonym(e.pseudonym()));
  }

  @Override
  public String description() {
    return METHOD;
  }

  /** The {@link #description()} of every directory pseudonymizer, as processing records name it. */
  public static final String METHOD =
      "random per-subject pseudonym (subject directory; deleted on erasure)";

  @Override
  public String keyId() {
    return directory.description();
  }

  @Override
  public String toString() {
    return "DirectoryPseudonymizer[" + directory.description() + "]";
  }
}
