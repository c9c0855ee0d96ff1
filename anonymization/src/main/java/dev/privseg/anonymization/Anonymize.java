package dev.privseg.anonymization;

import dev.privseg.anonymization.microaggregation.Mdav;
import dev.privseg.anonymization.mondrian.Mondrian;
import dev.privseg.anonymization.search.GeneralizationAnonymizer;
import dev.privseg.core.Checks;
import java.util.function.Consumer;

/**
 * Entry point of the anonymization module: anonymizers to plug into a pipeline's anonymize stage:
 * optimal full-domain generalization (categorical and mixed data, hierarchies), Mondrian
 * (numeric-heavy data) and MDAV microaggregation (numeric data, values replaced by group means).
 *
 * <pre>{@code
 * Segmentation.forPurpose(purpose)
 *     ...
 *     .anonymize(Anonymize.generalization(a -> a
 *         .hierarchy(Hierarchy.intervals("age", 5, 10, 20))
 *         .hierarchy(Hierarchy.masking("postcode", 5))
 *         .kAnonymity(10).lDiversity("job", 2).suppressionLimit(0.01)))
 *     .segmentWith(KMeans.clusters(6).seed(42))
 * }</pre>
 */
public final class Anonymize {
  private Anonymize() {}

  /** Full-domain generalization with an optimal lattice search, configured by {@code config}. */
  public static GeneralizationAnonymizer generalization(
      Consumer<GeneralizationAnonymizer.Builder> config) {
    Checks.notNull(config, "generalization configuration");
    GeneralizationAnonymizer.Builder b = GeneralizationAnonymizer.builder();
    config.accept(b);
    return b.build();
  }

  /**
   * Mondrian multidimensional partitioning on numeric quasi-identifiers, e.g.
   * {@code Anonymize.mondrian(10, "age", "income")}.
   */
  public static Mondrian mondrian(int k, String... quasiIdentifiers) {
    return Mondrian.on(quasiIdentifiers).k(k);
  }

  /**
   * MDAV microaggregation of numeric quasi-identifiers, e.g.
   * {@code Anonymize.microaggregation(3, "age", "income")}.
   */
  public static Mdav microaggregation(int k, String... quasiIdentifiers) {
    return Mdav.on(quasiIdentifiers).k(k);
  }
}
