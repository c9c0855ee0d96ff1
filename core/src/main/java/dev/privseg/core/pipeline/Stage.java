package dev.privseg.core.pipeline;

/** The stages of a run, in order. */
public enum Stage {
  /** Keeps only subjects with a lawful basis for the purpose. */
  LAWFUL_BASIS,
  /** Keeps only the fields the purpose needs, coarsened. */
  MINIMIZE,
  /** Replaces the subject identifier by a pseudonym. */
  PSEUDONYMIZE,
  /** Generalizes, suppresses or microaggregates quasi-identifiers (only if configured). */
  ANONYMIZE,
  /** Encodes features and assigns segments. */
  SEGMENT,
  /** Builds assignments and profiles, suppressing small segments. */
  RELEASE,
  /** Writes the processing record. */
  REPORT
}
