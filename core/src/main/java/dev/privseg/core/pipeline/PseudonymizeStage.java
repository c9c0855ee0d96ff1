package dev.privseg.core.pipeline;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.minimize.MinimizationRules;
import dev.privseg.core.pseudonymize.Pseudonym;
import dev.privseg.core.pseudonymize.PseudonymSession;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import java.util.ArrayList;
import java.util.List;

/**
 * The pseudonymize stage, with one job: replace each row's subject identifier by its pseudonym,
 * asking a run-scoped pseudonymizer in blocks (so that one backed by a database answers a block
 * at a time), and from here on carry the pseudonyms beside the kept fields only, with only the
 * categories the processed rows hold. Immutable.
 */
final class PseudonymizeStage {
  /** Rows asked for at a time; also how often the run checks for cancellation. */
  static final int BLOCK = 4096;
  private final Pseudonymizer pseudonymizer;
  private final String subjectField;

  PseudonymizeStage(Pseudonymizer pseudonymizer, String subjectField) {
    this.pseudonymizer = pseudonymizer;
    this.subjectField = subjectField;
  }

  /** Checks that {@code field} is in {@code schema} as an IDENTIFIER / DIRECT_IDENTIFIER. */
  static void checkSubjectField(Schema schema, String field) {
    if (!schema.contains(field)) {
      throw new ConfigurationException("pseudonymized field '" + field
          + "' is not in the input schema " + schema.names());
    }
    Field f = schema.field(field);
    if (f.type() != FieldType.IDENTIFIER || f.role() != PrivacyRole.DIRECT_IDENTIFIER) {
      throw new ConfigurationException("pseudonymized field '" + field
          + "' must be an IDENTIFIER with role DIRECT_IDENTIFIER but is " + f.type() + "/"
          + f.role());
    }
  }

  /** The pseudonymized rows of {@code minimized}; records the method and key id. */
  Rows run(MinimizationRules.Outcome minimized, RunListener listener, Runnable checkCancelled,
      RunRecorder recorder) {
    StringColumn ids = minimized.dataset().column(subjectField, StringColumn.class);
    int n = ids.size();
    String[] out = new String[n];
    PseudonymSession scoped = pseudonymizer.forRun(n);
    List<SubjectId> block = new ArrayList<>(BLOCK);
    for (int from = 0; from < n; from += BLOCK) {
      checkCancelled.run();
      listener.progress(Stage.PSEUDONYMIZE, from, n);
      int to = Math.min(n, from + BLOCK);
      block.clear();
      for (int r = from; r < to; r++) {
        block.add(new SubjectId(ids.get(r)));
      }
      List<Pseudonym> made = scoped.pseudonymizeAll(block);
      if (made.size() != block.size()) {
        throw new IllegalStateException(scoped + " returned " + made.size()
            + " pseudonyms for " + block.size() + " subjects");
      }
      for (int r = from; r < to; r++) {
        out[r] = made.get(r - from).value();
      }
    }
    recorder.pseudonymization(subjectField, pseudonymizer.description(), pseudonymizer.keyId());
    return new Rows(out, HeldCategories.only(minimized.dataset().project(minimized.used())));
  }
}
