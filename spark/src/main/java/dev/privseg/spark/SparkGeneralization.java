package dev.privseg.spark;

import dev.privseg.anonymization.search.GeneralizationAnonymizer;
import dev.privseg.anonymization.search.GeneralizationChoice;
import dev.privseg.core.Checks;
import dev.privseg.core.dataset.RejectReason;
import dev.privseg.core.schema.Schema;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Optimal full-domain generalization of a Spark {@code Dataset<Row>}, on its own (a pipeline's
 * anonymize stage does the same inside {@link SparkSegmentation}): the executors count the
 * equivalence classes on the quasi-identifiers, with each class's sensitive values; the driver
 * runs {@link GeneralizationAnonymizer}'s exact lattice search on the classes, never on rows, so
 * its memory grows with the distinct value combinations, not with the rows; the executors write
 * each quasi-identifier's label and drop the rows of suppressed classes. It chooses the node the
 * local {@link GeneralizationAnonymizer#apply} chooses on the same rows in the same order, with
 * the same figures.
 *
 * <pre>{@code
 * SparkGeneralization.Result r = SparkGeneralization.of(anonymizer, schema).apply(customers);
 * r.released().write().parquet("released");     // QIs generalized, suppressed rows dropped
 * r.choice().levels();                          // e.g. {age=2, zip=1}
 * r.choice().summary();                         // achieved k, loss, risk, for the record
 * }</pre>
 *
 * <p>The input is read as a pipeline's is: each field in its canonical Spark type, an empty
 * string missing, a row whose value its type cannot hold (or missing a required value) rejected
 * and counted. Immutable.
 */
public final class SparkGeneralization {
  private final GeneralizationAnonymizer anonymizer;
  private final Schema schema;

  private SparkGeneralization(GeneralizationAnonymizer anonymizer, Schema schema) {
    this.anonymizer = anonymizer;
    this.schema = schema;
  }

  /**
   * {@code anonymizer} on inputs with the fields of {@code schema}.
   *
   * @throws dev.privseg.core.ConfigurationException naming a quasi-identifier or sensitive field
   *     the schema lacks, or a quasi-identifier of the schema without a hierarchy, as the local
   *     engine names it
   */
  public static SparkGeneralization of(GeneralizationAnonymizer anonymizer, Schema schema) {
    Checks.notNull(anonymizer, "anonymizer");
    Checks.notNull(schema, "schema");
    new SparkAnonymize(anonymizer).check(schema);
    return new SparkGeneralization(anonymizer, schema);
  }

  /**
   * What the generalization released.
   *
   * @param released the accepted rows of released classes, in input order, with the schema's
   *     fields: a generalized quasi-identifier as its label (a string), the others as read
   * @param choice the levels chosen, which classes were released, and what the released rows
   *     achieve (k, l, t, information loss, risk), as the processing record states it
   * @param rejected the input rows rejected when read, by reason (only reasons that occurred)
   */
  public record Result(Dataset<Row> released, GeneralizationChoice choice,
      Map<RejectReason, Long> rejected) {}

  /**
   * Generalizes {@code input}.
   *
   * @throws dev.privseg.core.ConfigurationException naming a field the input lacks or holds in
   *     another type, or a hierarchy that does not cover a value
   * @throws dev.privseg.core.anonymize.AnonymizationFailedException naming the criteria no
   *     generalization meets within the suppression limit
   */
  public Result apply(Dataset<Row> input) {
    Checks.notNull(input, "input");
    SparkInput read = new SparkInput(schema);
    Dataset<Row> tagged = read.tagged(input);
    Map<RejectReason, Long> rejected = SparkInput.counts(tagged).rejected();
    Dataset<Row> rows = SparkInput.accepted(tagged, schema.names());
    SparkAnonymize.Anonymized a = new SparkAnonymize(anonymizer).run(rows, rows, schema);
    return new Result(a.rows(), a.choice(), rejected);
  }

  @Override
  public String toString() {
    return "SparkGeneralization[" + anonymizer.quasiIdentifiers() + "]";
  }
}
