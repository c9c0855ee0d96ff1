package dev.privseg.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.privseg.consent.DecisionFold;
import dev.privseg.consent.DecisionSnapshot;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.PrivsegException;
import dev.privseg.core.gate.BasisDecision;
import dev.privseg.core.gate.NoSubjectAllowedException;
import dev.privseg.core.pseudonymize.KeyException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The lawful-basis stage on Spark for a consent ledger's gate: each row's subject id is keyed on
 * the executors with the ledger's keyer (its key opened there, by reference), and the rows are
 * joined (a shuffle join, not a broadcast) with the gate's decisions for the run
 * ({@link DecisionSnapshot}); a subject not listed gets the snapshot's decision for unknown
 * subjects, a row without an id no basis. Only rows the decision allows go on, in input order;
 * the rows excluded are counted by decision in one aggregation. The decisions are the local
 * run's by construction: the same snapshot, the same keys.
 *
 * <p>The snapshot is made on the driver, as the local engine makes it, so its size is bounded
 * by the driver's memory (tens of millions of subjects); given the ledger's events as a
 * dataset, the stage folds them per subject on the executors instead ({@link DecisionFold}).
 */
final class SparkGate {
  private static final String HIGH = "__privseg_key_high";
  private static final String LOW = "__privseg_key_low";
  private static final String KEY = "__privseg_key";
  static final StructType KEY_TYPE = new StructType()
      .add("high", DataTypes.LongType, false).add("low", DataTypes.LongType, false);
  private static final String DECIDED_HIGH = "__privseg_decided_high";
  private static final String DECIDED_LOW = "__privseg_decided_low";
  private static final String DECISION = "__privseg_decision";
  /**
   * Whether the gate vouches for the row's explicit consent (GDPR Art. 9(2)(a)), carried with
   * the admitted rows for the minimize stage.
   */
  static final String EXPLICIT = "__privseg_explicit";

  private final DecisionSnapshot snapshot;
  /** Or the ledger's events, folded per subject on the executors by {@link #fold}. */
  private final Dataset<Row> events;
  /** With events keyed through the subject directory: its live entries and tombstones. */
  private final Dataset<Row> directory;
  private final Dataset<Row> erased;
  private final DecisionFold fold;
  private final ExecutorKey ledgerKey;
  /** Or a gate's serializable run view, sent to the executors and asked there. */
  private final dev.privseg.core.gate.RunGate view;
  private final dev.privseg.core.Purpose purpose;
  private final String description;

  SparkGate(DecisionSnapshot snapshot, ExecutorKey ledgerKey) {
    this.snapshot = snapshot;
    this.events = null;
    this.directory = null;
    this.erased = null;
    this.fold = null;
    this.ledgerKey = ledgerKey;
    this.view = null;
    this.purpose = snapshot.purpose();
    this.description = "a consent ledger's snapshot";
  }

  /**
   * A stage that decides from the consent ledger's {@code events} (rows of its event table, as
   * {@link LedgerEvents} checks them), folded per subject on the executors by {@code fold}, and,
   * for a ledger that keys its events through a subject directory, the directory's live
   * entries and tombstones: no process holds every subject's decision.
   *
   * @throws ConfigurationException if the directory is given for a ledger without one, or
   *     missing for a ledger with one
   */
  SparkGate(DecisionFold fold, Dataset<Row> events, Dataset<Row> directory, Dataset<Row> erased,
      ExecutorKey ledgerKey) {
    if (fold.keyedThroughDirectory() && directory == null) {
      throw new ConfigurationException("the consent ledger keys its events through a subject "
          + "directory: give its tables too (SparkSegmentation.ledgerEvents(events, directory, "
          + "erased), privseg_subject_directory and privseg_erased_subject)");
    }
    if (!fold.keyedThroughDirectory() && directory != null) {
      throw new ConfigurationException("the consent ledger keys its events by the subjects' "
          + "lookup keys and has no subject directory, yet a directory was given: give the "
          + "events alone (SparkSegmentation.ledgerEvents(events))");
    }
    this.snapshot = null;
    this.events = events;
    this.directory = directory;
    this.erased = erased;
    this.fold = fold;
    this.ledgerKey = ledgerKey;
    this.view = null;
    this.purpose = fold.purpose();
    this.description = "a consent ledger's events, folded on the executors";
  }

