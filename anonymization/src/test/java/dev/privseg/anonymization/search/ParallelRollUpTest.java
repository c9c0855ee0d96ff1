package dev.privseg.anonymization.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.io.CsvWriter;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.io.IOException;
import java.io.StringWriter;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Roll-ups of large sources split over threads give exactly the serial result. */
class ParallelRollUpTest {
  static final Schema SCHEMA = Schema.builder()
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("zip", FieldType.TEXT, PrivacyRole.QUASI_IDENTIFIER)
      .field("spend", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .build();

  static Dataset data() {
    SplittableRandom r = new SplittableRandom(3);
    DatasetBuilder b = Dataset.builder(SCHEMA);
    for (int i = 0; i < 150_000; i++) {
      b.setNumber(0, 18 + r.nextInt(70));
      b.setText(1, Integer.toString(10_000 + r.nextInt(90_000)));
      b.setNumber(2, r.nextInt(5_000));
      b.endRow();
    }
    return b.build();
  }

  static GeneralizationAnonymizer anonymizer(ExecutorService pool, int parallelism) {
    return GeneralizationAnonymizer.builder()
        .hierarchy(Hierarchy.intervals("age", 5, 10, 20))
        .hierarchy(Hierarchy.masking("zip", 5))
        .hierarchy(Hierarchy.intervals("spend", 100, 500, 1000))
        .kAnonymity(10).suppressionLimit(0.01)
        .executor(pool, parallelism).build();
  }

  static String csv(Dataset d) throws IOException {
    StringWriter out = new StringWriter();
    CsvWriter.write(d, out);
    return out.toString();
  }

  @Test
  void twoThreadsChooseAndReleaseExactlyWhatOneThreadDoes() throws IOException {
    Dataset data = data();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      GeneralizationResult serial = anonymizer(pool, 1).apply(data);
      GeneralizationResult parallel = anonymizer(pool, 3).apply(data);

      assertThat(parallel.levels()).isEqualTo(serial.levels());
      assertThat(parallel.informationLoss()).isEqualTo(serial.informationLoss());
      assertThat(parallel.suppressedRows()).isEqualTo(serial.suppressedRows());
      assertThat(parallel.anonymized().releasedRows())
          .isEqualTo(serial.anonymized().releasedRows());
      assertThat(csv(parallel.anonymized().data())).isEqualTo(csv(serial.anonymized().data()));
      assertThat((Integer) serial.summary().get("nodesEvaluated")).isGreaterThan(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
