package dev.privseg.anonymization.internal;

import dev.privseg.anonymization.model.PrivacyModel;
import dev.privseg.core.Checks;
import dev.privseg.core.dataset.Dataset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** What every anonymizer does with its privacy models: checks, views, record entries. */
public final class Models {
  private Models() {}

  /**
   * Checks that each model's sensitive field is in {@code data} and is not a quasi-identifier,
   * and that at most one model brings a population.
   */
  public static void check(List<PrivacyModel> models, Dataset data, List<String> qis) {
    for (PrivacyModel m : models) {
      String s = m.sensitiveField();
      if (s != null) {
        Checks.check(data.schema().contains(s), "%s needs its sensitive field '%s', which is not in"
            + " the data; in a pipeline, keep it in the minimize stage", m.criterion(), s);
        Checks.check(!qis.contains(s), "field '%s' cannot be both a quasi-identifier and the "
            + "sensitive field of %s", s, m.criterion());
      }
    }
    Checks.check(models.stream().filter(m -> m.population() != null).count() <= 1,
        "at most one model with a population (k-map) can be configured");
  }

  /**
   * A view for checking classes of {@code data}'s rows against {@code models}: one histogram per
   * sensitive field, filled by row index.
   */
  public static ClassView view(List<PrivacyModel> models, Dataset data) {
    List<ClassHistogram> histograms = new ArrayList<>();
    for (String field : sensitiveFields(models)) {
      histograms.add(new ClassHistogram(SensitiveCodes.of(data.column(field), models)));
    }
    return new ClassView(models, histograms,
        models.stream().anyMatch(m -> m.population() != null));
  }

  /**
   * Whether the rows {@code rows[from, to)} form a class every model allows. Population matches
   * are taken as the class's own size: a lower bound for recoding anonymizers, whose released
   * values no population row is matched against.
   */
  public static boolean holds(ClassView view, int[] rows, int from, int to) {
    int size = to - from;
    if (!view.of(size, size).holdsOnSize()) {
      return false;
    }
    if (view.sensitiveFields() == 0) {
      return true;
    }
    for (int s = 0; s < view.sensitiveFields(); s++) {
      view.histogram(s).addRows(rows, from, to);
    }
    boolean holds = view.holdsOnValues();
    view.clear();
    return holds;
  }

  /** The first model that rows {@code rows[from, to)} break, or null if all hold. */
  public static PrivacyModel broken(List<PrivacyModel> models, ClassView view, int[] rows,
      int from, int to) {
    for (PrivacyModel m : models) {
      ClassView one = new ClassView(List.of(m), histogramsFor(view, m), m.population() != null);
      if (!holds(one, rows, from, to)) {
        return m;
      }
    }
    return null;
  }

  /**
   * The first model a class of {@code size} rows breaks, or null if all hold, with the class's
   * sensitive values already counted in {@code filled} (one histogram per sensitive field of the
   * models; left as they are). Population matches are taken as the class's own size.
   */
  public static PrivacyModel broken(List<PrivacyModel> models, List<ClassHistogram> filled,
      int size) {
    ClassView all = new ClassView(models, filled, false);
    for (PrivacyModel m : models) {
      ClassView one = new ClassView(List.of(m), histogramsFor(all, m), m.population() != null)
          .of(size, size);
      if (!one.holdsOnSize() || !one.holdsOnValues()) {
        return m;
      }
    }
    return null;
  }

  private static List<ClassHistogram> histogramsFor(ClassView view, PrivacyModel m) {
    List<ClassHistogram> out = new ArrayList<>();
    for (int s = 0; s < view.sensitiveFields(); s++) {
      if (view.histogram(s).field().equals(m.sensitiveField())) {
        out.add(view.histogram(s));
      }
    }
    return out;
  }

  /** The distinct sensitive fields of {@code models}, in order of first mention. */
  public static List<String> sensitiveFields(List<PrivacyModel> models) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (PrivacyModel m : models) {
      if (m.sensitiveField() != null) {
        out.add(m.sensitiveField());
      }
    }
    return List.copyOf(out);
  }

  /** The quasi-identifiers, then the sensitive fields the models protect. */
  public static List<String> covered(List<String> qis, List<PrivacyModel> models) {
    LinkedHashSet<String> out = new LinkedHashSet<>(qis);
    out.addAll(sensitiveFields(models));
    return List.copyOf(out);
  }

  /** {@code models} with {@code model} added at the end. */
  public static List<PrivacyModel> plus(List<PrivacyModel> models, PrivacyModel model) {
    Checks.notNull(model, "privacy model");
    List<PrivacyModel> more = new ArrayList<>(models);
    more.add(model);
    return List.copyOf(more);
  }

  /** k-anonymity with {@code k}, then {@code others} in order: a recoding anonymizer's models. */
  public static List<PrivacyModel> withK(int k, List<PrivacyModel> others) {
    List<PrivacyModel> all = new ArrayList<>();
    all.add(PrivacyModel.kAnonymity(k));
    all.addAll(others);
    return List.copyOf(all);
  }

  /** The models' criteria, for parameters and messages. */
  public static List<String> criteria(List<PrivacyModel> models) {
    return models.stream().map(PrivacyModel::criterion).toList();
  }
}
