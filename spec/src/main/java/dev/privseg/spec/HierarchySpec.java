package dev.privseg.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.core.Checks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * One hierarchy: its kind is the key it sets (Jackson deduces the record from it; a CSV file
 * may add its delimiter, ordinal categories their group sizes), so two kinds for one field, or
 * none, cannot be written.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
@JsonSubTypes({
    @JsonSubTypes.Type(value = HierarchySpec.IntervalsHierarchy.class),
    @JsonSubTypes.Type(value = HierarchySpec.MaskingHierarchy.class),
    @JsonSubTypes.Type(value = HierarchySpec.DatesHierarchy.class),
    @JsonSubTypes.Type(value = HierarchySpec.FlatHierarchy.class),
    @JsonSubTypes.Type(value = HierarchySpec.OrdinalHierarchy.class),
    @JsonSubTypes.Type(value = HierarchySpec.TaxonomyHierarchy.class),
    @JsonSubTypes.Type(value = HierarchySpec.CsvHierarchy.class)})
sealed interface HierarchySpec permits
    HierarchySpec.IntervalsHierarchy,
    HierarchySpec.MaskingHierarchy,
    HierarchySpec.DatesHierarchy,
    HierarchySpec.FlatHierarchy,
    HierarchySpec.OrdinalHierarchy,
    HierarchySpec.TaxonomyHierarchy,
    HierarchySpec.CsvHierarchy {
  /** The hierarchy of {@code field}; {@code resolve} finds the files it names. */
  Hierarchy hierarchy(String field, Function<String, Path> resolve) throws IOException;

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
}
