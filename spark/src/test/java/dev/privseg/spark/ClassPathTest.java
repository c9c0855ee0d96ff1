package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.cfg.PackageVersion;
import dev.privseg.core.report.ProcessingRecord;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * privseg on a Spark job's class path: Spark's own Jackson is the only one, Spark's jobs run
 * (jackson-module-scala accepts the Jackson it finds), and privseg's JSON works with it.
 */
class ClassPathTest {

  @Test
  void sparksJacksonIsTheOnlyOneAndBothSparkAndPrivsegUseIt() throws Exception {
    String expected = System.getProperty("spark.jackson.version");
    assertThat(expected).as("the build names Spark's Jackson").isNotBlank();
    assertThat(PackageVersion.VERSION.toString()).isEqualTo(expected);
    assertThat(com.fasterxml.jackson.core.json.PackageVersion.VERSION.toString())
        .isEqualTo(expected);

    // Every job serializes its RDD operation scope with jackson-module-scala, which refuses a
    // jackson-databind of another minor version.
    Dataset<Row> numbers = LocalSpark.session().range(10).toDF("n");
    assertThat(numbers.count()).isEqualTo(10);
    List<String> json = numbers.limit(2).toJSON().collectAsList();
    assertThat(json).containsExactly("{\"n\":0}", "{\"n\":1}");

    String record = """
        {"format":"privseg-processing-record/1","runId":"r","startedAt":"s",
         "basisEvaluatedAt":"a","purpose":{"id":"p","description":"d","lawfulBasis":"CONSENT"},
         "lawfulBasisGate":"g","guarantees":["x"],"stageMillis":{}}""";
    ProcessingRecord parsed = ProcessingRecord.fromJson(record);
    assertThat(parsed.guarantees()).containsExactly("x");
    assertThat(ProcessingRecord.fromJson(parsed.toJson())).isEqualTo(parsed);
  }
}
