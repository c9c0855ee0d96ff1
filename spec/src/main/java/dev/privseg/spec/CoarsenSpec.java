package dev.privseg.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.privseg.core.Checks;
import dev.privseg.core.minimize.Coarsen;
import dev.privseg.core.minimize.Coarsening;
import java.util.List;

/**
 * One coarsening rule: its kind is the one key it sets (Jackson deduces the record from it), so
 * two rules for one field, or none, cannot be written.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
@JsonSubTypes({
    @JsonSubTypes.Type(value = CoarsenSpec.WidthRule.class),
    @JsonSubTypes.Type(value = CoarsenSpec.EdgesRule.class),
    @JsonSubTypes.Type(value = CoarsenSpec.PrefixRule.class),
    @JsonSubTypes.Type(value = CoarsenSpec.ToMonthRule.class),
    @JsonSubTypes.Type(value = CoarsenSpec.ToYearRule.class),
    @JsonSubTypes.Type(value = CoarsenSpec.TopCodeRule.class),
    @JsonSubTypes.Type(value = CoarsenSpec.BottomCodeRule.class)})
sealed interface CoarsenSpec permits
    CoarsenSpec.WidthRule,
    CoarsenSpec.EdgesRule,
    CoarsenSpec.PrefixRule,
    CoarsenSpec.ToMonthRule,
    CoarsenSpec.ToYearRule,
    CoarsenSpec.TopCodeRule,
    CoarsenSpec.BottomCodeRule {
  /** The rule, its value checked; {@code field} names it in errors. */
  Coarsening coarsening(String field);

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
}