  private SparkGate(dev.privseg.core.gate.RunGate view, dev.privseg.core.Purpose purpose,
      String description) {
    this.snapshot = null;
    this.events = null;
    this.directory = null;
    this.erased = null;
    this.fold = null;
    this.ledgerKey = null;
    this.view = view;
    this.purpose = purpose;
    this.description = description;
  }

  /**
   * A stage that sends the gate's run {@code view} (serializable) to the executors and decides
   * there with it, a batch of rows at a time, exactly as the local stage asks it.
   *
   * @throws ConfigurationException if the view is not serializable
   */
  static SparkGate shipped(dev.privseg.core.gate.RunGate view,
      dev.privseg.core.Purpose purpose, String description) {
    if (!(view instanceof Serializable)) {
      throw new ConfigurationException("the lawful-basis gate (" + description + ") cannot "
          + "decide on Spark's executors: its run view does not implement java.io.Serializable; "
          + "use a consent ledger's gate or an allow-list, or run on the local engine");
    }
    return new SparkGate(view, purpose, description);
  }

  /**
   * What the stage lets through: the rows decided are cached (each later stage reads them, and
   * deciding again would repeat the keying and the join); {@link #close} drops them.
   *
   * @param admitted the allowed rows, with the input's columns (among them
   *     {@link SparkInput#ORDER}, by which later stages restore the input's order: a join leaves
   *     them in no order) and, last, {@link #EXPLICIT}
   * @param excluded rows excluded, by decision (only decisions that occurred)
   * @param rows the rows decided
   * @param decided the cached rows, admitted or not
   */
  record Gated(Dataset<Row> admitted, Map<BasisDecision, Long> excluded, long rows,
      Dataset<Row> decided) implements AutoCloseable {
    @Override
    public void close() {
      decided.unpersist(false);
    }
  }

  /**
   * Decides every row of {@code rows} by its {@code subjectField}; {@code rows} carries
   * {@link SparkInput#ORDER}, which the admitted rows keep.
   *
   * @throws NoSubjectAllowedException if the gate allows no row, saying why it can
   * @throws ConfigurationException if the executors' key is not named as the ledger's
   */
  Gated run(Dataset<Row> rows, String subjectField) {
    return run(rows, subjectField, false);
  }

  /**
   * As {@link #run(Dataset, String)}; with {@code explicitAsked}, a gate whose view is asked on
   * the executors is also asked about explicit consent (a ledger's snapshot always says).
   */
  Gated run(Dataset<Row> rows, String subjectField, boolean explicitAsked) {
    String[] columns = rows.columns();
    Dataset<Row> decided = view != null
        ? rows.mapPartitions(new DecideRows(view, rows.schema().fieldIndex(subjectField),
            explicitAsked), Encoders.row(rows.schema().add(DECISION, DataTypes.StringType, false)
                .add(EXPLICIT, DataTypes.BooleanType, false)))
        : joined(rows, subjectField);
    return count(rows, decided, columns, subjectField);
  }

  /** The rows with their decisions from the snapshot or the folded events, joined on keys. */
  private Dataset<Row> joined(Dataset<Row> rows, String subjectField) {
    String keyId = snapshot != null ? snapshot.keyId() : fold.keyId();
    if (!ledgerKey.keyId().equals(keyId)) {
      throw new ConfigurationException("the executors' ledger key is " + ledgerKey.keyId()
          + " but the consent ledger keys subjects with " + keyId + "; give the "
          + "Spark run the ledger's key");
    }
    // A UDF of the id alone: the rest of each row stays in Spark's own form (a function of
    // whole rows would convert every column of every row to Java objects and back).
    org.apache.spark.sql.expressions.UserDefinedFunction key = org.apache.spark.sql.functions
        .udf(new KeyId(ledgerKey, snapshot != null ? snapshot.keyScheme() : fold.keyScheme(),
            snapshot != null ? snapshot.keyCheckValue() : fold.keyCheckValue()), KEY_TYPE);
    Dataset<Row> withKeys = rows.withColumn(KEY, key.apply(col(subjectField)))
        .withColumn(HIGH, col(KEY).getField("high")).withColumn(LOW, col(KEY).getField("low"))
        .drop(KEY);
    Dataset<Row> decisions = snapshot != null ? decisions(rows)
        : LedgerEvents.decisions(events, directory, erased, fold, DECIDED_HIGH, DECIDED_LOW,
            DECISION, EXPLICIT);
    BasisDecision unknown = snapshot != null ? snapshot.unknown() : fold.unknown();
    return withKeys.join(decisions, withKeys.col(HIGH)
        .equalTo(col(DECIDED_HIGH)).and(withKeys.col(LOW).equalTo(col(DECIDED_LOW))),
        "left_outer")
        .withColumn(DECISION, when(col(HIGH).isNull(), lit(BasisDecision.NO_BASIS.name()))
            .otherwise(coalesce(col(DECISION), lit(unknown.name()))))
        .withColumn(EXPLICIT, coalesce(col(EXPLICIT), lit(false)));
  }

