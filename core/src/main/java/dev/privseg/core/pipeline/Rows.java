package dev.privseg.core.pipeline;

import dev.privseg.core.Checks;
import dev.privseg.core.dataset.Dataset;

/**
 * The rows a run carries after pseudonymization: each row's pseudonym beside its kept features,
 * one value so that they cannot drift apart (a stage that drops or reorders rows does it to
 * both). Package-private; the pseudonyms are personal data.
 *
 * @param pseudonyms row {@code r}'s pseudonym at {@code r}
 * @param features the kept fields, row {@code r} the same subject
 */
record Rows(String[] pseudonyms, Dataset features) {

  /** Checks that pseudonyms and features have the same rows. */
  Rows {
    Checks.check(pseudonyms.length == features.rowCount(),
        "%s pseudonyms for %s rows of features", pseudonyms.length, features.rowCount());
  }

  /** The number of rows. */
  int size() {
    return pseudonyms.length;
  }

  /**
   * Rows {@code kept} of these (indexes, ascending), their features replaced by
   * {@code features}, which must hold exactly those rows in that order (as an anonymizer
   * releases them).
   */
  Rows released(int[] kept, Dataset features) {
    String[] out = new String[kept.length];
    for (int i = 0; i < kept.length; i++) {
      out[i] = pseudonyms[kept[i]];
    }
    return new Rows(out, features);
  }
}
