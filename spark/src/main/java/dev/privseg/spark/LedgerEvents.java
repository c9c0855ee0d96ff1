package dev.privseg.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.privseg.consent.DecisionFold;
import dev.privseg.consent.DecisionSnapshot;
import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.core.ConfigurationException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * A consent ledger's events as a Spark dataset (rows of its event table,
 * {@code privseg_consent_event}, read with {@code spark.read().jdbc(...)} or from a copy), and
 * the run's decisions made from them on the executors: the events a {@link DecisionFold} reads
 * are selected (a filter the JDBC source pushes to the database), grouped by subject (a shuffle)
 * and folded per subject, as the gate's snapshot folds them on one machine.
 */
final class LedgerEvents {
  static final String SEQ = "seq";
  static final String HIGH = "subject_high";
  static final String LOW = "subject_low";
  static final String PURPOSE = "purpose";
  static final String TYPE = "event_type";
  static final String OCCURRED = "occurred_at";
  static final String NOTICE = "notice_version";
  /** The columns the decisions are made from, with their types. */
  private static final List<Tuple2<String, DataType>> COLUMNS = List.of(
      new Tuple2<>(SEQ, DataTypes.LongType), new Tuple2<>(HIGH, DataTypes.LongType),
      new Tuple2<>(LOW, DataTypes.LongType), new Tuple2<>(PURPOSE, DataTypes.StringType),
      new Tuple2<>(TYPE, DataTypes.StringType), new Tuple2<>(OCCURRED, DataTypes.LongType),
      new Tuple2<>(NOTICE, DataTypes.StringType));

  /** The directory's columns the decisions are read through (never its pseudonyms). */
  private static final List<Tuple2<String, DataType>> DIRECTORY = List.of(
      new Tuple2<>("lookup_high", DataTypes.LongType), new Tuple2<>("lookup_low",
          DataTypes.LongType), new Tuple2<>("ledger_high", DataTypes.LongType),
      new Tuple2<>("ledger_low", DataTypes.LongType));
  /** The directory's columns a run that pseudonymizes through it reads. */
  private static final List<Tuple2<String, DataType>> PSEUDONYMS = List.of(
      new Tuple2<>("lookup_high", DataTypes.LongType), new Tuple2<>("lookup_low",
          DataTypes.LongType), new Tuple2<>("pseudonym", DataTypes.StringType));
  /** The tombstones' columns read. */
  private static final List<Tuple2<String, DataType>> ERASED = List.of(
      new Tuple2<>("lookup_high", DataTypes.LongType), new Tuple2<>("lookup_low",
          DataTypes.LongType));

  private LedgerEvents() {}

  /**
   * Checks that {@code events} has the event table's columns in its types (any case, as the
   * database names them), before any row is read, and returns them under their names.
   *
   * @throws ConfigurationException naming a missing column or one of another type
   */
  static Dataset<Row> checked(Dataset<Row> events) {
    return checked(events, COLUMNS, "the consent ledger's events", "privseg_consent_event");
  }

  /** As {@link #checked(Dataset)}, for the subject directory's table. */
  static Dataset<Row> checkedDirectory(Dataset<Row> directory) {
    return checked(directory, DIRECTORY, "the subject directory", "privseg_subject_directory");
  }

  /** As {@link #checked(Dataset)}, for the subject directory's lookup keys and pseudonyms. */
  static Dataset<Row> checkedPseudonyms(Dataset<Row> directory) {
    return checked(directory, PSEUDONYMS, "the subject directory", "privseg_subject_directory");
  }

  /** As {@link #checked(Dataset)}, for the erased subjects' tombstones. */
  static Dataset<Row> checkedErased(Dataset<Row> erased) {
    return checked(erased, ERASED, "the erased subjects", "privseg_erased_subject");
  }

  private static Dataset<Row> checked(Dataset<Row> data, List<Tuple2<String, DataType>> wanted,
      String what, String table) {
    StructType schema = data.schema();
    List<org.apache.spark.sql.Column> columns = new java.util.ArrayList<>();
    for (Tuple2<String, DataType> c : wanted) {
      org.apache.spark.sql.types.StructField found = Arrays.stream(schema.fields())
          .filter(f -> f.name().equalsIgnoreCase(c._1())).findFirst()
          .orElseThrow(() -> new ConfigurationException(what + " have no column '" + c._1()
              + "': give the ledger's table, " + table));
      if (!found.dataType().equals(c._2())) {
        throw new ConfigurationException(what + " hold column '" + c._1() + "' as "
            + found.dataType().simpleString() + ", not " + c._2().simpleString()
            + ": give the ledger's table, " + table);
      }
      columns.add(col(found.name()).as(c._1()));
    }
    return data.select(columns.toArray(org.apache.spark.sql.Column[]::new));
  }

