package dev.privseg.benchmarks;

import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.anonymization.search.GeneralizationAnonymizer;
import dev.privseg.anonymization.search.GeneralizationResult;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.spark.SparkGeneralization;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Timed harness for optimal k-anonymity on Spark in local mode: generated rows with 8
 * quasi-identifiers (1,512,000 possible combinations, drawn uniformly, so the number of classes
 * levels off as rows grow), 10-anonymity with at most 1% of rows suppressed, searched over a
 * lattice of 5,760 nodes. For each row count: the time of {@link SparkGeneralization} (count the
 * classes, search, write the labels and drop the suppressed rows, counted), the classes, the
 * node, and the driver's memory (heap retained by the result after a full GC, above the heap
 * before the run; the choice keeps the classes it was searched on) beside the peak heap (in
 * local mode the executors share the driver's heap). With {@code --local}, also the local engine
 * on the same rows, which must choose the same node. Run with Spark's flags:
 * {@code java <spark.jvm.flags> -Xmx20g -cp "benchmarks/target/benchmarks.jar:$(cat
 * benchmarks/target/spark-classpath.txt)" dev.privseg.benchmarks.SparkAnonymizationScale
 * [--local] 10000000 100000000}.
 */
public final class SparkAnonymizationScale {
  static final Schema SCHEMA = Schema.builder()
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("sex", FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER)
      .field("zip", FieldType.TEXT, PrivacyRole.QUASI_IDENTIFIER)
      .field("education", FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER)
      .field("marital", FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER)
      .field("race", FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER)
      .field("hours", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("children", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .build();
  static final StructType STRUCT = new StructType()
      .add("age", DataTypes.LongType)
      .add("sex", DataTypes.StringType)
      .add("zip", DataTypes.StringType)
      .add("education", DataTypes.StringType)
      .add("marital", DataTypes.StringType)
      .add("race", DataTypes.StringType)
      .add("hours", DataTypes.LongType)
      .add("children", DataTypes.LongType);
  private static final String[] SEX = {"F", "M"};
  private static final String[] ZIP = {"10115", "10117", "10178", "10245", "10247", "80331",
      "80333", "80335", "80469", "80538"};
  private static final String[] EDUCATION = {"primary", "secondary", "bachelor", "master",
      "doctorate", "none"};
  private static final String[] MARITAL = {"single", "married", "divorced", "widowed"};
  private static final String[] RACE = {"a", "b", "c", "d", "e"};

  private SparkAnonymizationScale() {}

  static GeneralizationAnonymizer anonymizer() {
    return GeneralizationAnonymizer.builder()
        .hierarchy(Hierarchy.intervals("age", 10, 20, 40))
        .hierarchy(Hierarchy.flat("sex"))
        .hierarchy(Hierarchy.masking("zip", 5))
        .hierarchy(Hierarchy.taxonomy("education", List.of("school/primary",
            "school/secondary", "college/bachelor", "college/master", "college/doctorate",
            "school/none")))
        .hierarchy(Hierarchy.flat("marital"))
        .hierarchy(Hierarchy.flat("race"))
        .hierarchy(Hierarchy.intervals("hours", 20, 40))
        .hierarchy(Hierarchy.flat("children"))
        .kAnonymity(10)
        .suppressionLimit(0.01)
        .build();
  }

  /** Row {@code i}'s values: the same for Spark and for the local engine. */
  static Object[] row(long i) {
    long h = mix(i);
    long g = mix(h);
    return new Object[] {
        18L + 2 * Math.floorMod(h, 35L),
        SEX[(int) Math.floorMod(h >>> 8, 2L)],
        ZIP[(int) Math.floorMod(h >>> 12, 10L)],
        EDUCATION[(int) Math.floorMod(h >>> 20, 6L)],
        MARITAL[(int) Math.floorMod(g, 4L)],
        RACE[(int) Math.floorMod(g >>> 8, 5L)],
        10L * (1 + Math.floorMod(g >>> 16, 6L)),
        Math.floorMod(g >>> 24, 3L)};
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Makes the rows of a range of row numbers. */
  static final class Generate implements MapPartitionsFunction<Long, Row> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Row> call(Iterator<Long> ids) {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return ids.hasNext();
        }

        @Override
        public Row next() {
          return RowFactory.create(row(ids.next()));
        }
      };
    }
  }

  /** Runs each row count given (default 10,000,000); {@code --local} also runs the local engine. */
  public static void main(String[] args) {
    boolean local = false;
    List<Long> counts = new ArrayList<>();
    for (String a : args) {
      if (a.equals("--local")) {
        local = true;
      } else {
        counts.add(Long.parseLong(a));
      }
    }
    if (counts.isEmpty()) {
      counts.add(10_000_000L);
    }
    int cores = Runtime.getRuntime().availableProcessors();
    SparkSession spark = LoopbackSpark.start("privseg-spark-anonymization-scale", cores, 8 * cores);
    try {
      for (long rows : counts) {
        Map<String, Integer> sparkLevels = runSpark(spark, rows, cores);
        if (local) {
          Map<String, Integer> localLevels = runLocal(rows);
          System.out.printf("  same node as the local engine: %s%n",
              localLevels.equals(sparkLevels));
        }
      }
    } finally {
      spark.stop();
    }
  }

  private static Map<String, Integer> runSpark(SparkSession spark, long rows, int cores) {
    org.apache.spark.sql.Dataset<Row> input = spark.range(0, rows, 1, 4 * cores)
        .mapPartitions(new Generate(), Encoders.row(STRUCT));
    long before = Heap.usedAfterGc();
    Heap.resetPeaks();
    long start = System.nanoTime();
    SparkGeneralization.Result result = SparkGeneralization.of(anonymizer(), SCHEMA)
        .apply(input);
    long released = result.released().count();
    double seconds = (System.nanoTime() - start) / 1e9;
    long peak = Heap.peak();
    long retained = Heap.usedAfterGc() - before;
    Map<String, Object> s = result.choice().summary();
    System.out.printf("spark %,d rows: %.1f s (search %s ms, %s nodes evaluated), classes "
        + "before %s, node %s, %,d released, %s suppressed, achieved %s; driver retains %,d MB, "
        + "peak heap %,d MB%n", rows, seconds, s.get("searchMillis"), s.get("nodesEvaluated"),
        result.choice().inputClasses(), result.choice().levels(), released, s.get("rowsSuppressed"),
        s.get("achieved"), retained >> 20, peak >> 20);
    return result.choice().levels();
  }

  private static Map<String, Integer> runLocal(long rows) {
    long start = System.nanoTime();
    DatasetBuilder b = Dataset.builder(SCHEMA);
    for (long i = 0; i < rows; i++) {
      Object[] values = row(i);
      b.addRow(s -> {
        for (int c = 0; c < values.length; c++) {
          s.setObject(c, values[c]);
        }
      });
    }
    Dataset data = b.build();
    double built = (System.nanoTime() - start) / 1e9;
    Heap.resetPeaks();
    start = System.nanoTime();
    GeneralizationResult result = anonymizer().apply(data);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("local %,d rows: %.1f s (rows built in %.1f s), node %s, %s suppressed, "
        + "peak heap %,d MB%n", rows, seconds, built, result.levels(), result.suppressedRows(),
        Heap.peak() >> 20);
    return result.levels();
  }
}
