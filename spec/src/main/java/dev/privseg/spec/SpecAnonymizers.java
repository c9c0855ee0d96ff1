package dev.privseg.spec;

import dev.privseg.anonymization.Anonymize;
import dev.privseg.anonymization.microaggregation.Mdav;
import dev.privseg.anonymization.mondrian.Mondrian;
import dev.privseg.anonymization.search.GeneralizationAnonymizer;
import dev.privseg.anonymization.utility.LossMetric;
import dev.privseg.core.Checks;
import dev.privseg.core.anonymize.Anonymizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The anonymizer a spec's {@code anonymize} section names: optimal generalization with its
 * hierarchies and privacy models, or Mondrian or MDAV microaggregation under k-anonymity and any
 * further models. Options that do not apply to the method are errors, naming the option.
 */
final class SpecAnonymizers {
  private SpecAnonymizers() {}

  /**
   * The anonymizer {@code a} describes; {@code resolve} finds the files it names (hierarchies as
   * CSV) relative to the spec.
   */
  static Anonymizer anonymizer(PipelineSpec.AnonymizeSpec a, Function<String, Path> resolve)
      throws IOException {
    String method = a.method() == null ? "generalization" : a.method();
    if (method.equals("mondrian") || method.equals("mdav")) {
      Checks.check(a.quasiIdentifiers() != null && !a.quasiIdentifiers().isEmpty(),
          "spec: anonymize.quasiIdentifiers is required for %s", method);
      List<String> generalizationOnly = new ArrayList<>();
      if (a.hierarchies() != null) {
        generalizationOnly.add("hierarchies");
      }
      if (a.suppressionLimit() != null) {
        generalizationOnly.add("suppressionLimit");
      }
      if (a.metric() != null) {
        generalizationOnly.add("metric");
      }
      if (a.populationSize() != null) {
        generalizationOnly.add("populationSize");
      }
      Checks.check(generalizationOnly.isEmpty(), "spec: anonymize.%s takes quasiIdentifiers and "
          + "models only; %s %s for generalization", method,
          String.join(", ", generalizationOnly), generalizationOnly.size() == 1 ? "is" : "are");
      List<ModelSpec> models = a.models() == null ? List.of() : a.models();
      List<ModelSpec.KAnonymitySpec> kModels = new ArrayList<>();
      for (ModelSpec m : models) {
        if (m instanceof ModelSpec.KAnonymitySpec k) {
          kModels.add(k);
        }
      }
      Checks.check(kModels.size() == 1, "spec: anonymize.%s needs one k-anonymity model, "
          + "{type: k-anonymity, k: ...}, and may add l-diversity and t-closeness models", method);
      kModels.get(0).model(); // checks its options and k
      int k = kModels.get(0).k();
      String[] qis = a.quasiIdentifiers().toArray(new String[0]);
      if (method.equals("mondrian")) {
        Mondrian mondrian = Anonymize.mondrian(k, qis);
        for (ModelSpec m : models) {
          mondrian = m == kModels.get(0) ? mondrian : mondrian.model(m.model());
        }
        return mondrian;
      }
      Mdav mdav = Anonymize.microaggregation(k, qis);
      for (ModelSpec m : models) {
        mdav = m == kModels.get(0) ? mdav : mdav.model(m.model());
      }
      return mdav;
    }
    Checks.check(method.equals("generalization"), "spec: anonymize.method must be "
        + "generalization, mondrian or mdav but was '%s'", method);
    Checks.check(a.quasiIdentifiers() == null, "spec: anonymize.quasiIdentifiers is for mondrian "
        + "and mdav; generalization takes its quasi-identifiers from hierarchies");
    GeneralizationAnonymizer.Builder b = GeneralizationAnonymizer.builder();
    Checks.check(a.hierarchies() != null && !a.hierarchies().isEmpty(),
        "spec: anonymize.hierarchies needs one hierarchy per quasi-identifier");
    for (Map.Entry<String, HierarchySpec> e : a.hierarchies().entrySet()) {
      b.hierarchy(Checks.notNull(e.getValue(), "spec: anonymize.hierarchies." + e.getKey())
          .hierarchy(e.getKey(), resolve));
    }
    Checks.check(a.models() != null && !a.models().isEmpty(),
        "spec: anonymize.models needs at least one model, e.g. {type: k-anonymity, k: 10}");
    for (ModelSpec m : a.models()) {
      b.model(m.model());
    }
    if (a.suppressionLimit() != null) {
      b.suppressionLimit(a.suppressionLimit());
    }
    if (a.populationSize() != null) {
      b.populationSize(a.populationSize());
    }
    if (a.metric() != null) {
      b.metric(SpecOptions.enumOf(LossMetric.class, a.metric().replace('-', '_'),
          "spec: anonymize.metric"));
    }
    return b.build();
  }
}
