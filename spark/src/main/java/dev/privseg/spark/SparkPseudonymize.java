package dev.privseg.spark;

import static org.apache.spark.sql.functions.col;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.KeyException;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The pseudonymize stage on Spark: each executor opens the key itself ({@link ExecutorKey}) and
 * replaces the subject field by its HMAC-SHA256 pseudonym with the local pseudonymizer's code
 * (a function of the id column alone), so the pseudonyms are the local run's. Before the first
 * row, each task checks that its key gives the pipeline's pseudonym of a fixed probe
 * identifier, which the driver computed with the pipeline's own pseudonymizer: an executor with
 * another key (or a pipeline whose pseudonymizer is not keyed HMAC-SHA256) stops the run,
 * reported as that.
 */
final class SparkPseudonymize {
  /** The column that replaces the subject field. */
  static final String PSEUDONYM = "__privseg_pseudonym";
  /** A fixed, public identifier whose pseudonym shows which key made it. */
  private static final SubjectId PROBE = SubjectId.of("privseg-executor-key-check");

  private final Pseudonymizer pseudonymizer;
  private final ExecutorKey key;

  SparkPseudonymize(Pseudonymizer pseudonymizer, ExecutorKey key) {
    this.pseudonymizer = pseudonymizer;
    this.key = key;
  }

  /**
   * {@code rows} with the subject field {@code subjectField} replaced by the column
   * {@link #PSEUDONYM}, at the end.
   *
   * @throws ConfigurationException if the key the executors open is not named as the pipeline's
   */
  Dataset<Row> run(Dataset<Row> rows, String subjectField) {
    if (!key.keyId().equals(pseudonymizer.keyId())) {
      throw new ConfigurationException("the executors' key is " + key.keyId() + " but the "
          + "pipeline pseudonymizes with " + pseudonymizer.keyId() + "; give the Spark run the "
          + "pipeline's key");
    }
    String probe = pseudonymizer.pseudonymize(PROBE).value();
    // A UDF of the id alone: the rest of each row stays in Spark's own form.
    org.apache.spark.sql.expressions.UserDefinedFunction pseudonym = org.apache.spark.sql
        .functions.udf(new PseudonymOf(key, probe, pseudonymizer.keyId()),
            DataTypes.StringType).asNonNullable();
    return rows.withColumn(PSEUDONYM, pseudonym.apply(col(subjectField))).drop(subjectField);
  }

  /**
   * A subject id's pseudonym; the key is opened where the task runs, on its first id, and
   * checked first against the probe's pseudonym: another key stops the run, reported as that.
   * One instance per task (Spark deserializes a task's functions for it alone).
   */
  static final class PseudonymOf implements org.apache.spark.sql.api.java.UDF1<String, String> {
    private static final long serialVersionUID = 1L;
    private final ExecutorKey key;
    private final String probe;
    private final String keyId;
    private transient Pseudonymizer hmac;

    PseudonymOf(ExecutorKey key, String probe, String keyId) {
      this.key = key;
      this.probe = probe;
      this.keyId = keyId;
    }

    @Override
    public String call(String id) {
      if (hmac == null) {
        Pseudonymizer opened = Pseudonymizer.hmacSha256(key.open());
        if (!opened.pseudonymize(PROBE).value().equals(probe)) {
          throw new KeyException("the key the executors open (" + key.keyId() + ") is not the "
              + "key the pipeline pseudonymizes with (" + keyId + "): their pseudonyms would "
              + "differ; give every executor the pipeline's key");
        }
        hmac = opened;
      }
      return hmac.pseudonymize(SubjectId.of(id)).value();
    }
  }
}
