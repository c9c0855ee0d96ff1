package dev.privseg.spark;

import dev.privseg.anonymization.dp.DpProfiles;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.release.ExactFigures;
import dev.privseg.core.release.ProfileMechanism;
import dev.privseg.core.release.Profiles;
import dev.privseg.core.release.ReleasePolicy;
import dev.privseg.core.release.SegmentProfile;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.Chunk;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * The release stage's exact profiles on Spark, from aggregates computed on the executors and
 * turned into figures by the local mechanism's own functions ({@link ExactFigures}): segment
 * sizes, each numeric field's present count and sum (added in row order within each chunk, and
 * over chunks in order on the driver), each categorical field's counts per label, and, for the
 * quartiles, the values at the needed positions among each segment's values in ascending order
 * (found by exact selection, without a sort). The profiles are the local run's, to the last bit.
 * Differentially private profiles ({@link DpProfiles}) are counted on the executors and noised on
 * the driver, never in a task (which Spark may run twice).
 */
final class SparkProfiles {
  private SparkProfiles() {}

  /**
   * The profiles of the encoded rows' {@code used} fields (described by {@code schema}) over
   * {@code segments} segments, each row's segment left in {@code fitted}'s chunks by a fit (the
   * same rows in the same chunks): exact, or differentially private ({@link DpProfiles}: the
   * counts made on the executors, the noise drawn and the budget spent here, on the driver).
   *
   * @throws ConfigurationException if the policy's mechanism is another one
   */
  static Profiles release(SparkFeatures.Encoded encoded, SparkRows fitted, Schema schema,
      List<String> used, Map<String, List<String>> dictionaries, int segments,
      ReleasePolicy policy) {
    JavaRDD<Tuple2<ValueChunk, Chunk>> paired = encoded.values().zipPartitions(
        fitted.chunkRdd(), (values, chunks) -> {
          List<Tuple2<ValueChunk, Chunk>> out = new ArrayList<>();
          while (values.hasNext()) {
            out.add(new Tuple2<>(values.next(), chunks.next()));
          }
          return out.iterator();
        });
    if (policy.mechanism() instanceof DpProfiles dp) {
      return noisy(dp, paired, schema, used, dictionaries, segments, policy);
    }
    if (policy.mechanism() != ProfileMechanism.exact()) {
      throw new ConfigurationException("profiles by " + policy.mechanism().description()
          + " are not made on Spark; release exact or DpProfiles profiles, or run on the local "
          + "engine");
    }
    return exact(paired, schema, used, dictionaries, segments, policy);
  }

  /**
   * Differentially private profiles: each chunk's exact counts made on the executors, added on
   * the driver (integers: in any order), then released with noise by the mechanism itself.
   */
  private static Profiles noisy(DpProfiles dp, JavaRDD<Tuple2<ValueChunk, Chunk>> paired,
      Schema schema, List<String> used, Map<String, List<String>> dictionaries, int segments,
      ReleasePolicy policy) {
    DpProfiles.Counts total = dp.counts(SparkSegmentation.project(schema, used), dictionaries,
        segments);
    DpProfiles.Counts shape = total.part();
    int[] numbers = total.numericFields().stream().mapToInt(used::indexOf).toArray();
    int[] categories = total.categoricalFields().stream().mapToInt(used::indexOf).toArray();
    for (DpProfiles.Counts part : SparkErrors.action(paired.map(p -> {
      DpProfiles.Counts counts = shape.part();
      ValueChunk rows = p._1();
      Chunk chunk = p._2();
      for (int r = 0; r < rows.rows; r++) {
        int s = chunk.label(r);
        counts.member(s);
        for (int f = 0; f < numbers.length; f++) {
          if (!rows.isNull(numbers[f], r)) {
            counts.number(f, s, rows.number(numbers[f], r));
          }
        }
        for (int c = 0; c < categories.length; c++) {
          counts.category(c, s, rows.code(categories[c], r));
        }
      }
      return counts;
    })::collect)) {
      total.add(part);
    }
    return dp.release(total, policy);
  }

  /** Exact profiles, from the chunks' aggregates. */
  private static Profiles exact(JavaRDD<Tuple2<ValueChunk, Chunk>> paired, Schema schema,
      List<String> used, Map<String, List<String>> dictionaries, int segments,
      ReleasePolicy policy) {
    Layout layout = new Layout(schema, used, dictionaries, segments);
    List<Aggregates> parts = new ArrayList<>(SparkErrors.action(
        paired.map(layout::aggregate)::collect));
    parts.sort(java.util.Comparator.comparingInt(a -> a.chunk));
    Aggregates total = layout.empty(-1);
    for (Aggregates a : parts) {
      total.add(a);
    }
    int min = policy.minSegmentSize();
    double[][] quartileValues = quartiles(paired, layout, total.present, min, segments);
    List<SegmentProfile> released = new ArrayList<>();
    List<Integer> suppressed = new ArrayList<>();
    for (int s = 0; s < segments; s++) {
      if (total.sizes[s] < min) {
        suppressed.add(s);
        continue;
      }
      List<SegmentProfile.NumericSummary> numeric = new ArrayList<>();
      List<SegmentProfile.CategoryShares> categorical = new ArrayList<>();
      int n = 0;
      int c = 0;
      for (String field : used) {
        if (layout.isNumeric(field)) {
          numeric.add(ExactFigures.numeric(field, (int) total.present[n][s], total.sums[n][s],
              quartileValues[n * segments + s], min));
          n++;
        } else {
          List<String> dictionary = dictionaries.get(field);
          long[] counts = java.util.Arrays.copyOf(total.counts[c][s], dictionary.size());
          categorical.add(ExactFigures.categorical(field, dictionary, counts,
              total.counts[c][s][dictionary.size()], total.sizes[s], min));
          c++;
        }
      }
      released.add(new SegmentProfile(s, (int) total.sizes[s], numeric, categorical));
    }
    return new Profiles(released, suppressed, min);
  }

