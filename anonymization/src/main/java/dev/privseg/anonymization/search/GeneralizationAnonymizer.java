package dev.privseg.anonymization.search;

import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.anonymization.internal.Models;
import dev.privseg.anonymization.model.Population;
import dev.privseg.anonymization.model.PrivacyModel;
import dev.privseg.anonymization.utility.LossMetric;
import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.anonymize.AnonymizationFailedException;
import dev.privseg.core.anonymize.AnonymizedData;
import dev.privseg.core.anonymize.Anonymizer;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.PrivacyRole;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Full-domain generalization with an optimal lattice search: every quasi-identifier (a field with
 * a {@link Hierarchy}) is generalized to one level of its hierarchy, the same for all rows; rows
 * whose class still breaks a model are suppressed, up to a limit; of all level combinations that
 * meet every model, the one with the least {@link LossMetric information loss} is chosen.
 *
 * <p>The search is exact. It visits nodes in the order of a data-independent lower bound of their
 * loss and stops when no unvisited node can do better; it uses the monotonicity of the models to
 * tag the finer nodes of a node that fails and the coarser nodes of one that holds without
 * counting them (predictive tagging, as in ARX's Flash); and it counts a node's classes by rolling
 * up the classes of a finer node already counted, with primitive hashing of packed codes.
 *
 * <pre>{@code
 * GeneralizationAnonymizer a = GeneralizationAnonymizer.builder()
 *     .hierarchy(Hierarchy.intervals("age", 5, 10, 20))
 *     .hierarchy(Hierarchy.masking("postcode", 5))
 *     .kAnonymity(10)
 *     .lDiversity("job", 2)
 *     .suppressionLimit(0.01)
 *     .build();
 * GeneralizationResult r = a.apply(customers);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class GeneralizationAnonymizer implements Anonymizer {
  private final List<Hierarchy> hierarchies;
  private final List<PrivacyModel> models;
  private final double suppressionLimit;
  private final LossMetric metric;
  private final double riskThreshold;
  private final Population population;
  private final long populationSize;
  private final java.util.concurrent.Executor executor;
  private final int parallelism;
  /** The levels of a saved scheme to apply without a search; null to search. */
  private final TransformationScheme scheme;

  private GeneralizationAnonymizer(Builder b) {
    this.hierarchies = List.copyOf(b.hierarchies.values());
    this.models = List.copyOf(b.models);
    this.suppressionLimit = b.suppressionLimit;
    this.metric = b.metric;
    this.riskThreshold = b.riskThreshold;
    this.population = b.population;
    this.populationSize = b.populationSize;
    this.executor = b.executor;
    this.parallelism = b.parallelism;
    this.scheme = null;
  }

  private GeneralizationAnonymizer(GeneralizationAnonymizer a, TransformationScheme scheme) {
    this.hierarchies = a.hierarchies;
    this.models = a.models;
    this.suppressionLimit = a.suppressionLimit;
    this.metric = a.metric;
    this.riskThreshold = a.riskThreshold;
    this.population = a.population;
    this.populationSize = a.populationSize;
    this.executor = a.executor;
    this.parallelism = a.parallelism;
    this.scheme = scheme;
  }

  /**
   * This anonymizer applying {@code scheme} instead of searching: every batch is generalized to
   * the scheme's levels, and the models are checked on it; a batch that breaks them within the
   * suppression limit fails with {@link AnonymizationFailedException} naming the criterion. The
   * scheme must have been made with the same hierarchies, models and suppression limit.
   *
   * @throws ConfigurationException naming what differs between the scheme and this anonymizer
   */
  public GeneralizationAnonymizer withScheme(TransformationScheme scheme) {
    Checks.notNull(scheme, "scheme");
    Map<String, String> mine = new LinkedHashMap<>();
    for (Hierarchy h : hierarchies) {
      mine.put(h.field(), h.toString());
    }
    Checks.check(mine.keySet().equals(scheme.hierarchies().keySet()),
        "the scheme's quasi-identifiers %s differ from this anonymizer's %s",
        scheme.hierarchies().keySet(), mine.keySet());
    for (Map.Entry<String, String> e : mine.entrySet()) {
      Checks.check(e.getValue().equals(scheme.hierarchies().get(e.getKey())),
          "the scheme's hierarchy of '%s' differs from this anonymizer's", e.getKey());
      Integer level = scheme.levels().get(e.getKey());
      Hierarchy h = hierarchies.stream().filter(x -> x.field().equals(e.getKey())).findFirst()
          .orElseThrow();
      Checks.check(level != null && level >= 0 && level < h.height(),
          "the scheme's level of '%s' must be in 0..%s", e.getKey(), h.height() - 1);
    }
    Checks.check(criteria().equals(scheme.models()),
        "the scheme's models %s differ from this anonymizer's %s", scheme.models(), criteria());
    Checks.check(scheme.suppressionLimit() == suppressionLimit,
        "the scheme's suppression limit %s differs from this anonymizer's %s",
        scheme.suppressionLimit(), suppressionLimit);
    return new GeneralizationAnonymizer(this, scheme);
  }

  /**
   * The scheme {@code released} was generalized by, as {@link TransformationScheme} JSON: the
   * levels its summary records under {@code transformation}, with this anonymizer's hierarchies,
   * models and suppression limit.
   */
  @Override
  public java.util.Optional<String> savedScheme(AnonymizedData released) {
    Checks.notNull(released, "released");
    if (scheme != null) {
      return java.util.Optional.of(scheme.toJson());
    }
    if (!(released.summary().get("transformation") instanceof Map<?, ?> chosen)) {
      return java.util.Optional.empty();
    }
    Map<String, Integer> levels = new LinkedHashMap<>();
    for (Hierarchy h : hierarchies) {
      if (!(chosen.get(h.field()) instanceof Integer level)) {
        return java.util.Optional.empty();
      }
      levels.put(h.field(), level);
    }
    return java.util.Optional.of(schemeOf(levels).toJson());
  }

  /** This anonymizer applying the {@link TransformationScheme} JSON {@code scheme}. */
  @Override
  public GeneralizationAnonymizer applyingSavedScheme(String scheme) {
    return withScheme(TransformationScheme.fromJson(scheme));
  }

  /** The size of the population the data was sampled from, or 0 if not given. */
  long populationSize() {
    return populationSize;
  }

  /** The scheme this anonymizer applies, if it applies one instead of searching. */
  public java.util.Optional<TransformationScheme> scheme() {
    return java.util.Optional.ofNullable(scheme);
  }

  private List<String> criteria() {
    List<String> out = new ArrayList<>();
    for (PrivacyModel m : models) {
      out.add(m.criterion());
    }
    return out;
  }

  /** The scheme of {@code levels}, as a search on this anonymizer's configuration chose them. */
  TransformationScheme schemeOf(Map<String, Integer> levels) {
    Map<String, String> hs = new LinkedHashMap<>();
    for (Hierarchy h : hierarchies) {
      hs.put(h.field(), h.toString());
    }
    return new TransformationScheme(TransformationScheme.FORMAT, description(), hs, levels,
        criteria(), suppressionLimit, metric.name());
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The quasi-identifiers, in the order of their hierarchies. */
  public List<String> quasiIdentifiers() {
    List<String> out = new ArrayList<>();
    for (Hierarchy h : hierarchies) {
      out.add(h.field());
    }
    return out;
  }

  /** The configured models. */
  public List<PrivacyModel> models() {
    return models;
  }

  /** The sensitive fields the models protect, each once, in the order the models name them. */
  public List<String> sensitiveFields() {
    return Models.sensitiveFields(models);
  }

  @Override
  public String description() {
    return scheme == null ? "full-domain generalization, optimal lattice search"
        : "full-domain generalization, saved scheme";
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("models", criteria());
    p.put("quasiIdentifiers", quasiIdentifiers());
    List<String> hs = new ArrayList<>();
    for (Hierarchy h : hierarchies) {
      hs.add(h.toString());
    }
    p.put("hierarchies", hs);
    p.put("suppressionLimit", suppressionLimit);
    p.put("metric", metric.name());
    if (scheme != null) {
      p.put("scheme", scheme.levels());
    }
    return p;
  }

  @Override
  public AnonymizedData anonymize(Dataset data) {
    return apply(data).anonymized();
  }

  /**
   * Searches for the optimal transformation of {@code data} and applies it.
   *
   * @throws AnonymizationFailedException naming the criteria no transformation meets within the
   *     suppression limit
   * @throws ConfigurationException if a field is missing, a quasi-identifier of the schema has no
   *     hierarchy, or a hierarchy does not cover a value
   */
  public GeneralizationResult apply(Dataset data) {
    long started = System.nanoTime();
    return new GeneralizationResult(choose(engine(data), started), data);
  }

  /**
   * Searches for the optimal transformation of the table whose classes are {@code table} (counted
   * where its rows are), or evaluates the saved scheme on them: the same choice, and the same
   * figures, as {@link #apply} makes on the rows, when the table gives values and classes in the
   * order of their first row. The caller applies it to the rows.
   *
   * @throws AnonymizationFailedException naming the criteria no transformation meets within the
   *     suppression limit
   * @throws ConfigurationException if the table's quasi-identifiers are not this anonymizer's
   *     (in its order), its sensitive fields not the models', or a hierarchy does not cover a
   *     value
   */
  public GeneralizationChoice search(ClassTable table) {
    long started = System.nanoTime();
    Checks.notNull(table, "table");
    Checks.check(table.quasiIdentifiers().equals(quasiIdentifiers()), "the table's "
        + "quasi-identifiers %s are not this anonymizer's %s, in this order",
        table.quasiIdentifiers(), quasiIdentifiers());
    List<String> sensitive = sensitiveFields();
    Checks.check(table.sensitiveFields().equals(sensitive), "the table counts sensitive fields "
        + "%s but the models protect %s, in this order", table.sensitiveFields(), sensitive);
    return choose(engine(new Encoding(table, null, hierarchies, models, metric, population())),
        started);
  }

  /** The search's choice, or the saved scheme's node when it holds. */
  private GeneralizationChoice choose(Engine engine, long started) {
    Engine.Eval chosen;
    if (scheme != null) {
      int[] levels = new int[hierarchies.size()];
      for (int q = 0; q < levels.length; q++) {
        levels[q] = scheme.levels().get(hierarchies.get(q).field());
      }
      int node = engine.node(levels);
      chosen = engine.evaluate(node);
      if (!chosen.anonymous) {
        throw new AnonymizationFailedException("this batch breaks "
            + String.join(" and ", engine.brokenCriteria(node))
            + " under the saved scheme " + scheme.levels() + ": " + chosen.suppressed + " rows "
            + "would need suppression, more than the limit of " + percent(suppressionLimit));
      }
    } else {
      chosen = engine.search();
      if (chosen == null) {
        throw new AnonymizationFailedException("no generalization of " + quasiIdentifiers()
            + " meets " + String.join(" and ", engine.brokenCriteria(engine.top()))
            + " with at most " + percent(suppressionLimit) + " of rows suppressed");
      }
    }
    return new GeneralizationChoice(this, engine, chosen, riskThreshold,
        (System.nanoTime() - started) / 1_000_000.0);
  }

  /**
   * The lattice of {@code data}: every transformation this anonymizer could choose, each of which
   * can be evaluated. For inspection and for checking the search.
   */
  public Lattice lattice(Dataset data) {
    return new Lattice(engine(data));
  }

  private Engine engine(Dataset data) {
    return engine(encoding(data));
  }

  private Engine engine(Encoding encoding) {
    Engine engine = new Engine(encoding, models, metric, suppressionLimit);
    engine.classes.parallel(executor, parallelism);
    return engine;
  }

  private Encoding encoding(Dataset data) {
    Checks.notNull(data, "data");
    for (Hierarchy h : hierarchies) {
      if (!data.schema().contains(h.field())) {
        throw new ConfigurationException("quasi-identifier '" + h.field()
            + "' has a hierarchy but is not in the data; in a pipeline, keep it in the minimize"
            + " stage");
      }
    }
    List<String> qis = quasiIdentifiers();
    for (Field f : data.schema().fields()) {
      if (f.role() == PrivacyRole.QUASI_IDENTIFIER && !qis.contains(f.name())) {
        throw new ConfigurationException("field '" + f.name() + "' is a quasi-identifier but "
            + "has no hierarchy; give it one (Hierarchy.flat keeps a value or suppresses it: "
            + "{flat: true} in a spec), or drop it in the minimize stage");
      }
    }
    Models.check(models, data, qis);
    Population p = population();
    if (p != null) {
      for (String q : qis) {
        Checks.check(p.table().schema().contains(q), "quasi-identifier '%s' is not in the "
            + "population table", q);
      }
    }
    return new Encoding(data, hierarchies, models, metric, p);
  }

  /** The population table: k-map's, or the one given for journalist risk; null if none. */
  Population population() {
    for (PrivacyModel m : models) {
      if (m.population() != null) {
        return m.population();
      }
    }
    return population;
  }

  static String percent(double share) {
    return String.format(java.util.Locale.ROOT, "%.2f%%", share * 100);
  }

  @Override
  public String toString() {
    return "GeneralizationAnonymizer" + parameters();
  }

  /** Configures a {@link GeneralizationAnonymizer}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Hierarchy> hierarchies = new LinkedHashMap<>();
    private final List<PrivacyModel> models = new ArrayList<>();
    private double suppressionLimit;
    private LossMetric metric = LossMetric.LOSS;
    private double riskThreshold = 0.2;
    private Population population;
    private long populationSize;
    private java.util.concurrent.Executor executor = java.util.concurrent.ForkJoinPool
        .commonPool();
    private int parallelism = Runtime.getRuntime().availableProcessors();

    private Builder() {}

    /**
     * Where large roll-ups (sources of 65,536 classes and more) run split over
     * {@code parallelism} threads; default the common fork-join pool and one thread per core.
     * Results do not depend on it. {@code parallelism} 1 keeps the search on the caller's thread.
     */
    public Builder executor(java.util.concurrent.Executor executor, int parallelism) {
      this.executor = Checks.notNull(executor, "executor");
      this.parallelism = Checks.atLeast(parallelism, 1, "parallelism");
      return this;
    }

    /**
     * k-map against {@code population}: every class matches at least {@code k} individuals of
     * the population table (generalized with the same hierarchies).
     */
    public Builder kMap(int k, Population population) {
      return model(PrivacyModel.kMap(k, population));
    }

    /**
     * A population table to report journalist risk against (k-map's, if configured, is used
     * otherwise).
     */
    public Builder population(Population population) {
      this.population = Checks.notNull(population, "population");
      return this;
    }

    /**
     * The size of the population the data was sampled from, for the estimate of population
     * uniqueness (Zayatz's model) in the record; at least the number of rows.
     */
    public Builder populationSize(long size) {
      Checks.check(size >= 1, "population size must be >= 1 but was %s", size);
      this.populationSize = size;
      return this;
    }

    /** Makes {@code hierarchy}'s field a quasi-identifier generalized with it. */
    public Builder hierarchy(Hierarchy hierarchy) {
      Checks.notNull(hierarchy, "hierarchy");
      Checks.check(hierarchies.put(hierarchy.field(), hierarchy) == null,
          "field '%s' has two hierarchies", hierarchy.field());
      return this;
    }

    /** Adds a privacy model; all added models must hold together. */
    public Builder model(PrivacyModel model) {
      models.add(Checks.notNull(model, "privacy model"));
      return this;
    }

    /** Every released row shares its quasi-identifiers with at least {@code k - 1} others. */
    public Builder kAnonymity(int k) {
      return model(PrivacyModel.kAnonymity(k));
    }

    /** Every class holds at least {@code l} distinct values of {@code sensitiveField}. */
    public Builder lDiversity(String sensitiveField, int l) {
      return model(PrivacyModel.distinctLDiversity(sensitiveField, l));
    }

    /** Entropy l-diversity of {@code sensitiveField}. */
    public Builder entropyLDiversity(String sensitiveField, double l) {
      return model(PrivacyModel.entropyLDiversity(sensitiveField, l));
    }

    /** Recursive (c, l)-diversity of {@code sensitiveField}. */
    public Builder recursiveLDiversity(String sensitiveField, double c, int l) {
      return model(PrivacyModel.recursiveLDiversity(sensitiveField, c, l));
    }

    /** t-closeness of {@code sensitiveField} (ordered distance for numeric fields). */
    public Builder tCloseness(String sensitiveField, double t) {
      return model(PrivacyModel.tCloseness(sensitiveField, t));
    }

    /** t-closeness of an ordinal {@code sensitiveField} with categories in {@code order}. */
    public Builder tCloseness(String sensitiveField, double t, List<String> order) {
      return model(PrivacyModel.tCloseness(sensitiveField, t, order));
    }

    /**
     * The largest share of rows that may be suppressed (removed) to meet the models, in [0, 1];
     * default 0.
     */
    public Builder suppressionLimit(double share) {
      Checks.check(share >= 0 && share <= 1, "suppression limit must be in [0, 1] but was %s",
          share);
      this.suppressionLimit = share;
      return this;
    }

    /** The information-loss metric to minimize; default {@link LossMetric#LOSS}. */
    public Builder metric(LossMetric metric) {
      this.metric = Checks.notNull(metric, "metric");
      return this;
    }

    /**
     * The re-identification risk above which a row counts as at risk in the record (default 0.2,
     * i.e. classes of fewer than 5 rows).
     */
    public Builder riskThreshold(double threshold) {
      Checks.check(threshold > 0 && threshold <= 1, "risk threshold must be in (0, 1] but was %s",
          threshold);
      this.riskThreshold = threshold;
      return this;
    }

    /** Checks that there is a quasi-identifier and a model, and builds. */
    public GeneralizationAnonymizer build() {
      Checks.check(!hierarchies.isEmpty(), "at least one quasi-identifier hierarchy is needed");
      Checks.check(!models.isEmpty(), "at least one privacy model is needed, e.g. kAnonymity(5)");
      long maps = models.stream().filter(m -> m.population() != null).count();
      Checks.check(maps <= 1, "at most one model with a population (k-map) can be configured");
      Checks.check(maps == 0 || population == null, "k-map brings its own population table; "
          + "do not also set population(...)");
      return new GeneralizationAnonymizer(this);
    }
  }
}
