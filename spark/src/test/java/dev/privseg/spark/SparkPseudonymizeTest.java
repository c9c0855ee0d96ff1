package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.KeyException;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pseudonyms made on the executors are the local pseudonymizer's; the key reaches them only by
 * reference, never in a task; an executor with another key stops the run, said as that.
 */
class SparkPseudonymizeTest {

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  private static Path keyFile(Path dir, String name, byte[] key) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, Base64.getEncoder().encodeToString(key));
    return file;
  }

  private static Dataset<Row> customers(int n) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(RowFactory.create(i * 7L, "C-" + i));
    }
    return LocalSpark.session().createDataFrame(rows, new StructType()
        .add("orders", DataTypes.LongType).add("id", DataTypes.StringType)).repartition(3);
  }

  @Test
  void executorsPseudonymizeAsTheLocalPseudonymizerWithoutTheKeyInAnyTask(@TempDir Path dir)
      throws Exception {
    byte[] key = randomKey();
    Pseudonymizer local = Pseudonymizer.hmacSha256(
        KeyProvider.of(new SecretKeySpec(key, "HmacSHA256"), "crm/v1"));
    ExecutorKey reference = ExecutorKey.file(keyFile(dir, "key", key).toString(), "crm/v1");
    SparkPseudonymize stage = new SparkPseudonymize(local, reference);

    List<Row> out = stage.run(customers(10_000), "id").collectAsList();
    assertThat(out).hasSize(10_000);
    for (Row r : out) {
      assertThat(r.schema().fieldNames()).containsExactly("orders",
          SparkPseudonymize.PSEUDONYM);
      long i = r.getLong(0) / 7;
      assertThat(r.getString(1)).isEqualTo(local.pseudonymize(SubjectId.of("C-" + i)).value());
    }

    // What a task carries: the reference and a probe pseudonym, not the key.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
      o.writeObject(new SparkPseudonymize.PseudonymOf(reference, "probe", "crm/v1"));
    }
    String task = new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1);
    assertThat(task).doesNotContain(new String(key, StandardCharsets.ISO_8859_1))
        .doesNotContain(Base64.getEncoder().encodeToString(key));
  }

  @Test
  void anExecutorWithAnotherKeyStopsTheRunSayingSo(@TempDir Path dir) throws Exception {
    Pseudonymizer local = Pseudonymizer.hmacSha256(
        KeyProvider.of(new SecretKeySpec(randomKey(), "HmacSHA256"), "crm/v1"));
    ExecutorKey other = ExecutorKey.file(keyFile(dir, "other", randomKey()).toString(),
        "crm/v1");
    // A run's actions go through SparkErrors, which reports a task's privseg exception by type.
    assertThatThrownBy(() -> SparkErrors.action(new SparkPseudonymize(local, other)
        .run(customers(10), "id")::collectAsList))
        .isInstanceOf(KeyException.class)
        .hasMessage("the key the executors open (crm/v1) is not the key the pipeline "
            + "pseudonymizes with (crm/v1): their pseudonyms would differ; give every executor "
            + "the pipeline's key");
  }

  @Test
  void aKeyNamedOtherwiseOrMissingIsReportedAsThat(@TempDir Path dir) {
    Pseudonymizer local = Pseudonymizer.hmacSha256(
        KeyProvider.of(new SecretKeySpec(randomKey(), "HmacSHA256"), "crm/v1"));
    assertThatThrownBy(() -> new SparkPseudonymize(local,
        ExecutorKey.environment("PRIVSEG_NO_SUCH_KEY")).run(customers(10), "id"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("the executors' key is env:PRIVSEG_NO_SUCH_KEY but the pipeline "
            + "pseudonymizes with crm/v1; give the Spark run the pipeline's key");
    assertThatThrownBy(() -> SparkErrors.action(new SparkPseudonymize(local,
        ExecutorKey.file(dir.resolve("absent").toString(), "crm/v1")).run(customers(10), "id")
        ::collectAsList))
        .isInstanceOf(KeyException.class)
        .hasMessageStartingWith("cannot read the key file ")
        .hasMessageEndingWith("absent for key crm/v1: NoSuchFileException");
  }
}
