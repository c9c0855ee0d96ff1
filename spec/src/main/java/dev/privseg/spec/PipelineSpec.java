package dev.privseg.spec;

import java.util.List;
import java.util.Map;

/**
 * The YAML pipeline spec read by {@code privseg run}. Paths are relative to the spec file. See
 * {@code examples/specs/telco-churn.yaml} for a complete example.
 *
 * @param input where the data comes from
 * @param schema the inline schema (see {@code SchemaLoader}); or {@code schemaFile}
 * @param schemaFile a YAML or JSON schema file instead of {@code schema}
 * @param purpose the purpose of the run
 * @param lawfulBasis who may be processed
 * @param minimize the minimization rules
 * @param pseudonymize the subject identifier and its key
 * @param anonymize how quasi-identifiers are protected before segmentation (optional)
 * @param segmentation the algorithm
 * @param release the release policy
 * @param privacyBudget the differential-privacy budget DP k-means and DP profiles spend from
 */
record PipelineSpec(Input input, Map<String, Object> schema, String schemaFile, PurposeSpec purpose,
    LawfulBasisSpec lawfulBasis, MinimizeSpec minimize, PseudonymizeSpec pseudonymize,
    AnonymizeSpec anonymize, SegmentationSpec segmentation, ReleaseSpec release,
    BudgetSpec privacyBudget) {

  /**
   * A privacy budget.
   *
   * @param epsilon the total epsilon (a decimal, kept exact)
   * @param delta the total delta (default 0)
   * @param persistAs keep spends under this budget name in the consent database, so that they
   *     count across runs (needs {@code lawfulBasis.ledger}); without it the budget lives for one
   *     run
   */
  record BudgetSpec(String epsilon, String delta, String persistAs) {}

  /**
   * Input data: a CSV file, or a query against a database (a CRM's).
   *
   * @param path for {@code csv}: the data file
   * @param format {@code csv} (default) or {@code jdbc}
   * @param delimiter for {@code csv}: field separator, default ','
   * @param encoding for {@code csv}: the file's character set, default UTF-8
   * @param lenient skip and count bad rows instead of failing
   * @param url for {@code jdbc}: the JDBC URL (H2 and PostgreSQL drivers are bundled)
   * @param query for {@code jdbc}: the query; select only the columns the purpose needs
   * @param user for {@code jdbc}: the database user, if not in the URL
   * @param passwordEnv for {@code jdbc}: the environment variable holding the password
   */
  record Input(String path, String format, String delimiter, String encoding, Boolean lenient,
      String url, String query, String user, String passwordEnv) {}

  /**
   * The purpose.
   *
   * @param id purpose id
   * @param description plain-language description
   * @param lawfulBasis GDPR Art. 6(1) basis, e.g. CONSENT
   */
  record PurposeSpec(String id, String description, String lawfulBasis) {}

  /**
   * The gate: an allow-list file or a consent ledger, exactly one.
   *
   * @param allowedSubjects a text file with one allowed subject id per line ('#' starts a comment)
   * @param ledger the consent ledger to decide from
   */
  record LawfulBasisSpec(String allowedSubjects, LedgerSpec ledger) {}

  /**
   * A consent ledger and the policy of the run's purpose.
   *
   * @param db directory of the embedded H2 consent database (relative to the spec)
   * @param jdbc JDBC URL of a PostgreSQL consent database instead
   * @param keyEnv environment variable with the key subjects are keyed by (default PRIVSEG_KEY)
   * @param consentExpiryMonths consent lapses after this many months (optional)
   * @param directMarketing whether an objection is absolute (GDPR Art. 21(3))
   * @param optOutExcludes whether an opt-out of sale or sharing excludes the subject
   * @param keepRunsFor storage limitation for registered runs: after registering its own, a run
   *     forgets every run registered longer ago than this ISO-8601 period (e.g. {@code P90D})
   */
  record LedgerSpec(String db, String jdbc, String keyEnv, Integer consentExpiryMonths,
      Boolean directMarketing, Boolean optOutExcludes, String keepRunsFor) {}

  /**
   * Minimization.
   *
   * @param keep fields kept
   * @param drop fields dropped explicitly
   * @param coarsen one rule per field ({@link CoarsenSpec}), e.g. {@code {width: 10}}
   * @param retain a retention limit: {@code {field: last_order, period: P3Y}} processes only rows
   *     whose date field lies within the ISO-8601 period before the run
   * @param keepSpecialCategory special-category fields (GDPR Art. 9) kept too, used only for
   *     subjects whose explicit consent the lawful-basis gate vouches for (a consent ledger's
   *     {@code EXPLICIT_CONSENT_GIVEN}) and withheld for everyone else
   */
  record MinimizeSpec(List<String> keep, List<String> drop, Map<String, CoarsenSpec> coarsen,
      RetainSpec retain, List<String> keepSpecialCategory) {}

  /**
   * A retention limit.
   *
   * @param field the DATE or TIMESTAMP field that dates a row
   * @param period an ISO-8601 period, e.g. {@code P3Y} or {@code P18M}
   */
  record RetainSpec(String field, String period) {}

  /**
   * Pseudonymization.
   *
   * @param field the subject identifier field
   * @param key where the key comes from
   */
  record PseudonymizeSpec(String field, KeySpec key) {}

  /**
   * The anonymize stage.
   *
   * @param method {@code generalization} (default: full-domain generalization with an optimal
   *     lattice search), {@code mondrian} or {@code mdav} (numeric quasi-identifiers, k-anonymity)
   * @param quasiIdentifiers for mondrian and mdav: the numeric quasi-identifiers
   * @param hierarchies for generalization: one hierarchy per quasi-identifier kept
   * @param models the privacy models, all of which must hold
   * @param suppressionLimit the largest share of rows that may be suppressed (default 0)
   * @param metric the information-loss metric to minimize (default LOSS)
   * @param measureImpact also segment the released rows from their original values and record
   *     the adjusted Rand index and centroid shift between the two segmentations
   * @param populationSize for generalization: the size of the population the data was sampled
   *     from, to estimate population uniqueness (Zayatz's model) in the record
   */
  record AnonymizeSpec(String method, List<String> quasiIdentifiers,
      Map<String, HierarchySpec> hierarchies, List<ModelSpec> models,
      Double suppressionLimit, String metric, Boolean measureImpact, Long populationSize) {}

  /**
   * The segmenter.
   *
   * @param algorithm {@code kmeans} (default), {@code kprototypes}, {@code gmm}, {@code rules},
   *     {@code rfm} or {@code dpkmeans} (differentially private; needs {@code epsilon},
   *     {@code bounds} and a {@code privacyBudget})
   * @param k number of segments
   * @param seed random seed
   * @param maxIterations iteration limit
   * @param chooseK let k-means choose k instead of giving {@code k}
   * @param stability refits with other seeds to measure stability (0 = not measured)
   * @param rules for {@code rules}: named rules, first match wins
   * @param otherwise for {@code rules}: the default segment's name
   * @param rfm for {@code rfm}: the recency, frequency and monetary fields
   * @param miniBatch for {@code kmeans}: rows per mini-batch (Sculley 2010) instead of full passes
   * @param tolerance for {@code kmeans}: stop when inertia improves by less than this fraction
   *     (default 1e-4; 0 runs until no row changes segment)
   * @param accelerated for {@code kmeans}: Hamerly's bounds (default true; {@code false} saves
   *     two floats per row, same result)
   * @param epsilon for {@code dpkmeans}: the epsilon the centres spend
   * @param bounds for {@code dpkmeans}: {@code [min, max]} of every numeric feature
   * @param gamma for {@code kprototypes}: the weight of a categorical mismatch (default 0.5)
   * @param restarts for {@code kmeans}: fits from this many seeds, the least inertia kept
   *     (default 1)
   */
  record SegmentationSpec(String algorithm, Integer k, Long seed, Integer maxIterations,
      ChooseKSpec chooseK, Integer stability, List<RuleSpec> rules, String otherwise,
      RfmSpec rfm, Integer miniBatch, Double tolerance, Boolean accelerated, String epsilon,
      Map<String, List<Double>> bounds, Double gamma, Integer restarts) {}

  /**
   * One rule.
   *
   * @param name the segment's name
   * @param when the rule, e.g. {@code age < 30 and region in ('north', 'west')}
   */
  record RuleSpec(String name, String when) {}

  /**
   * RFM fields; segments are the standard named ones.
   *
   * @param recency recency in days
   * @param frequency number of purchases
   * @param monetary total amount
   */
  record RfmSpec(String recency, String frequency, String monetary) {}

  /**
   * Choosing k.
   *
   * @param min smallest k
   * @param max largest k
   * @param by {@code silhouette} or {@code elbow} (k-means; a Gaussian mixture uses BIC)
   */
  record ChooseKSpec(Integer min, Integer max, String by) {}

  /**
   * The release policy.
   *
   * @param minSegmentSize smallest segment whose profile is released
   * @param differentialPrivacy release DP profiles instead of exact ones
   */
  record ReleaseSpec(Integer minSegmentSize, DpReleaseSpec differentialPrivacy) {}

  /**
   * DP profiles.
   *
   * @param epsilon the epsilon each release spends from {@code privacyBudget}
   * @param bounds {@code [min, max]} of every numeric field (whole units)
   * @param quartiles buckets for noisy quartiles (omit: no quartiles)
   */
  record DpReleaseSpec(String epsilon, Map<String, List<Long>> bounds, Integer quartiles) {}
}
