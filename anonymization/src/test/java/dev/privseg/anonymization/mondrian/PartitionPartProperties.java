package dev.privseg.anonymization.mondrian;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.anonymization.model.PrivacyModel;
import dev.privseg.core.anonymize.AnonymizationFailedException;
import dev.privseg.core.anonymize.AnonymizedData;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.io.MapReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * An engine that makes Mondrian's first cut itself and partitions each side with
 * {@link Mondrian.Table#partitionPart} gets the whole table's partitions, with every model: the
 * same recoded values to the last bit (each partition's mean summed in the table's order) and,
 * through {@link Mondrian#released}, the same record. The table's check of a class from its
 * counts ({@link Mondrian.Table#broken}) agrees with the whole table's run.
 */
class PartitionPartProperties {
  private static final List<String> QIS = List.of("age", "income", "tenure");

  @Property(tries = 150)
  void partsPartitionedApartGiveTheWholeTablesPartitions(
      @ForAll("tables") List<Map<String, Object>> rows,
      @ForAll @IntRange(min = 2, max = 9) int k,
      @ForAll @IntRange(min = 0, max = 5) int model) {
    Dataset data = MapReader.read(rows, PartitioningProperties.SCHEMA);
    Mondrian mondrian = Mondrian.on("age", "income", "tenure").k(k);
    mondrian = switch (model) {
      case 1 -> mondrian.model(PrivacyModel.distinctLDiversity("segment", 2));
      case 2 -> mondrian.model(PrivacyModel.entropyLDiversity("segment", 1.8));
      case 3 -> mondrian.model(PrivacyModel.recursiveLDiversity("segment", 3, 2));
      case 4 -> mondrian.model(PrivacyModel.tCloseness("segment", 0.25));
      case 5 -> mondrian.model(PrivacyModel.tCloseness("segment", 0.2, List.of("c", "b", "a")))
          .model(PrivacyModel.distinctLDiversity("segment", 2));
      default -> mondrian;
    };
    int n = data.rowCount();
    // The segments first seen first, each with its rows.
    List<String> segments = new ArrayList<>();
    Map<String, Long> perSegment = new HashMap<>();
    for (Map<String, Object> row : rows) {
      String segment = (String) row.get("segment");
      if (perSegment.merge(segment, 1L, Long::sum) == 1) {
        segments.add(segment);
      }
    }
    List<Mondrian.SensitiveCounts> sensitive = mondrian.sensitiveFields().isEmpty() ? List.of()
        : List.of(Mondrian.SensitiveCounts.ofCategories("segment", segments,
            segments.stream().mapToLong(perSegment::get).toArray(), 0));
    Mondrian.Result whole;
    try {
      whole = mondrian.partition(data);
    } catch (AnonymizationFailedException e) {
      if (n >= k) {
        // The whole table breaks a model: the table's check names the same one.
        PrivacyModel broken = mondrian.table(new double[QIS.size()], sensitive)
            .broken(n, sensitive.isEmpty() ? new long[0][]
                : new long[][] {counts(segments, rows, range(n))})
            .orElseThrow();
        assertThat(e.getMessage()).contains(broken.criterion());
      }
      return;
    }
    double[][] values = new double[QIS.size()][n];
    double[] ranges = new double[QIS.size()];
    for (int q = 0; q < QIS.size(); q++) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (int r = 0; r < n; r++) {
        values[q][r] = ((NumberColumn) data.column(QIS.get(q))).asDouble(r);
        min = Math.min(min, values[q][r]);
        max = Math.max(max, values[q][r]);
      }
      ranges[q] = max - min;
    }
    Mondrian.Table table = mondrian.table(ranges, sensitive);
    // The first cut, as an engine makes it; then each side partitioned apart, the lower first.
    MondrianScheme scheme = whole.scheme();
    List<List<Integer>> parts = new ArrayList<>();
    if (scheme.dimension().get(0) < 0) {
      parts.add(range(n));
    } else {
      int dim = scheme.dimension().get(0);
      List<Integer> lower = new ArrayList<>();
      List<Integer> upper = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        (values[dim][r] <= scheme.cut().get(0) ? lower : upper).add(r);
      }
      parts.add(lower);
      parts.add(upper);
    }
    int[] leafOf = new int[n];
    int leaves = 0;
    for (List<Integer> part : parts) {
      assertThat(table.broken(part.size(), sensitive.isEmpty() ? new long[0][]
          : new long[][] {counts(segments, rows, part)})).as("a side of the cut").isEmpty();
      List<Map<String, Object>> partRows = new ArrayList<>();
      part.forEach(r -> partRows.add(rows.get(r)));
      int[] within = table.partitionPart(MapReader.read(partRows,
          PartitioningProperties.SCHEMA));
      int most = -1;
      for (int i = 0; i < part.size(); i++) {
        leafOf[part.get(i)] = leaves + within[i];
        most = Math.max(most, within[i]);
      }
      leaves += most + 1;
    }

    AnonymizedData released = whole.anonymized();
    assertThat(leaves).isEqualTo(released.summary().get("partitions"));
    double[][] sum = new double[leaves][QIS.size()];
    double[][] min = new double[leaves][QIS.size()];
    double[][] max = new double[leaves][QIS.size()];
    int[] size = new int[leaves];
    for (double[] m : min) {
      java.util.Arrays.fill(m, Double.POSITIVE_INFINITY);
    }
    for (double[] m : max) {
      java.util.Arrays.fill(m, Double.NEGATIVE_INFINITY);
    }
    for (int r = 0; r < n; r++) { // in the table's order
      size[leafOf[r]]++;
      for (int q = 0; q < QIS.size(); q++) {
        sum[leafOf[r]][q] += values[q][r];
        min[leafOf[r]][q] = Math.min(min[leafOf[r]][q], values[q][r]);
        max[leafOf[r]][q] = Math.max(max[leafOf[r]][q], values[q][r]);
      }
    }
    double penalty = 0;
    for (int leaf = 0; leaf < leaves; leaf++) {
      for (int q = 0; q < QIS.size(); q++) {
        if (ranges[q] > 0) {
          penalty += (max[leaf][q] - min[leaf][q]) / ranges[q] * size[leaf];
        }
      }
    }
    Map<List<Double>, Integer> before = new HashMap<>();
    Map<List<Double>, Integer> after = new HashMap<>();
    for (int r = 0; r < n; r++) {
      List<Double> original = new ArrayList<>();
      List<Double> recoded = new ArrayList<>();
      for (int q = 0; q < QIS.size(); q++) {
        double mean = sum[leafOf[r]][q] / size[leafOf[r]];
        assertThat(((NumberColumn) released.data().column(QIS.get(q))).asDouble(r))
            .as("row %s, %s", r, QIS.get(q)).isEqualTo(mean);
        original.add(values[q][r] + 0.0);
        recoded.add(mean + 0.0);
      }
      before.merge(original, 1, Integer::sum);
      after.merge(recoded, 1, Integer::sum);
    }
    Mondrian.Released record = mondrian.released(leaves, penalty,
        before.values().stream().mapToInt(Integer::intValue).toArray(),
        after.values().stream().mapToInt(Integer::intValue).toArray(), n, System.nanoTime());
    assertThat(withoutTime(record.summary())).isEqualTo(withoutTime(released.summary()));
    assertThat(record.guarantees()).isEqualTo(released.guarantees());
    assertThat(record.covered()).isEqualTo(released.coveredFields());
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<List<Map<String, Object>>> tables() {
    return new PartitioningProperties().tables();
  }

  /** The rows of {@code part} holding each segment. */
  private static long[] counts(List<String> segments, List<Map<String, Object>> rows,
      List<Integer> part) {
    long[] out = new long[segments.size()];
    part.forEach(r -> out[segments.indexOf((String) rows.get(r).get("segment"))]++);
    return out;
  }

  private static List<Integer> range(int n) {
    List<Integer> all = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      all.add(r);
    }
    return all;
  }

  private static Map<String, Object> withoutTime(Map<String, Object> summary) {
    Map<String, Object> out = new LinkedHashMap<>(summary);
    out.remove("searchMillis");
    return out;
  }
}
