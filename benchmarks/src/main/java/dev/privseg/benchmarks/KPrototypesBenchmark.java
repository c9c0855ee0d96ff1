package dev.privseg.benchmarks;

import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.internal.Parallel;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.segment.kprototypes.KPrototypes;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * k-prototypes on 1,000,000 mixed rows (5 numeric, 3 categorical fields), k = 8, to convergence
 * or 100 iterations (issue 6 target: under 10 s), on both cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class KPrototypesBenchmark {
  static final Schema SCHEMA = Schema.builder()
      .field("n0", FieldType.NUMERIC, PrivacyRole.OTHER)
      .field("n1", FieldType.NUMERIC, PrivacyRole.OTHER)
      .field("n2", FieldType.NUMERIC, PrivacyRole.OTHER)
      .field("n3", FieldType.NUMERIC, PrivacyRole.OTHER)
      .field("n4", FieldType.NUMERIC, PrivacyRole.OTHER)
      .categorical("c0", PrivacyRole.OTHER, "a", "b", "c", "d")
      .categorical("c1", PrivacyRole.OTHER, "x", "y", "z")
      .categorical("c2", PrivacyRole.OTHER, "p", "q", "r", "s", "t", "u")
      .build();

  Dataset data;
  FeatureMatrix features;

  @Setup
  public void generate() {
    SplittableRandom r = new SplittableRandom(8);
    DatasetBuilder b = Dataset.builder(SCHEMA);
    String[][] labels = {{"a", "b", "c", "d"}, {"x", "y", "z"}, {"p", "q", "r", "s", "t", "u"}};
    for (int i = 0; i < 1_000_000; i++) {
      int group = r.nextInt(8);
      for (int j = 0; j < 5; j++) {
        b.setNumber(j, group * (j + 1) + r.nextGaussian() * 2);
      }
      for (int j = 0; j < 3; j++) {
        String[] l = labels[j];
        b.setText(5 + j, r.nextInt(4) == 0 ? l[r.nextInt(l.length)] : l[group % l.length]);
      }
      b.endRow();
    }
    data = b.build();
    features = FeatureMatrix.encode(data, List.of("n0"));
  }

  @Benchmark
  public SegmentationResult kPrototypes() {
    return KPrototypes.clusters(8).seed(42).fit(features,
        SegmentContext.of(Parallel.defaultExecutor(), Runtime.getRuntime().availableProcessors()));
  }
}