  /**
   * Per numeric field {@code f} and segment {@code s}, as entry {@code f * segments + s}, the
   * values its quartiles need (null where the field is not summarized), by exact selection on
   * the executors ({@link OrderStatistics}): all fields in the same few passes over the chunks.
   */
  private static double[][] quartiles(JavaRDD<Tuple2<ValueChunk, Chunk>> paired, Layout layout,
      long[][] present, int min, int segments) {
    int fields = layout.numeric.size();
    int[] columns = new int[fields];
    long[] sizes = new long[fields * segments];
    long[][] positions = new long[fields * segments][];
    for (int f = 0; f < fields; f++) {
      columns[f] = layout.positions.get(layout.numeric.get(f));
      for (int s = 0; s < segments; s++) {
        sizes[f * segments + s] = present[f][s];
        if (present[f][s] > 0 && present[f][s] >= min) {
          positions[f * segments + s] = ExactFigures.quartilePositions(present[f][s]);
        }
      }
    }
    return OrderStatistics.select(paired, (p, sink) -> {
      ValueChunk rows = p._1();
      Chunk chunk = p._2();
      for (int f = 0; f < columns.length; f++) {
        for (int r = 0; r < rows.rows; r++) {
          if (!rows.isNull(columns[f], r)) {
            sink.accept(f * segments + chunk.label(r), rows.number(columns[f], r));
          }
        }
      }
    }, sizes, positions, OrderStatistics.FETCH_BELOW);
  }

  /** Where each used field is in a row and in the aggregates; sent to the executors. */
  static final class Layout implements Serializable {
    private static final long serialVersionUID = 1L;
    final List<String> numeric = new ArrayList<>();
    final List<String> categorical = new ArrayList<>();
    /** Per used field: its column in a row. */
    final Map<String, Integer> positions = new HashMap<>();
    /** Per categorical field: the size of its dictionary. */
    final Map<String, Integer> labels = new HashMap<>();
    final int segments;

    Layout(Schema schema, List<String> used, Map<String, List<String>> dictionaries,
        int segments) {
      this.segments = segments;
      for (int i = 0; i < used.size(); i++) {
        String f = used.get(i);
        positions.put(f, i);
        if (schema.field(f).type() == FieldType.CATEGORICAL) {
          categorical.add(f);
          labels.put(f, dictionaries.get(f).size());
        } else {
          numeric.add(f);
        }
      }
    }

    boolean isNumeric(String field) {
      return numeric.contains(field);
    }

    Aggregates empty(int chunk) {
      Aggregates a = new Aggregates(chunk, segments, numeric.size(), categorical.size());
      for (int c = 0; c < categorical.size(); c++) {
        a.counts[c] = new long[segments][labels.get(categorical.get(c)) + 1];
      }
      return a;
    }

    /** One chunk's aggregates: its rows in row order, with the segments the fit gave them. */
    Aggregates aggregate(Tuple2<ValueChunk, Chunk> pair) {
      ValueChunk rows = pair._1();
      Chunk chunk = pair._2();
      Aggregates a = empty(chunk.index());
      int[] numberColumns = numeric.stream().mapToInt(positions::get).toArray();
      int[] categoryColumns = categorical.stream().mapToInt(positions::get).toArray();
      for (int r = 0; r < rows.rows; r++) {
        int s = chunk.label(r);
        a.sizes[s]++;
        for (int f = 0; f < numberColumns.length; f++) {
          if (!rows.isNull(numberColumns[f], r)) {
            a.present[f][s]++;
            a.sums[f][s] += rows.number(numberColumns[f], r);
          }
        }
        for (int c = 0; c < categoryColumns.length; c++) {
          long[] counts = a.counts[c][s];
          int code = rows.code(categoryColumns[c], r);
          counts[code < 0 ? counts.length - 1 : code]++;
        }
      }
      return a;
    }
  }

  /** Aggregates of a chunk (or, added in chunk order, of all rows), per segment. */
  static final class Aggregates implements Serializable {
    private static final long serialVersionUID = 1L;
    final int chunk;
    final long[] sizes;
    final long[][] present;
    final double[][] sums;
    /** Per categorical field, per segment: members per label, then those without a value. */
    final long[][][] counts;

    Aggregates(int chunk, int segments, int numeric, int categorical) {
      this.chunk = chunk;
      this.sizes = new long[segments];
      this.present = new long[numeric][segments];
      this.sums = new double[numeric][segments];
      this.counts = new long[categorical][][];
    }

    /** Adds {@code o}'s counts and sums to these (sums in the order chunks are added). */
    void add(Aggregates o) {
      for (int s = 0; s < sizes.length; s++) {
        sizes[s] += o.sizes[s];
      }
      for (int f = 0; f < present.length; f++) {
        for (int s = 0; s < sizes.length; s++) {
          present[f][s] += o.present[f][s];
          sums[f][s] += o.sums[f][s];
        }
      }
      for (int c = 0; c < counts.length; c++) {
        for (int s = 0; s < sizes.length; s++) {
          for (int l = 0; l < counts[c][s].length; l++) {
            counts[c][s][l] += o.counts[c][s][l];
          }
        }
      }
    }
  }
}
