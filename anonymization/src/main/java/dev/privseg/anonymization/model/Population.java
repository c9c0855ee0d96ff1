package dev.privseg.anonymization.model;

import dev.privseg.core.Checks;
import dev.privseg.core.dataset.Dataset;

/**
 * A population table for k-map and journalist risk: the individuals a sample was drawn from, with
 * the same quasi-identifier fields as the data (one row per individual or, with a weight field, one
 * row per combination with its number of individuals). Values are generalized with the same
 * hierarchies as the data.
 *
 * @param table the population rows
 * @param weightField the integer field holding each row's number of individuals, or {@code null}
 *     when every row is one individual
 */
public record Population(Dataset table, String weightField) {
  /** Checks the arguments. */
  public Population {
    Checks.notNull(table, "population table");
    if (weightField != null) {
      Checks.check(table.schema().contains(weightField),
          "population weight field '%s' is not in the population table", weightField);
    }
  }

  /** A population of one individual per row. */
  public static Population of(Dataset table) {
    return new Population(table, null);
  }

  @Override
  public String toString() {
    return "Population[" + table.rowCount() + " rows" + (weightField == null ? ""
        : ", weighted by '" + weightField + "'") + "]";
  }
}