  /**
   * Counts the decisions and keeps the allowed rows, with the input's columns: the decided rows
   * are cached first, so that the rows are keyed and joined once for the whole run.
   */
  private Gated count(Dataset<Row> rows, Dataset<Row> decided, String[] columns,
      String subjectField) {
    List<org.apache.spark.sql.Column> kept = new ArrayList<>();
    for (String c : columns) {
      kept.add(decided.col(c));
    }
    kept.add(decided.col(EXPLICIT));
    kept.add(decided.col(DECISION));
    // Caching plans the query, which may evaluate the keys where the rows are local (rows made
    // on the driver): a wrong key found there is reported as such too.
    Dataset<Row> cached = SparkErrors.action(() -> decided.select(kept.toArray(
        org.apache.spark.sql.Column[]::new))
        .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK()));
    boolean done = false;
    try {
      Map<BasisDecision, Long> excluded = new EnumMap<>(BasisDecision.class);
      long total = 0;
      long allowed = 0;
      for (Row r : SparkErrors.action(cached.groupBy(col(DECISION)).count()::collectAsList)) {
        BasisDecision d = BasisDecision.valueOf(r.getString(0));
        total += r.getLong(1);
        if (d.isAllowed()) {
          allowed += r.getLong(1);
        } else {
          excluded.put(d, r.getLong(1));
        }
      }
      if (allowed == 0) {
        throw nobodyAllowed(total, excluded);
      }
      List<String> allowedNames = new ArrayList<>();
      for (BasisDecision d : BasisDecision.values()) {
        if (d.isAllowed()) {
          allowedNames.add(d.name());
        }
      }
      Dataset<Row> admitted = cached.where(col(DECISION).isin(allowedNames.toArray()))
          .drop(DECISION);
      checkOneRowPerSubject(rows, admitted, subjectField);
      done = true;
      return new Gated(admitted, excluded, total, cached);
    } finally {
      if (!done) {
        cached.unpersist(false);
      }
    }
  }

  /**
   * Refuses admitted rows that share a subject id, as the local stage does and in its words:
   * the first row, in input order, whose id an earlier admitted row has, and that earlier row,
   * numbered among the input's rows from 1. The ids' 64-bit hashes are grouped first (one
   * shuffle of longs, sorted as primitives in each partition): equal ids hash alike, so no
   * shared hash means no repeat. Only a shared hash, which may be two ids whose hashes
   * collide, costs a window over the ids in input order, which finds the first real repeat.
   */
  private static void checkOneRowPerSubject(Dataset<Row> input, Dataset<Row> admitted,
      String subjectField) {
    checkOneRowPerSubject(input, admitted, subjectField,
        org.apache.spark.sql.functions.xxhash64(col(subjectField)));
  }

  /** As above, with ids grouped first by {@code bucket} (for tests: collisions). */
  static void checkOneRowPerSubject(Dataset<Row> input, Dataset<Row> admitted,
      String subjectField, org.apache.spark.sql.Column bucket) {
    boolean shared = false;
    for (boolean b : SparkErrors.action(admitted.select(bucket.cast(DataTypes.LongType)
        .as("bucket")).repartition(col("bucket")).mapPartitions(new SharesBucket(),
            Encoders.BOOLEAN())::collectAsList)) {
      shared |= b;
    }
    if (!shared) {
      return;
    }
    org.apache.spark.sql.expressions.WindowSpec bySubject =
        org.apache.spark.sql.expressions.Window.partitionBy(col(subjectField))
            .orderBy(col(SparkInput.ORDER));
    List<Row> repeat = SparkErrors.action(admitted
        .select(col(SparkInput.ORDER),
            org.apache.spark.sql.functions.row_number().over(bySubject).as("occurrence"),
            org.apache.spark.sql.functions.first(col(SparkInput.ORDER)).over(bySubject)
                .as("first"))
        .where(col("occurrence").equalTo(2))
        .orderBy(col(SparkInput.ORDER)).limit(1)::collectAsList);
    if (repeat.isEmpty()) {
      return;
    }
    long earlier = rowNumber(input, repeat.get(0).getLong(2));
    long later = rowNumber(input, repeat.get(0).getLong(0));
    throw new ConfigurationException("rows " + earlier + " and " + later + " have the same "
        + "subject id in field '" + subjectField + "': a run's input needs one row per subject "
        + "(aggregate transactions first, e.g. with RfmAggregation)");
  }

  /**
   * Whether two rows of a partition of buckets share one: the buckets sorted as primitives and
   * compared with their neighbours (no object per row, no hash table).
   */
  static final class SharesBucket implements MapPartitionsFunction<Row, Boolean>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Boolean> call(Iterator<Row> rows) {
      long[] buckets = new long[1024];
      int size = 0;
      while (rows.hasNext()) {
        if (size == buckets.length) {
          buckets = java.util.Arrays.copyOf(buckets, size * 2);
        }
        buckets[size++] = rows.next().getLong(0);
      }
      java.util.Arrays.sort(buckets, 0, size);
      for (int i = 1; i < size; i++) {
        if (buckets[i] == buckets[i - 1]) {
          return List.of(true).iterator();
        }
      }
      return List.of(false).iterator();
    }
  }

  /** The row's number among the input's rows, from 1, by its order value. */
  private static long rowNumber(Dataset<Row> input, long order) {
    return SparkErrors.action(input.where(col(SparkInput.ORDER).lt(order))::count) + 1;
  }

  /**
   * The snapshot's entries as a dataset: copied on the driver into primitive slices (17 bytes
   * an entry), which the executors turn into rows, so the driver holds no row object per
   * subject.
   */
  private Dataset<Row> decisions(Dataset<Row> rows) {
    int size = snapshot.size();
    int slices = Math.max(1, Math.min(rows.sparkSession().sparkContext().defaultParallelism()
        * 4, (size + 65_535) / 65_536));
    List<Slice> parts = new ArrayList<>(slices);
    int per = Math.max(1, (size + slices - 1) / slices);
    Slice[] current = {null};
    snapshot.forEach((high, low, decision, explicit) -> {
      if (current[0] == null || current[0].full()) {
        current[0] = new Slice(Math.min(per, size - parts.size() * per));
        parts.add(current[0]);
      }
      current[0].add(high, low, decision, explicit);
    });
    org.apache.spark.api.java.JavaRDD<Row> entries = new org.apache.spark.api.java
        .JavaSparkContext(rows.sparkSession().sparkContext())
        .parallelize(parts, Math.max(1, parts.size())).flatMap(Slice::rows);
    return rows.sparkSession().createDataFrame(entries, new StructType()
        .add(DECIDED_HIGH, DataTypes.LongType, false)
        .add(DECIDED_LOW, DataTypes.LongType, false)
        .add(DECISION, DataTypes.StringType, false)
        .add(EXPLICIT, DataTypes.BooleanType, false));
  }

  /** Some of a snapshot's entries, in primitive arrays. */
  static final class Slice implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final BasisDecision[] DECISIONS = BasisDecision.values();
    private final long[] high;
    private final long[] low;
    /** Per entry: the decision's ordinal, negated (minus one) when explicit consent is in force. */
    private final byte[] decision;
    private int size;

    Slice(int capacity) {
      high = new long[capacity];
      low = new long[capacity];
      decision = new byte[capacity];
    }

    boolean full() {
      return size == high.length;
    }

    void add(long h, long l, BasisDecision d, boolean explicit) {
      high[size] = h;
      low[size] = l;
      decision[size] = (byte) (explicit ? -1 - d.ordinal() : d.ordinal());
      size++;
    }

    java.util.Iterator<Row> rows() {
      List<Row> out = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        boolean explicit = decision[i] < 0;
        int ordinal = explicit ? -1 - decision[i] : decision[i];
        out.add(RowFactory.create(high[i], low[i], DECISIONS[ordinal].name(), explicit));
      }
      return out.iterator();
    }
  }

  /** The local stage's mistake of a run that the gate let nobody through, in its words. */
  private PrivsegException nobodyAllowed(long rows, Map<BasisDecision, Long> excluded) {
    if (rows == 0) {
      return new PrivsegException("the input has no rows: there is nothing to segment");
    }
    return new NoSubjectAllowedException(String.format(Locale.ROOT,
        "no subject may be processed for purpose '%s': the lawful-basis gate allowed none of "
            + "the %,d input rows (%s)%s", purpose.id(), rows, excluded,
        "; " + (snapshot != null ? snapshot.whyNoneAllowed()
            : fold != null ? fold.whyNoneAllowed() : view.whyNoneAllowed())
            .orElse("the gate: " + description)),
        rows, excluded);
  }

  /**
   * Appends each row's decision by the gate's view, and whether it vouches for the row's
   * explicit consent (asked only when {@code explicitAsked}, as the local stage asks only when
   * special categories are kept), a batch of rows at a time.
   */
  static final class DecideRows implements MapPartitionsFunction<Row, Row>, Serializable {
    private static final long serialVersionUID = 1L;
    private static final int BATCH = 4096;
    private final dev.privseg.core.gate.RunGate view;
    private final int subject;
    private final boolean explicitAsked;

    DecideRows(dev.privseg.core.gate.RunGate view, int subject, boolean explicitAsked) {
      this.view = view;
      this.subject = subject;
      this.explicitAsked = explicitAsked;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      dev.privseg.core.schema.Field id = new dev.privseg.core.schema.Field("subject",
          dev.privseg.core.schema.FieldType.IDENTIFIER,
          dev.privseg.core.schema.PrivacyRole.DIRECT_IDENTIFIER, false, List.of());
      return Batches.of(rows, BATCH, batch -> {
        String[] ids = new String[batch.size()];
        for (int r = 0; r < ids.length; r++) {
          ids[r] = batch.get(r).isNullAt(subject) ? null : batch.get(r).getString(subject);
        }
        dev.privseg.core.gate.BasisDecisions decisions =
            new dev.privseg.core.gate.BasisDecisions(ids.length);
        dev.privseg.core.dataset.StringColumn subjects =
            dev.privseg.core.dataset.StringColumn.of(id, ids);
        view.decideAll(subjects, decisions);
        boolean[] explicit = new boolean[ids.length];
        if (explicitAsked) {
          view.explicitConsentAll(subjects, explicit);
        }
        List<Row> decided = new ArrayList<>(ids.length);
        for (int r = 0; r < ids.length; r++) {
          Row row = batch.get(r);
          Object[] values = RowValues.of(row, 2);
          values[row.length()] = decisions.get(r).name();
          values[row.length() + 1] = explicitAsked && explicit[r];
          decided.add(RowFactory.create(values));
        }
        return decided;
      });
    }
  }

  /**
   * A subject id's ledger key, {@code (high, low)} with the high word as
   * {@link DecisionSnapshot#comparableHigh} makes it (or whole, as a subject directory stores
   * it), or null for a missing or blank id; the key
   * is opened where the task runs, on its first id, and checked against the ledger's check value
   * first: another key stops the run, reported as that. One instance per task (Spark
   * deserializes a task's functions for it alone), so its session is never shared.
   */
  static final class KeyId implements org.apache.spark.sql.api.java.UDF1<String, Row> {
    private static final long serialVersionUID = 1L;
    private final ExecutorKey key;
    private final SubjectKeyer.Scheme scheme;
    private final String checkValue;
    private final boolean whole;
    private transient SubjectKeyer.Session session;

    KeyId(ExecutorKey key, SubjectKeyer.Scheme scheme, String checkValue) {
      this(key, scheme, checkValue, false);
    }

    KeyId(ExecutorKey key, SubjectKeyer.Scheme scheme, String checkValue, boolean whole) {
      this.key = key;
      this.scheme = scheme;
      this.checkValue = checkValue;
      this.whole = whole;
    }

    @Override
    public Row call(String id) {
      if (id == null || id.isBlank()) {
        return null;
      }
      if (session == null) {
        SubjectKeyer keyer = SubjectKeyer.from(key.open()).withScheme(scheme);
        if (!keyer.checkValue().equals(checkValue)) {
          throw new KeyException("the key the executors open for the consent ledger ("
              + key.keyId() + ") is not the ledger's key: its subject keys would match no "
              + "decision; give every executor the ledger's key");
        }
        session = keyer.session();
      }
      byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
      session.key(utf8, 0, utf8.length);
      return RowFactory.create(whole ? session.high()
          : DecisionSnapshot.comparableHigh(session.high()), session.low());
    }
  }
}
