package dev.privseg.spark;

import static org.apache.spark.sql.functions.col;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.KeyException;
import dev.privseg.core.pseudonymize.Pseudonym;
import dev.privseg.core.pseudonymize.PseudonymSession;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The pseudonymize stage on Spark: each executor opens the key itself ({@link ExecutorKey}) and
 * replaces the subject field by its HMAC-SHA256 pseudonym with the local pseudonymizer's code, a
 * block of rows at a time, so the pseudonyms are the local run's. Before the first row, each task
 * checks that its key gives the pipeline's pseudonym of a fixed probe identifier, which the
 * driver computed with the pipeline's own pseudonymizer: an executor with another key (or a
 * pipeline whose pseudonymizer is not keyed HMAC-SHA256) stops the run, reported as that.
 */
final class SparkPseudonymize {
  /** The column that replaces the subject field. */
  static final String PSEUDONYM = "__privseg_pseudonym";
  /** A fixed, public identifier whose pseudonym shows which key made it. */
  private static final SubjectId PROBE = SubjectId.of("privseg-executor-key-check");
  private static final int BLOCK = 4096;

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
    List<String> others = new ArrayList<>(List.of(rows.columns()));
    others.remove(subjectField);
    List<org.apache.spark.sql.Column> columns = new ArrayList<>();
    columns.add(col(subjectField));
    others.forEach(n -> columns.add(col(n)));
    Dataset<Row> ordered = rows.select(columns.toArray(org.apache.spark.sql.Column[]::new));
    StructType struct = new StructType();
    for (String n : others) {
      struct = struct.add(ordered.schema().apply(n));
    }
    struct = struct.add(PSEUDONYM, DataTypes.StringType, false);
    return ordered.mapPartitions(new Replace(key, probe, pseudonymizer.keyId()),
        Encoders.row(struct));
  }

  /**
   * Replaces a partition's first column, the subject id, by its pseudonym at the end; the key is
   * opened once per partition, where the task runs.
   */
  static final class Replace implements MapPartitionsFunction<Row, Row>, Serializable {
    private static final long serialVersionUID = 1L;
    private final ExecutorKey key;
    private final String probe;
    private final String keyId;

    Replace(ExecutorKey key, String probe, String keyId) {
      this.key = key;
      this.probe = probe;
      this.keyId = keyId;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      if (!rows.hasNext()) {
        return rows;
      }
      Pseudonymizer hmac = Pseudonymizer.hmacSha256(key.open());
      if (!hmac.pseudonymize(PROBE).value().equals(probe)) {
        throw new KeyException("the key the executors open (" + key.keyId() + ") is not the "
            + "key the pipeline pseudonymizes with (" + keyId + "): their pseudonyms would "
            + "differ; give every executor the pipeline's key");
      }
      PseudonymSession session = hmac.forRun(BLOCK);
      return Batches.of(rows, BLOCK, in -> {
        List<SubjectId> ids = new ArrayList<>(in.size());
        for (Row row : in) {
          ids.add(SubjectId.of(row.getString(0)));
        }
        List<Pseudonym> pseudonyms = session.pseudonymizeAll(ids);
        List<Row> out = new ArrayList<>(in.size());
        for (int r = 0; r < in.size(); r++) {
          Row row = in.get(r);
          Object[] values = new Object[row.length()];
          for (int c = 1; c < row.length(); c++) {
            values[c - 1] = row.get(c);
          }
          values[row.length() - 1] = pseudonyms.get(r).value();
          out.add(RowFactory.create(values));
        }
        return out;
      });
    }
  }
}