  /**
   * The decisions {@code fold} makes from {@code events} ({@link #checked} ones), by lookup key:
   * {@code (high, low, decision, explicit)} under the names given, the high word as
   * {@link DecisionSnapshot#comparableHigh} makes it. Without a directory, one row per subject
   * with events the fold reads (events are keyed by lookup key); with one (its live entries and
   * its tombstones, checked), one row per live entry whose ledger key has such events, and one
   * {@code ERASED} row per tombstone, as the snapshot lists them.
   *
   * @throws ConfigurationException if the events are not the ledger's up to the fold's sequence
   *     number (a copy that lags behind, or another table)
   */
  static Dataset<Row> decisions(Dataset<Row> events, Dataset<Row> directory,
      Dataset<Row> erased, DecisionFold fold, String high, String low, String decision,
      String explicit) {
    Dataset<Row> read = events.where(col(SEQ).leq(lit(fold.upToSequence())));
    Row seen = SparkErrors.action(read.agg(org.apache.spark.sql.functions.count(lit(1)),
        org.apache.spark.sql.functions.max(col(SEQ)))::collectAsList).get(0);
    long count = seen.getLong(0);
    long last = seen.isNullAt(1) ? 0 : seen.getLong(1);
    if (count != fold.upToSequence() || last != fold.upToSequence()) {
      throw new ConfigurationException(String.format(java.util.Locale.ROOT, "the consent "
          + "ledger's events given hold %,d events up to number %,d, but the ledger held %,d "
          + "when the run started: give the run the ledger's own event table (a copy that lags "
          + "behind would decide on other events)", count, last, fold.upToSequence()));
    }
    String[] notConsents = Arrays.stream(EventType.values()).filter(t -> !t.givesConsent())
        .map(Enum::name).toArray(String[]::new);
    Dataset<Row> concerning = read.where(col(OCCURRED).leq(lit(fold.at().toEpochMilli()))
        .and(col(PURPOSE).equalTo(lit(fold.purpose().id().value()))
            .or(col(PURPOSE).equalTo(lit(ConsentEvent.ALL_PURPOSES.value()))
                .and(col(TYPE).isin((Object[]) notConsents)))));
    StructType out = new StructType().add(HIGH, DataTypes.LongType, false)
        .add(LOW, DataTypes.LongType, false).add(decision, DataTypes.StringType, false)
        .add(explicit, DataTypes.BooleanType, false);
    Dataset<Row> folded = concerning
        .select(col(HIGH), col(LOW), col(SEQ), col(TYPE), col(OCCURRED), col(NOTICE))
        .groupByKey((MapFunction<Row, Tuple2<Long, Long>>) r ->
            new Tuple2<>(r.getLong(0), r.getLong(1)), Encoders.tuple(Encoders.LONG(),
            Encoders.LONG()))
        .flatMapGroups(new Fold(fold), Encoders.row(out));
    org.apache.spark.sql.Column mask = lit(DecisionSnapshot.comparableHigh(-1L));
    if (directory == null) {
      return folded.select(col(HIGH).bitwiseAND(mask).as(high), col(LOW).as(low),
          col(decision), col(explicit));
    }
    // Events are keyed by the directory's random ledger keys: each live entry maps its lookup
    // key to one; a tombstone marks an erased lookup key, and wins.
    Dataset<Row> mapped = folded.join(directory, folded.col(HIGH).equalTo(col("ledger_high"))
        .and(folded.col(LOW).equalTo(col("ledger_low"))))
        .select(col("lookup_high").bitwiseAND(mask).as(high), col("lookup_low").as(low),
            col(decision), col(explicit));
    Dataset<Row> tombstones = erased.select(col("lookup_high").bitwiseAND(mask).as(high),
        col("lookup_low").as(low), lit(dev.privseg.core.gate.BasisDecision.ERASED.name())
            .as(decision), lit(false).as(explicit));
    return mapped.join(tombstones.select(col(high).as("erased_high"),
            col(low).as("erased_low")), col(high).equalTo(col("erased_high"))
            .and(col(low).equalTo(col("erased_low"))), "left_anti")
        .unionByName(tombstones);
  }

  /** Folds one subject's events into its decision, where the task runs. */
  static final class Fold
      implements FlatMapGroupsFunction<Tuple2<Long, Long>, Row, Row>, Serializable {
    private static final long serialVersionUID = 1L;
    private final DecisionFold fold;

    Fold(DecisionFold fold) {
      this.fold = fold;
    }

    @Override
    public Iterator<Row> call(Tuple2<Long, Long> key, Iterator<Row> events) {
      DecisionFold.Subject subject = fold.subject();
      while (events.hasNext()) {
        Row e = events.next();
        EventType type;
        try {
          type = EventType.valueOf(e.getString(3));
        } catch (IllegalArgumentException unknown) {
          throw new ConfigurationException("the consent ledger's event number " + e.getLong(2)
              + " has a type this version of privseg does not know: upgrade privseg to read "
              + "this ledger");
        }
        subject.add(e.getLong(2), type, e.getLong(4), e.isNullAt(5) ? "" : e.getString(5));
      }
      return List.of(RowFactory.create(key._1(), key._2(), subject.decision().name(),
          subject.explicitConsent())).iterator();
    }
  }
}
