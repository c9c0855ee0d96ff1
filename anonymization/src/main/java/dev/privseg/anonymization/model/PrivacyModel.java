package dev.privseg.anonymization.model;

import dev.privseg.core.Checks;
import java.io.Serializable;
import java.util.List;

/**
 * A privacy criterion on equivalence classes (rows equal on all quasi-identifiers). Models are
 * composed: every configured model must hold for every released class. Every anonymizer
 * (full-domain generalization, Mondrian, MDAV) accepts every model. Immutable values; create the
 * built-in ones with the static factories and pass them to the anonymizer.
 *
 * <p>A model checks itself: an anonymizer hands it each candidate class as an
 * {@link EquivalenceClass} and releases the class only if {@link #holds} says so. A new model is
 * one class implementing this interface. Its contract:
 *
 * <ul>
 *   <li><b>Monotone under merging</b>: if two classes each hold, their union holds. All models
 *       here are, and the anonymizers rely on it: the lattice search prunes by it, and Mondrian and
 *       MDAV may release two partitions whose recoded values coincide as one class.
 *   <li><b>Declared inputs</b>: a model that reads {@link EquivalenceClass#sensitive} names that
 *       field in {@link #sensitiveField()}; one that reads
 *       {@link EquivalenceClass#populationMatches()} returns its {@link #population()}.
 *   <li><b>Cheap and pure</b>: {@link #holds} runs for every class of every candidate the search
 *       visits; it allocates nothing, keeps no reference to the view, and depends on nothing else.
 * </ul>
 *
 * <p>The built-in models but k-map are {@link Serializable}, so that an engine can send them to
 * where the rows are held (privseg-spark's Mondrian checks them in its tasks); a model of one's
 * own that should run there implements it too.
 *
 * <p>With a suppression limit only {@link KAnonymity}, {@link DistinctLDiversity} and
 * {@link KMap} stay monotone (see {@link #monotoneWithSuppression()}); with the others the search
 * checks every node it cannot bound, so it stays optimal.
 */
public interface PrivacyModel {

  /** The criterion's name for reports and errors, e.g. {@code "5-anonymity"}. */
  String criterion();

  /**
   * Whether {@code c} may be released under this model.
   *
   * @param c the candidate class; valid only during this call
   */
  boolean holds(EquivalenceClass c);

  /**
   * The sensitive field the model reads through {@link EquivalenceClass#sensitive}, or
   * {@code null} (the default) for a model on class sizes only.
   */
  default String sensitiveField() {
    return null;
  }

  /**
   * For a categorical sensitive field measured by an ordered distance, its categories in order
   * (every category in the data must be listed); empty (the default) for the equal distance, and
   * for numeric fields, which are ordered by value.
   */
  default List<String> sensitiveOrder() {
    return List.of();
  }

  /**
   * The population table whose matches the model reads through
   * {@link EquivalenceClass#populationMatches()}, or {@code null} (the default) if it reads none.
   * At most one configured model may have one.
   */
  default Population population() {
    return null;
  }

  /**
   * Whether a class meeting the model still meets it after merging with a class that does not,
   * so that the share of rows to suppress can only fall as generalization rises. The default,
   * {@code false}, is always safe: the search then evaluates every node it cannot bound.
   */
  default boolean monotoneWithSuppression() {
    return false;
  }

  /** Every class has at least {@code k} rows (Sweeney 2002). */
  static PrivacyModel kAnonymity(int k) {
    return new KAnonymity(k);
  }

  /** Every class has at least {@code l} distinct values of {@code field}. */
  static PrivacyModel distinctLDiversity(String field, int l) {
    return new DistinctLDiversity(field, l);
  }

  /** The entropy of {@code field}'s values in every class is at least {@code log(l)}. */
  static PrivacyModel entropyLDiversity(String field, double l) {
    return new EntropyLDiversity(field, l);
  }

  /**
   * Recursive (c, l)-diversity (Machanavajjhala et al. 2007): in every class, the most frequent
   * value of {@code field} occurs fewer than {@code c} times the sum of the frequencies of the
   * l-th to the least frequent value.
   */
  static PrivacyModel recursiveLDiversity(String field, double c, int l) {
    return new RecursiveLDiversity(field, c, l);
  }

  /**
   * t-closeness (Li et al. 2007): the earth mover's distance between the distribution of
   * {@code field} in every class and in the whole table is at most {@code t}. Categorical fields use
   * the equal ground distance; numeric and integer fields the ordered distance over their sorted
   * distinct values.
   */
  static PrivacyModel tCloseness(String field, double t) {
    return new TCloseness(field, t, List.of());
  }

  /**
   * t-closeness with the ordered distance over the categories of {@code field} in the order
   * given (an ordinal field, e.g. education levels).
   */
  static PrivacyModel tCloseness(String field, double t, List<String> order) {
    Checks.check(!order.isEmpty(), "t-closeness of '%s': the category order is empty", field);
    return new TCloseness(field, t, order);
  }

  /**
   * k-map (Sweeney 2002; El Emam's population model): every class matches at least {@code k}
   * individuals of {@code population}, the population table the user supplies (same
   * quasi-identifier fields as the data, one row per individual, or weighted by
   * {@code population.weightField()}).
   */
  static PrivacyModel kMap(int k, Population population) {
    return new KMap(k, population);
  }

