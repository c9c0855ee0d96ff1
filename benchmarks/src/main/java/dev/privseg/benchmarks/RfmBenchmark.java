package dev.privseg.benchmarks;

import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.segment.rfm.Rfm;
import dev.privseg.core.segment.rfm.RfmAggregation;
import java.time.Instant;
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
 * RFM on 10,000,000 transactions of 1,000,000 customers: aggregation to one row per customer,
 * then quintile scores and the standard named segments (issue 6 target: under 10 s).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class RfmBenchmark {
  static final Instant AS_OF = Instant.parse("2026-11-01T00:00:00Z");
  static final Schema TX = Schema.builder()
      .subjectId("customer")
      .field("at", FieldType.TIMESTAMP, PrivacyRole.OTHER)
      .field("amount", FieldType.NUMERIC, PrivacyRole.OTHER)
      .build();

  Dataset transactions;

  @Setup
  public void generate() {
    SplittableRandom r = new SplittableRandom(10);
    DatasetBuilder b = Dataset.builder(TX);
    long asOf = AS_OF.toEpochMilli();
    for (int i = 0; i < 10_000_000; i++) {
      b.setText(0, "C" + r.nextInt(1_000_000));
      b.setObject(1, Instant.ofEpochMilli(asOf - 86_400_000L * r.nextInt(730)));
      b.setNumber(2, 1 + r.nextInt(50_000) / 100.0);
      b.endRow();
    }
    transactions = b.build();
  }

  @Benchmark
  public SegmentationResult aggregateScoreAndSegment() {
    Dataset rfm = RfmAggregation.aggregate(transactions, "customer", "at", "amount", AS_OF);
    FeatureMatrix m = FeatureMatrix.encode(rfm, List.of("recency_days", "frequency", "monetary"));
    return Rfm.scores("recency_days", "frequency", "monetary").withStandardSegments()
        .fit(m, SegmentContext.of(Runnable::run, 1));
  }
}
