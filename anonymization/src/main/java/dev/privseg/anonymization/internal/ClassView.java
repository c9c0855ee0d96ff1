package dev.privseg.anonymization.internal;

import dev.privseg.anonymization.model.EquivalenceClass;
import dev.privseg.anonymization.model.PrivacyModel;
import dev.privseg.anonymization.model.SensitiveValues;
import java.util.List;

/**
 * The one reusable {@link EquivalenceClass} an anonymizer shows its models: set the size (and the
 * population matches, and fill the histograms) of a class, then ask {@link #holds}. Not
 * thread-safe: one view per thread.
 */
public final class ClassView implements EquivalenceClass {
  private final PrivacyModel[] onSize;
  private final PrivacyModel[] onValues;
  private final ClassHistogram[] histograms;
  private final boolean hasPopulation;
  private int size;
  private long population;

  /**
   * A view for {@code models}, with one histogram per sensitive field (in the order of
   * {@code histograms}); {@code hasPopulation} says whether population matches will be set.
   */
  public ClassView(List<PrivacyModel> models, List<ClassHistogram> histograms,
      boolean hasPopulation) {
    this.onSize = models.stream().filter(m -> m.sensitiveField() == null)
        .toArray(PrivacyModel[]::new);
    this.onValues = models.stream().filter(m -> m.sensitiveField() != null)
        .toArray(PrivacyModel[]::new);
    this.histograms = histograms.toArray(new ClassHistogram[0]);
    this.hasPopulation = hasPopulation;
  }

  /** The histogram of the {@code s}-th sensitive field, to fill before {@link #holds}. */
  public ClassHistogram histogram(int s) {
    return histograms[s];
  }

  /** How many sensitive fields the models read. */
  public int sensitiveFields() {
    return histograms.length;
  }

  /** Sets the class's size and population matches (ignored without a population model). */
  public ClassView of(int size, long populationMatches) {
    this.size = size;
    this.population = populationMatches;
    return this;
  }

  /** Empties every histogram. */
  public void clear() {
    for (ClassHistogram h : histograms) {
      h.clear();
    }
  }

  /** Whether every model without a sensitive field holds (the histograms may be empty). */
  public boolean holdsOnSize() {
    return all(onSize);
  }

  /** Whether every model with a sensitive field holds (fill the histograms first). */
  public boolean holdsOnValues() {
    return all(onValues);
  }

  private boolean all(PrivacyModel[] models) {
    for (PrivacyModel m : models) {
      if (!m.holds(this)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public long populationMatches() {
    if (!hasPopulation) {
      throw new IllegalStateException("no configured privacy model declared a population; a "
          + "model that reads population matches must return it from population()");
    }
    return population;
  }

  @Override
  public SensitiveValues sensitive(String field) {
    for (ClassHistogram h : histograms) {
      if (h.field().equals(field)) {
        return h;
      }
    }
    throw new IllegalArgumentException("no configured privacy model declared '" + field
        + "' as its sensitive field; a model that reads a field must return it from "
        + "sensitiveField()");
  }
}
