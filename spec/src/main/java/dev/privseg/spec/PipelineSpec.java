package dev.privseg.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.anonymization.model.PrivacyModel;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.core.Checks;
import dev.privseg.core.minimize.Coarsen;
import dev.privseg.core.minimize.Coarsening;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
   * @param coarsen rule per field: {@code {width: 10}}, {@code {edges: [..]}}, {@code {prefix: 3}},
   *     {@code {toMonth: true}}, {@code {toYear: true}}, {@code {topCode: x}}, {@code {bottomCode: x}}
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
   * One coarsening rule: its kind is the one key it sets (Jackson deduces the record from it), so
   * two rules for one field, or none, cannot be written.
   */
  @JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
  @JsonSubTypes({@JsonSubTypes.Type(WidthRule.class), @JsonSubTypes.Type(EdgesRule.class),
      @JsonSubTypes.Type(PrefixRule.class), @JsonSubTypes.Type(ToMonthRule.class),
      @JsonSubTypes.Type(ToYearRule.class), @JsonSubTypes.Type(TopCodeRule.class),
      @JsonSubTypes.Type(BottomCodeRule.class)})
  sealed interface CoarsenSpec permits WidthRule, EdgesRule, PrefixRule, ToMonthRule,
      ToYearRule, TopCodeRule, BottomCodeRule {
    /** The rule, its value checked; {@code field} names it in errors. */
    Coarsening coarsening(String field);
  }

  /** Bands of a fixed width. @param width the width */
  record WidthRule(Double width) implements CoarsenSpec {
    @Override
    public Coarsening coarsening(String field) {
      return Coarsen.bands(required(width, field, "width"));
    }
  }

  /** Bands between edges. @param edges the increasing edges */
  record EdgesRule(List<Double> edges) implements CoarsenSpec {
    @Override
    public Coarsening coarsening(String field) {
      return Coarsen.bands(required(edges, field, "edges").stream()
          .mapToDouble(Double::doubleValue).toArray());
    }
  }

  /** A prefix. @param prefix its length */
  record PrefixRule(Integer prefix) implements CoarsenSpec {
    @Override
    public Coarsening coarsening(String field) {
      return Coarsen.prefix(required(prefix, field, "prefix"));
    }
  }

  /** A date to its month. @param toMonth true */
  record ToMonthRule(Boolean toMonth) implements CoarsenSpec {
    @Override
    public Coarsening coarsening(String field) {
      flag(toMonth, field, "toMonth");
      return Coarsen.toMonth();
    }
  }

  /** A date to its year. @param toYear true */
  record ToYearRule(Boolean toYear) implements CoarsenSpec {
    @Override
    public Coarsening coarsening(String field) {
      flag(toYear, field, "toYear");
      return Coarsen.toYear();
    }
  }

  /** Top coding. @param topCode values above it become it */
  record TopCodeRule(Double topCode) implements CoarsenSpec {
    @Override
    public Coarsening coarsening(String field) {
      return Coarsen.topCode(required(topCode, field, "topCode"));
    }
  }

  /** Bottom coding. @param bottomCode values below it become it */
  record BottomCodeRule(Double bottomCode) implements CoarsenSpec {
    @Override
    public Coarsening coarsening(String field) {
      return Coarsen.bottomCode(required(bottomCode, field, "bottomCode"));
    }
  }

  /** {@code value} of coarsening option {@code option} of {@code field}, which must be set. */
  private static <T> T required(T value, String field, String option) {
    return Checks.notNull(value, "spec: minimize.coarsen." + field + "." + option);
  }

  /** A coarsening flag must be true: {@code false} would mean no rule at all. */
  private static void flag(Boolean value, String field, String option) {
    Checks.check(Boolean.TRUE.equals(value), "spec: minimize.coarsen.%s.%s must be true (to "
        + "coarsen nothing, leave the field out of coarsen)", field, option);
  }

  /**
   * Pseudonymization.
   *
   * @param field the subject identifier field
   * @param key where the key comes from
   */
  record PseudonymizeSpec(String field, KeySpec key) {}

  /**
   * Where the pseudonymization key comes from: the kind is the key it sets (Jackson deduces the
   * record from it), so two sources, or none, cannot be written.
   */
  @JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
  @JsonSubTypes({@JsonSubTypes.Type(EnvKey.class), @JsonSubTypes.Type(KeystoreKey.class),
      @JsonSubTypes.Type(EphemeralKey.class), @JsonSubTypes.Type(DirectoryKey.class)})
  sealed interface KeySpec permits EnvKey, KeystoreKey, EphemeralKey, DirectoryKey {
    /** The pseudonymizer this key source gives, from what the spec's reader holds. */
    Pseudonymizer pseudonymizer(KeyContext context);
  }

  /** What a key source needs from the spec's reader. */
  interface KeyContext {
    /** The environment variables keys and passwords are read from. */
    Map<String, String> environment();

    /** A path of the spec, resolved against the spec's directory. */
    Path resolve(String path);

    /** The spec's consent ledger, or null without one. */
    ConsentLedger ledger();
  }

  /** A Base64 key in an environment variable. @param env the variable */
  record EnvKey(String env) implements KeySpec {
    @Override
    public Pseudonymizer pseudonymizer(KeyContext context) {
      return Pseudonymizer.hmacSha256(KeyProvider.fromEnvironment(
          Checks.notNull(env, "spec: pseudonymize.key.env"), context.environment()));
    }
  }

  /**
   * A key in a PKCS#12 (or .jceks) key store.
   *
   * @param keystore the file, relative to the spec
   * @param alias the secret key's alias
   * @param passwordEnv the environment variable holding the key store's password
   */
  record KeystoreKey(String keystore, String alias, String passwordEnv) implements KeySpec {
    @Override
    public Pseudonymizer pseudonymizer(KeyContext context) {
      String file = Checks.notNull(keystore, "spec: pseudonymize.key.keystore");
      String variable = Checks.notNull(passwordEnv, "spec: pseudonymize.key.passwordEnv");
      String password = context.environment().get(variable);
      Checks.check(password != null, "environment variable %s (key store password) is not set",
          variable);
      return Pseudonymizer.hmacSha256(KeyProvider.fromKeyStore(context.resolve(file),
          password.toCharArray(), Checks.notNull(alias, "spec: pseudonymize.key.alias")));
    }
  }

  /**
   * A random key that lives only for the run (pseudonyms cannot be re-linked afterwards).
   *
   * @param ephemeral true
   */
  record EphemeralKey(Boolean ephemeral) implements KeySpec {
    @Override
    public Pseudonymizer pseudonymizer(KeyContext context) {
      Checks.check(Boolean.TRUE.equals(ephemeral), "spec: pseudonymize.key.ephemeral must be "
          + "true (or give another key source)");
      return Pseudonymizer.hmacSha256(KeyProvider.ephemeral());
    }
  }

  /**
   * The consent ledger's random per-subject pseudonyms, which erasure can forget.
   *
   * @param directory true
   */
  record DirectoryKey(Boolean directory) implements KeySpec {
    @Override
    public Pseudonymizer pseudonymizer(KeyContext context) {
      Checks.check(Boolean.TRUE.equals(directory), "spec: pseudonymize.key.directory must be "
          + "true (or give another key source)");
      Checks.check(context.ledger() != null,
          "spec: pseudonymize.key.directory needs lawfulBasis.ledger");
      return DirectoryPseudonymizer.of(context.ledger());
    }
  }

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
   * One hierarchy: its kind is the key it sets (Jackson deduces the record from it; a CSV file
   * may add its delimiter, ordinal categories their group sizes), so two kinds for one field, or
   * none, cannot be written.
   */
  @JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
  @JsonSubTypes({@JsonSubTypes.Type(IntervalsHierarchy.class),
      @JsonSubTypes.Type(MaskingHierarchy.class), @JsonSubTypes.Type(DatesHierarchy.class),
      @JsonSubTypes.Type(FlatHierarchy.class), @JsonSubTypes.Type(OrdinalHierarchy.class),
      @JsonSubTypes.Type(TaxonomyHierarchy.class), @JsonSubTypes.Type(CsvHierarchy.class)})
  sealed interface HierarchySpec permits IntervalsHierarchy, MaskingHierarchy, DatesHierarchy,
      FlatHierarchy, OrdinalHierarchy, TaxonomyHierarchy, CsvHierarchy {
    /** The hierarchy of {@code field}; {@code resolve} finds the files it names. */
    Hierarchy hierarchy(String field, Function<String, Path> resolve) throws IOException;
  }

  /** Intervals of growing width. @param intervals the widths, e.g. {@code [5, 10, 20]} */
  record IntervalsHierarchy(List<Double> intervals) implements HierarchySpec {
    @Override
    public Hierarchy hierarchy(String field, Function<String, Path> resolve) {
      return Hierarchy.intervals(field, Checks.notNull(intervals,
          "spec: anonymize.hierarchies." + field + ".intervals").stream()
          .mapToDouble(Double::doubleValue).toArray());
    }
  }

  /** Masking from the right. @param masking at most this many characters */
  record MaskingHierarchy(Integer masking) implements HierarchySpec {
    @Override
    public Hierarchy hierarchy(String field, Function<String, Path> resolve) {
      return Hierarchy.masking(field, Checks.notNull(masking,
          "spec: anonymize.hierarchies." + field + ".masking"));
    }
  }

  /** Day, month, quarter, year. @param dates true */
  record DatesHierarchy(Boolean dates) implements HierarchySpec {
    @Override
    public Hierarchy hierarchy(String field, Function<String, Path> resolve) {
      hierarchyFlag(dates, field, "dates");
      return Hierarchy.dates(field);
    }
  }

  /** The value, then {@code *}. @param flat true */
  record FlatHierarchy(Boolean flat) implements HierarchySpec {
    @Override
    public Hierarchy hierarchy(String field, Function<String, Path> resolve) {
      hierarchyFlag(flat, field, "flat");
      return Hierarchy.flat(field);
    }
  }

  /**
   * Ordered categories in groups.
   *
   * @param ordinal the categories in order
   * @param groups the group size at each level
   */
  record OrdinalHierarchy(List<String> ordinal, List<Integer> groups) implements HierarchySpec {
    @Override
    public Hierarchy hierarchy(String field, Function<String, Path> resolve) {
      return Hierarchy.ordinal(field, Checks.notNull(ordinal,
          "spec: anonymize.hierarchies." + field + ".ordinal"), groups == null ? new int[0]
          : groups.stream().mapToInt(Integer::intValue).toArray());
    }
  }

  /** A taxonomy. @param taxonomy paths from the root to each value, {@code /}-separated */
  record TaxonomyHierarchy(List<String> taxonomy) implements HierarchySpec {
    @Override
    public Hierarchy hierarchy(String field, Function<String, Path> resolve) {
      return Hierarchy.taxonomy(field, Checks.notNull(taxonomy,
          "spec: anonymize.hierarchies." + field + ".taxonomy"));
    }
  }

  /**
   * An ARX hierarchy file.
   *
   * @param csv the file, relative to the spec
   * @param delimiter its delimiter (default ';')
   */
  record CsvHierarchy(String csv, String delimiter) implements HierarchySpec {
    @Override
    public Hierarchy hierarchy(String field, Function<String, Path> resolve) throws IOException {
      String file = Checks.notNull(csv, "spec: anonymize.hierarchies." + field + ".csv");
      String d = delimiter == null ? ";" : delimiter;
      Checks.check(d.length() == 1, "spec: anonymize.hierarchies.%s.delimiter must be one "
          + "character", field);
      return Hierarchy.fromCsv(field, resolve.apply(file), d.charAt(0));
    }
  }

  /** A hierarchy flag must be true: {@code false} would mean no hierarchy at all. */
  private static void hierarchyFlag(Boolean value, String field, String option) {
    Checks.check(Boolean.TRUE.equals(value), "spec: anonymize.hierarchies.%s.%s must be true "
        + "(a quasi-identifier needs a hierarchy)", field, option);
  }

  /**
   * One privacy model, tagged by {@code type}; each type takes only its own options, so an option
   * that would be ignored (an {@code l} on k-anonymity) is refused when the spec is read.
   */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = KAnonymitySpec.class, name = KAnonymitySpec.TYPE),
      @JsonSubTypes.Type(value = LDiversitySpec.class, name = LDiversitySpec.TYPE),
      @JsonSubTypes.Type(value = TClosenessSpec.class, name = TClosenessSpec.TYPE)})
  sealed interface ModelSpec permits KAnonymitySpec, LDiversitySpec, TClosenessSpec {
    /** The model's type, as the spec names it. */
    String type();

    /** The model, its options checked. */
    PrivacyModel model();
  }

  /**
   * k-anonymity.
   *
   * @param k the smallest class
   */
  record KAnonymitySpec(Integer k) implements ModelSpec {
    static final String TYPE = "k-anonymity";

    @Override
    public PrivacyModel model() {
      return PrivacyModel.kAnonymity(Checks.notNull(k, "spec: k-anonymity needs k"));
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * l-diversity.
   *
   * @param field the sensitive field
   * @param l at least l distinct values, or an entropy of at least log l
   * @param variant {@code distinct} (default), {@code entropy} or {@code recursive}
   * @param c for recursive (c, l)-diversity
   */
  record LDiversitySpec(String field, Double l, String variant, Double c) implements ModelSpec {
    static final String TYPE = "l-diversity";

    @Override
    public PrivacyModel model() {
      String sensitive = Checks.notNull(field, "spec: l-diversity needs field");
      double atLeast = Checks.notNull(l, "spec: l-diversity needs l");
      String kind = variant == null ? "distinct" : variant;
      // Distinct and recursive l count values: l = 2.5 must not quietly become the weaker 2.
      Checks.check(kind.equals("entropy") || atLeast == Math.rint(atLeast),
          "spec: %s l-diversity needs a whole number l but was %s", kind, atLeast);
      Checks.check(c == null || kind.equals("recursive"),
          "spec: only recursive l-diversity takes c, not %s", kind);
      switch (kind) {
        case "distinct":
          return PrivacyModel.distinctLDiversity(sensitive, (int) atLeast);
        case "entropy":
          return PrivacyModel.entropyLDiversity(sensitive, atLeast);
        case "recursive":
          return PrivacyModel.recursiveLDiversity(sensitive,
              Checks.notNull(c, "spec: recursive l-diversity needs c"), (int) atLeast);
        default:
          throw new dev.privseg.core.ConfigurationException("spec: l-diversity variant must be "
              + "distinct, entropy or recursive but was '" + kind + "'");
      }
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * t-closeness.
   *
   * @param field the sensitive field
   * @param t the largest earth mover's distance to the table's distribution
   * @param order for an ordinal field, its categories in order
   */
  record TClosenessSpec(String field, Double t, List<String> order) implements ModelSpec {
    static final String TYPE = "t-closeness";

    @Override
    public PrivacyModel model() {
      String sensitive = Checks.notNull(field, "spec: t-closeness needs field");
      double distance = Checks.notNull(t, "spec: t-closeness needs t");
      return order == null ? PrivacyModel.tCloseness(sensitive, distance)
          : PrivacyModel.tCloseness(sensitive, distance, order);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

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
   */
  record SegmentationSpec(String algorithm, Integer k, Long seed, Integer maxIterations,
      ChooseKSpec chooseK, Integer stability, List<RuleSpec> rules, String otherwise,
      RfmSpec rfm, Integer miniBatch, Double tolerance, Boolean accelerated, String epsilon,
      Map<String, List<Double>> bounds, Double gamma) {}

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
