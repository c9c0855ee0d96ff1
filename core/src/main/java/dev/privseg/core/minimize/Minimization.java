package dev.privseg.core.minimize;

import dev.privseg.core.Checks;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Field-level minimization rules for one purpose (GDPR Art. 5(1)(c)). <b>Default deny</b>: only
 * the fields named in {@link #keep} reach segmentation; every other field is dropped, whether or
 * not {@link #dropEverythingElse()} is called (it exists to make the intent readable). The subject
 * field is handled by the pipeline: it survives only as a pseudonym.
 *
 * <pre>{@code
 * m -> m.keep("age", "region", "spend").dropEverythingElse()
 *       .coarsen("age", Coarsen.bands(10))
 *       .retainFor("last_order", Period.ofYears(3))
 * }</pre>
 *
 * <p>Used inside the pipeline builder; checks each call eagerly. Not thread-safe. The resulting
 * {@link MinimizationRules} are immutable.
 */
public final class Minimization {
  private final Set<String> keep = new LinkedHashSet<>();
  private final Set<String> drop = new LinkedHashSet<>();
  private final Map<String, Coarsening> coarsen = new LinkedHashMap<>();
  private final Set<String> special = new LinkedHashSet<>();
  private Retention retention;

  /** Starts empty rules; {@link #keep} must name at least one field before they are used. */
  public Minimization() {}

  /** Keeps these fields for the purpose. */
  public Minimization keep(String... fields) {
    for (String f : fields) {
      Checks.notBlank(f, "kept field");
      Checks.check(!drop.contains(f), "field '%s' cannot be both kept and dropped", f);
      Checks.check(keep.add(f), "field '%s' is kept twice", f);
    }
    return this;
  }

  /**
   * Keeps special-category fields (GDPR Art. 9: ethnic origin, health, beliefs ...). They are
   * used only for subjects whose explicit consent to the purpose the gate vouches for; for every
   * other subject their values are withheld (treated as missing) before segmentation, and the
   * report counts how many.
   */
  public Minimization keepSpecialCategory(String... fields) {
    keep(fields);
    special.addAll(java.util.Arrays.asList(fields));
    return this;
  }

  /** Drops these fields explicitly (they would be dropped anyway unless kept). */
  public Minimization drop(String... fields) {
    for (String f : fields) {
      Checks.notBlank(f, "dropped field");
      Checks.check(!keep.contains(f), "field '%s' cannot be both kept and dropped", f);
      drop.add(f);
    }
    return this;
  }

  /** States that every field not kept is dropped, which is always the case. */
  public Minimization dropEverythingElse() {
    return this;
  }

  /** Coarsens a kept field with {@code rule}; one rule per field. */
  public Minimization coarsen(String field, Coarsening rule) {
    Checks.notBlank(field, "coarsened field");
    Checks.notNull(rule, "coarsening rule for field '" + field + "'");
    Checks.check(keep.contains(field), "field '%s' must be kept before it can be coarsened", field);
    Checks.check(coarsen.putIfAbsent(field, rule) == null,
        "field '%s' already has a coarsening rule", field);
    return this;
  }

  /**
   * A retention limit (storage limitation, GDPR Art. 5(1)(e)): only rows whose {@code dateField}
   * (a DATE or TIMESTAMP, such as the last order) lies within {@code period} before the run's
   * instant are processed; older and undated rows are excluded before any later stage and
   * counted in the record. The date field need not be kept. One limit per purpose.
   */
  public Minimization retainFor(String dateField, java.time.Period period) {
    Checks.check(retention == null, "a retention limit is already set (on field '%s')",
        retention == null ? null : retention.field());
    retention = new Retention(dateField, period);
    return this;
  }

  /** Freezes these rules. */
  public MinimizationRules rules() {
    Checks.check(!keep.isEmpty(), "minimization must keep at least one field");
    return new MinimizationRules(List.copyOf(keep), List.copyOf(drop),
        Collections.unmodifiableMap(new LinkedHashMap<>(coarsen)), List.copyOf(special),
        java.util.Optional.ofNullable(retention));
  }
}
