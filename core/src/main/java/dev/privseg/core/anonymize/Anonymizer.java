package dev.privseg.core.anonymize;

import dev.privseg.core.dataset.Dataset;
import java.util.Map;

/**
 * The anonymize stage of a pipeline: turns minimized, pseudonymized rows into rows whose
 * quasi-identifiers meet a privacy model (k-anonymity, l-diversity, t-closeness, ...), by
 * generalization, suppression or microaggregation. Implemented in the {@code privseg-anonymization}
 * module; plugged into a pipeline with {@code SegmentationBuilder.anonymize(...)}.
 *
 * <p>Implementations are immutable and thread-safe. They fail with
 * {@link AnonymizationFailedException}, naming the criterion, when the model cannot be met within
 * their limits; they never release a row that does not meet it.
 */
public interface Anonymizer extends dev.privseg.core.Described {

  /**
   * Anonymizes {@code data} (the pipeline's kept fields; the subject identifier is not among them).
   *
   * @param data the rows to protect
   * @return the released rows, which rows of {@code data} they are, and what was achieved
   * @throws AnonymizationFailedException if the configured criteria cannot be met
   */
  AnonymizedData anonymize(Dataset data);

  /** A short name of the method, e.g. {@code "full-domain generalization"}. */
  @Override
  String description();

  /** The configured parameters (models, limits, metric), for the processing record. */
  @Override
  Map<String, Object> parameters();

  /**
   * The scheme {@code released} was made with (the transformation a search chose), in this
   * anonymizer's own saved form, so that later rows can be transformed the same way with
   * {@link #applyingSavedScheme}; empty for an anonymizer that cannot re-apply a scheme (the
   * default). A run keeps it in its {@code SegmentModel}.
   *
   * @param released what this anonymizer's {@link #anonymize} returned
   */
  default java.util.Optional<String> savedScheme(AnonymizedData released) {
    return java.util.Optional.empty();
  }

  /**
   * This anonymizer applying {@code scheme}, which {@link #savedScheme} gave, instead of choosing
   * one: each batch is transformed by the scheme and the privacy models are checked on it, and a
   * batch that breaks them fails with {@link AnonymizationFailedException} naming the criterion.
   *
   * @throws dev.privseg.core.ConfigurationException if this anonymizer cannot apply a saved
   *     scheme (the default), or {@code scheme} was made with another configuration (the message
   *     names what differs)
   */
  default Anonymizer applyingSavedScheme(String scheme) {
    throw new dev.privseg.core.ConfigurationException(description() + " cannot apply a saved "
        + "scheme; incremental assignment needs a run anonymized by full-domain generalization");
  }
}
