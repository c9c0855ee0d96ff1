package dev.privseg.core.minimize;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.PrivacyRole;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Frozen minimization rules: the fields kept for a purpose, the ones named as dropped, the
 * coarsening of kept fields, and an optional retention limit on rows. Immutable and thread-safe.
 *
 * @param keep fields kept, in order
 * @param explicitDrops fields the host named as dropped
 * @param coarsening rule per kept field
 * @param specialCategories kept fields of GDPR Art. 9 special categories, used only with
 *     explicit consent
 * @param retention the retention limit on rows, if any (applied by the pipeline, which knows
 *     the run's instant, before these field rules)
 */
public record MinimizationRules(List<String> keep, List<String> explicitDrops,
    Map<String, Coarsening> coarsening, List<String> specialCategories,
    java.util.Optional<Retention> retention) {

  /** Copies the collections. */
  public MinimizationRules {
    dev.privseg.core.Checks.notNull(retention, "retention (Optional.empty() for none)");
    keep = List.copyOf(keep);
    explicitDrops = List.copyOf(explicitDrops);
    specialCategories = List.copyOf(specialCategories);
    coarsening = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(coarsening));
  }

  /**
   * Applies the rules: the result holds {@code carried} (fields the pipeline needs for later
   * stages, such as the subject field on its way to pseudonymization) and the kept fields,
   * coarsened. Throws {@link ConfigurationException} naming the field if a kept field is missing,
   * is a direct identifier or a special category, or does not fit its coarsening rule.
   */
  public Outcome apply(Dataset input, List<String> carried) {
    for (String name : keep) {
      if (!input.schema().contains(name)) {
        throw new ConfigurationException("kept field '" + name + "' is not in the input schema "
            + input.schema().names());
      }
      Field f = input.schema().field(name);
      if (f.role() == PrivacyRole.DIRECT_IDENTIFIER) {
        throw new ConfigurationException("kept field '" + name + "' is a direct identifier: "
            + "pseudonymize it instead of keeping it raw");
      }
      if (f.role() == PrivacyRole.SPECIAL_CATEGORY && !specialCategories.contains(name)) {
        // GDPR Art. 9(1): needs explicit consent (Art. 9(2)(a)), which the gate must prove per
        // field; until a gate can, special-category data is never used for segmentation.
        throw new ConfigurationException("kept field '" + name + "' is a special category of "
            + "personal data (GDPR Art. 9): keep it with keepSpecialCategory, which uses it only "
            + "with explicit consent");
      }
    }
    for (String name : specialCategories) {
      if (input.schema().field(name).role() != PrivacyRole.SPECIAL_CATEGORY) {
        throw new ConfigurationException("field '" + name + "' is kept as a special category but "
            + "its role is " + input.schema().field(name).role());
      }
    }
    List<String> names = new ArrayList<>(carried);
    names.addAll(keep);
    Dataset out = input.project(names);
    for (Map.Entry<String, Coarsening> e : coarsening.entrySet()) {
      Column coarse = e.getValue().apply(out.column(e.getKey()));
      out = out.withColumn(coarse);
    }
    List<String> dropped = new ArrayList<>();
    for (String name : input.schema().names()) {
      if (!names.contains(name)) {
        dropped.add(name);
      }
    }
    Map<String, String> coarsened = new LinkedHashMap<>();
    coarsening.forEach((k, v) -> coarsened.put(k, v.description()));
    return new Outcome(out, List.copyOf(keep), dropped, coarsened);
  }

  /**
   * What minimization produced.
   *
   * @param dataset the minimized data
   * @param used fields kept for the purpose
   * @param dropped fields of the input that were dropped
   * @param coarsened rule description per coarsened field
   */
  public record Outcome(Dataset dataset, List<String> used, List<String> dropped,
      Map<String, String> coarsened) {}
}
