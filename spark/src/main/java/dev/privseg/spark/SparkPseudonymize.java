package dev.privseg.spark;

import static org.apache.spark.sql.functions.col;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.KeyException;
import dev.privseg.core.pseudonymize.Pseudonym;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The pseudonymize stage on Spark: each executor opens the key itself ({@link ExecutorKey}) and
 * replaces the subject field by its HMAC-SHA256 pseudonym with the local pseudonymizer's code
 * (a function of the id column alone), so the pseudonyms are the local run's. Before the first
 * row, each task checks that its key gives the pipeline's pseudonym of a fixed probe
 * identifier, which the driver computed with the pipeline's own pseudonymizer: an executor with
 * another key (or a pipeline whose pseudonymizer is not keyed HMAC-SHA256) stops the run,
 * reported as that. A subject directory's pseudonyms are looked up instead
 * ({@link #fromDirectory}).
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

  /** Lookup keys sent to the directory per call, as the local run's session asks it. */
  private static final int ISSUED_PER_CALL = 4_096;
  private static final String HIGH = "__privseg_lookup_high";
  private static final String LOW = "__privseg_lookup_low";
  private static final String HELD_HIGH = "__privseg_held_high";
  private static final String HELD_LOW = "__privseg_held_low";
  private static final String HELD = "__privseg_held_pseudonym";

  /**
   * {@code rows} with the subject field {@code subjectField} replaced by the column
   * {@link #PSEUDONYM}, at the end, holding the subject directory's pseudonym: each executor
   * keys the ids with the ledger's {@code key} (checked against the directory's check value);
   * the driver has the pseudonymizer issue the pseudonyms still missing, by lookup key alone;
   * then the rows are joined to the directory's {@code table} (its rows, read after the issuing,
   * columns {@code lookup_high, lookup_low, pseudonym}), or, without a table, to the pseudonyms
   * the driver read for every row (a directory only the driver can open). Gives the local run's
   * pseudonyms: both read the same directory.
   *
   * @throws ConfigurationException if {@code key} is not named as the ledger's
   * @throws dev.privseg.consent.ConsentException (from the action that reads the rows) if an
   *     admitted subject has no pseudonym: erased while the run was in progress, or a table
   *     that is not the pseudonymizer's directory
   */
  static Dataset<Row> fromDirectory(DirectoryPseudonymizer pseudonymizer, ExecutorKey key,
      Dataset<Row> rows, String subjectField, Dataset<Row> table) {
    DirectoryPseudonymizer.LookupKeyer keyer = pseudonymizer.lookupKeyer();
    if (!key.keyId().equals(keyer.keyId())) {
      throw new ConfigurationException("the executors' ledger key is " + key.keyId() + " but "
          + "the subject directory's lookups are keyed with " + keyer.keyId() + "; give the "
          + "Spark run the ledger's key (SparkSegmentation.ledgerKey)");
    }
    org.apache.spark.sql.expressions.UserDefinedFunction lookup = org.apache.spark.sql.functions
        .udf(new SparkGate.KeyId(key, keyer.scheme(), keyer.checkValue(), true),
            SparkGate.KEY_TYPE);
    String keyColumn = "__privseg_lookup";
    Dataset<Row> keyed = rows.withColumn(keyColumn, lookup.apply(col(subjectField)))
        .withColumn(HIGH, col(keyColumn).getField("high"))
        .withColumn(LOW, col(keyColumn).getField("low")).drop(keyColumn).drop(subjectField);
    Dataset<Row> keys = keyed.select(col(HIGH), col(LOW));
    Dataset<Row> held = table == null ? null : table.select(col("lookup_high").as(HELD_HIGH),
        col("lookup_low").as(HELD_LOW), col("pseudonym").as(HELD));
    Dataset<Row> missing = held == null ? keys : keys.join(held, sameKey(), "left_anti");
    List<Row> issued = issue(pseudonymizer, missing, held == null);
    if (held == null) {
      held = rows.sparkSession().createDataFrame(issued, new StructType()
          .add(HELD_HIGH, DataTypes.LongType, false).add(HELD_LOW, DataTypes.LongType, false)
          .add(HELD, DataTypes.StringType, false));
    }
    org.apache.spark.sql.expressions.UserDefinedFunction present = org.apache.spark.sql.functions
        .udf(new Held(), DataTypes.StringType).asNonNullable();
    return keyed.join(held, sameKey(), "left_outer")
        .withColumn(PSEUDONYM, present.apply(col(HELD)))
        .drop(HIGH, LOW, HELD_HIGH, HELD_LOW, HELD);
  }

  private static org.apache.spark.sql.Column sameKey() {
    return col(HIGH).equalTo(col(HELD_HIGH)).and(col(LOW).equalTo(col(HELD_LOW)));
  }

  /**
   * Has the pseudonymizer issue the pseudonyms of the lookup keys {@code missing} holds,
   * streamed through the driver a partition at a time; returns them as rows
   * {@code (high, low, pseudonym)} if {@code keep}, else none.
   */
  private static List<Row> issue(DirectoryPseudonymizer pseudonymizer, Dataset<Row> missing,
      boolean keep) {
    List<Row> out = new ArrayList<>();
    if (!keep && SparkErrors.action(missing::isEmpty)) {
      return out;
    }
    SparkErrors.action(() -> {
      java.util.Iterator<Row> it = missing.toLocalIterator();
      List<SubjectKey> batch = new ArrayList<>(ISSUED_PER_CALL);
      while (it.hasNext()) {
        Row r = it.next();
        if (r.isNullAt(0)) {
          throw erased();
        }
        batch.add(new SubjectKey(r.getLong(0), r.getLong(1)));
        if (batch.size() == ISSUED_PER_CALL || !it.hasNext()) {
          List<Optional<Pseudonym>> made = pseudonymizer.pseudonymsOf(batch);
          for (int i = 0; i < batch.size(); i++) {
            Pseudonym p = made.get(i).orElseThrow(SparkPseudonymize::erased);
            if (keep) {
              out.add(RowFactory.create(batch.get(i).high(), batch.get(i).low(), p.value()));
            }
          }
          batch.clear();
        }
      }
      return null;
    });
    return out;
  }

  private static ConsentException erased() {
    return new ConsentException("a subject the gate admitted has no pseudonym in the subject "
        + "directory: it was erased while the run was in progress (run again), or the "
        + "directory's table given is not the pipeline's directory");
  }

  /** A row's pseudonym from the directory; a row without one stops the run, saying why. */
  static final class Held implements org.apache.spark.sql.api.java.UDF1<String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String call(String pseudonym) {
      if (pseudonym == null) {
        throw erased();
      }
      return pseudonym;
    }
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