  /** k-anonymity. @param k the minimum class size, at least 2 */
  record KAnonymity(int k) implements PrivacyModel, Serializable {
    private static final long serialVersionUID = 1L;

    /** Checks {@code k}. */
    public KAnonymity {
      Checks.atLeast(k, 2, "k of k-anonymity");
    }

    @Override
    public boolean holds(EquivalenceClass cls) {
      return cls.size() >= k;
    }

    @Override
    public String criterion() {
      return k + "-anonymity";
    }

    @Override
    public boolean monotoneWithSuppression() {
      return true;
    }
  }

  /** Distinct l-diversity. @param field the sensitive field @param l at least 2 */
  record DistinctLDiversity(String field, int l) implements PrivacyModel, Serializable {
    private static final long serialVersionUID = 1L;

    /** Checks the arguments. */
    public DistinctLDiversity {
      Checks.notBlank(field, "sensitive field of l-diversity");
      Checks.atLeast(l, 2, "l of l-diversity");
    }

    @Override
    public boolean holds(EquivalenceClass cls) {
      return cls.sensitive(field).distinct() >= l;
    }

    @Override
    public String criterion() {
      return "distinct-" + l + "-diversity of '" + field + "'";
    }

    @Override
    public String sensitiveField() {
      return field;
    }

    @Override
    public boolean monotoneWithSuppression() {
      return true;
    }
  }

  /** Entropy l-diversity. @param field the sensitive field @param l greater than 1 */
  record EntropyLDiversity(String field, double l) implements PrivacyModel, Serializable {
    private static final long serialVersionUID = 1L;

    /** Checks the arguments. */
    public EntropyLDiversity {
      Checks.notBlank(field, "sensitive field of l-diversity");
      Checks.check(l > 1 && Double.isFinite(l), "l of entropy l-diversity must be > 1 but was %s",
          l);
    }

    @Override
    public boolean holds(EquivalenceClass cls) {
      return cls.sensitive(field).entropy() >= Math.log(l) - 1e-12;
    }

    @Override
    public String criterion() {
      return "entropy-" + l + "-diversity of '" + field + "'";
    }

    @Override
    public String sensitiveField() {
      return field;
    }

    @Override
    public boolean monotoneWithSuppression() {
      return false;
    }
  }

  /** Recursive (c, l)-diversity. @param field the sensitive field @param c positive @param l >= 2 */
  record RecursiveLDiversity(String field, double c, int l)
      implements PrivacyModel, Serializable {
    private static final long serialVersionUID = 1L;

    /** Checks the arguments. */
    public RecursiveLDiversity {
      Checks.notBlank(field, "sensitive field of l-diversity");
      Checks.check(c > 0 && Double.isFinite(c), "c of recursive (c,l)-diversity must be > 0");
      Checks.atLeast(l, 2, "l of recursive (c,l)-diversity");
    }

    @Override
    public boolean holds(EquivalenceClass cls) {
      SensitiveValues v = cls.sensitive(field);
      int m = v.distinct();
      if (m < l) {
        return false;
      }
      long tail = 0;
      for (int rank = l; rank <= m; rank++) {
        tail += v.frequency(rank);
      }
      return v.frequency(1) < c * tail;
    }

    @Override
    public String criterion() {
      return "recursive-(" + c + "," + l + ")-diversity of '" + field + "'";
    }

    @Override
    public String sensitiveField() {
      return field;
    }

    @Override
    public boolean monotoneWithSuppression() {
      return false;
    }
  }

  /**
   * t-closeness.
   *
   * @param field the sensitive field
   * @param t the largest distance allowed, in [0, 1]
   * @param order for an ordinal categorical field, its categories in order; empty otherwise
   */
  record TCloseness(String field, double t, List<String> order)
      implements PrivacyModel, Serializable {
    private static final long serialVersionUID = 1L;

    /** Checks the arguments. */
    public TCloseness {
      Checks.notBlank(field, "sensitive field of t-closeness");
      Checks.check(t >= 0 && t <= 1, "t of t-closeness must be in [0, 1] but was %s", t);
      order = List.copyOf(order);
    }

    @Override
    public boolean holds(EquivalenceClass cls) {
      return cls.sensitive(field).distanceToTable() <= t + 1e-12;
    }

    @Override
    public String criterion() {
      return t + "-closeness of '" + field + "'";
    }

    @Override
    public List<String> sensitiveOrder() {
      return order;
    }

    @Override
    public String sensitiveField() {
      return field;
    }

    @Override
    public boolean monotoneWithSuppression() {
      return false;
    }
  }

  /** k-map. @param k at least 2 @param population the population table */
  record KMap(int k, Population population) implements PrivacyModel {
    /** Checks the arguments. */
    public KMap {
      Checks.atLeast(k, 2, "k of k-map");
      Checks.notNull(population, "population of k-map");
    }

    @Override
    public boolean holds(EquivalenceClass cls) {
      return cls.populationMatches() >= k;
    }

    @Override
    public String criterion() {
      return k + "-map";
    }

    @Override
    public boolean monotoneWithSuppression() {
      return true;
    }
  }
}
