package dev.privseg.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.dataset.LongColumn;
import dev.privseg.core.dataset.NumericColumn;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.minimize.Coarsening;
import dev.privseg.core.minimize.MinimizationRules;
import dev.privseg.core.minimize.Retention;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.Schema;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The minimize stage on Spark, with the local stage's rules and words: rows past the retention
 * limit are left out and counted by reason; only the subject field and the kept fields are
 * selected; each coarsened field is coarsened on the executors by the same {@link Coarsening}
 * the local engine applies, a batch of rows at a time. The driver checks the rules on an empty
 * local dataset of the input's schema first, so every mistake is reported before any task runs,
 * as the local engine reports it.
 */
final class SparkMinimize {
  /** The prefix of the columns carrying a coarsened field's source values within the stage. */
  private static final String SOURCE = "__privseg_source_";
  /** The column holding a row's retention verdict while it is counted. */
  private static final String RETENTION = "__privseg_retention";
  /** Rows per batch handed to a coarsening on an executor. */
  static final int BATCH = 4096;

  private final MinimizationRules rules;
  private final String subjectField;

  SparkMinimize(MinimizationRules rules, String subjectField) {
    this.rules = rules;
    this.subjectField = subjectField;
  }

  /**
   * What the stage gives the next one.
   *
   * @param rows the subject field and the kept fields, coarsened, within the retention limit,
   *     and, last, {@link SparkInput#ORDER} if the stage's input carries it
   * @param schema the fields of {@code rows}
   * @param fields the fields kept, dropped and coarsened, for the record
   * @param retention rows excluded by the retention limit, by reason (only reasons that occurred)
   * @param dictionaries per coarsened categorical field, its categories in the local order
   * @param held per used categorical field that is not coarsened and whose categories are not
   *     declared, the values {@code rows} hold (for the order the input gives them)
   * @param withheld rows whose special-category values were withheld for want of explicit
   *     consent
   */
  record Minimized(Dataset<Row> rows, Schema schema, MinimizationRules.Outcome fields,
      Map<String, Long> retention, Map<String, List<String>> dictionaries,
      Map<String, java.util.Set<String>> held, long withheld) {}

  /**
   * Minimizes {@code admitted}, rows of {@code schema} in canonical types (as {@link SparkInput}
   * gives them) and, when special categories are kept, the gate's {@link SparkGate#EXPLICIT},
   * for a run at {@code at}: a special-category value is withheld (missing) from every row whose
   * explicit consent the gate does not vouch for, after coarsening, as the local stage does.
   *
   * @throws ConfigurationException naming the field, as the local stage does
   */
  Minimized run(Dataset<Row> admitted, Schema schema, Instant at) {
    dev.privseg.core.dataset.Dataset none = dev.privseg.core.dataset.Dataset.builder(schema)
        .build();
    List<String> special = rules.specialCategories();
    Dataset<Row> rows = admitted;
    Map<String, Long> retention = new LinkedHashMap<>();
    if (rules.retention().isPresent()) {
      Retention limit = rules.retention().get();
      limit.select(none, at); // the local checks of the field, in the local words
      rows = rows.withColumn(RETENTION, verdict(limit, schema.field(limit.field()).type(), at));
      for (Row r : SparkErrors.action(rows.groupBy(col(RETENTION)).count()::collectAsList)) {
        if (!r.isNullAt(0)) {
          retention.put(r.getString(0), r.getLong(1));
        }
      }
      rows = rows.where(col(RETENTION).isNull()).drop(RETENTION);
    }
    MinimizationRules.Outcome fields = rules.apply(none, List.of(subjectField));
    Schema out = fields.dataset().schema();
    Map<String, List<String>> dictionaries = new LinkedHashMap<>();
    List<String> categorical = new ArrayList<>();
    for (String name : rules.coarsening().keySet()) {
      if (out.field(name).type() == FieldType.CATEGORICAL) {
        categorical.add(name);
      }
    }
    List<org.apache.spark.sql.Column> columns = new ArrayList<>();
    out.names().forEach(n -> columns.add(col(n)));
    // Each coarse category's least source value, to order the categories as the rule orders
    // them; computed here and dropped, so no source value leaves the stage.
    StructType struct = struct(out);
    for (String name : categorical) {
      columns.add(col(name).as(SOURCE + name));
      struct = struct.add(SOURCE + name, SparkInput.canonical(schema.field(name).type()), true);
    }
    if (!special.isEmpty()) {
      columns.add(col(SparkGate.EXPLICIT));
      struct = struct.add(SparkGate.EXPLICIT, DataTypes.BooleanType, false);
    }
    if (java.util.Arrays.asList(admitted.columns()).contains(SparkInput.ORDER)) {
      columns.add(col(SparkInput.ORDER));
      struct = struct.add(SparkInput.ORDER, DataTypes.LongType, false);
    }
    rows = rows.select(columns.toArray(org.apache.spark.sql.Column[]::new));
    if (!rules.coarsening().isEmpty()) {
      rows = rows.mapPartitions(new Coarsen(schema, out, struct.size(), rules.coarsening()),
          Encoders.row(struct));
    }
    long withheld = 0;
    if (!special.isEmpty()) {
      // GDPR Art. 9(2)(a): the coarsened value (and the source it came from) only where the gate
      // vouches for explicit consent; counted as the local stage counts, row by row.
      for (String name : special) {
        rows = rows.withColumn(name, when(col(SparkGate.EXPLICIT), col(name)));
        if (categorical.contains(name)) {
          rows = rows.withColumn(SOURCE + name, when(col(SparkGate.EXPLICIT),
              col(SOURCE + name)));
        }
      }
      withheld = SparkErrors.action(rows.where(col(SparkGate.EXPLICIT).unary_$bang())::count);
    }
    List<String> open = new ArrayList<>();
    for (String name : fields.used()) {
      Field f = out.field(name);
      if (f.type() == FieldType.CATEGORICAL && !categorical.contains(name)
          && !f.hasClosedCategories()) {
        open.add(name);
      }
    }
    Map<String, java.util.Set<String>> held = new LinkedHashMap<>();
    Map<String, List<Row>> least = values(rows, schema, categorical, open);
    for (String name : categorical) {
      dictionaries.put(name, dictionary(least.get(name), schema.field(name),
          rules.coarsening().get(name)));
    }
    for (String name : open) {
      java.util.Set<String> values = new java.util.HashSet<>();
      least.get(name).forEach(r -> values.add(r.getString(0)));
      held.put(name, values);
    }
    rows = rows.drop(categorical.stream().map(n -> SOURCE + n).toArray(String[]::new));
    if (!special.isEmpty()) {
      rows = rows.drop(SparkGate.EXPLICIT);
    }
    return new Minimized(rows, out, new MinimizationRules.Outcome(none, fields.used(),
        fields.dropped(), fields.coarsened()), retention, dictionaries, held, withheld);
  }

  /**
   * In one pass over {@code rows}, the values each field of {@code coarsened} and of
   * {@code open} holds (missing values left out): for a coarsened field, each value (a coarse
   * category) with its least source value; for an open field, each value alone. One job
   * however many fields: each row gives one entry per field, grouped by (field, value).
   */
  private static Map<String, List<Row>> values(Dataset<Row> rows, Schema schema,
      List<String> coarsened, List<String> open) {
    List<String> names = new ArrayList<>(coarsened);
    names.addAll(open);
    Map<String, List<Row>> out = new LinkedHashMap<>();
    names.forEach(n -> out.put(n, new ArrayList<>()));
    if (names.isEmpty()) {
      return out;
    }
    List<org.apache.spark.sql.Column> entries = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      List<org.apache.spark.sql.Column> parts = new ArrayList<>();
      parts.add(lit(i).as("f"));
      parts.add(col(names.get(i)).as("v"));
      for (int j = 0; j < coarsened.size(); j++) {
        String source = coarsened.get(j);
        parts.add((i == j ? col(SOURCE + source)
            : lit(null).cast(SparkInput.canonical(schema.field(source).type()))).as("s" + j));
      }
      entries.add(functions.struct(parts.toArray(org.apache.spark.sql.Column[]::new)));
    }
    List<org.apache.spark.sql.Column> least = new ArrayList<>();
    for (int j = 0; j < coarsened.size(); j++) {
      least.add(functions.min(col("s" + j)));
    }
    Dataset<Row> entry = rows.select(functions.explode(functions.array(
        entries.toArray(org.apache.spark.sql.Column[]::new))).as("e")).select("e.*")
        .where(col("v").isNotNull());
    Dataset<Row> grouped = least.isEmpty() ? entry.select("f", "v").distinct()
        : entry.groupBy(col("f"), col("v")).agg(least.get(0),
            least.subList(1, least.size()).toArray(org.apache.spark.sql.Column[]::new));
    for (Row r : SparkErrors.action(grouped::collectAsList)) {
      int f = r.getInt(0);
      out.get(names.get(f)).add(f < coarsened.size()
          ? RowFactory.create(r.getString(1), r.get(2 + f)) : RowFactory.create(r.getString(1)));
    }
    return out;
  }

  /**
   * The dictionary the local rule gives the coarsened field {@code source} on rows whose coarse
   * categories and their least source values are {@code least}: the rule applied to each coarse
   * category's least source value orders the categories as it orders them on all the rows (by
   * their least value, or by label), and a rule with declared categories gives them all.
   */
  private static List<String> dictionary(List<Row> least, Field source, Coarsening rule) {
    DatasetBuilder b = dev.privseg.core.dataset.Dataset.builder(Schema.builder()
        .add(source).build());
    for (Row r : least) {
      b.setObject(0, r.get(1));
      b.endRow();
    }
    CategoricalColumn coarse = (CategoricalColumn) rule.apply(b.build().columns().get(0));
    for (Row r : least) {
      if (!coarse.dictionary().contains(r.getString(0))) {
        throw new ConfigurationException("field '" + source.name() + "' is coarsened by a rule "
            + "(" + rule.description() + ") whose category of a value depends on other rows; "
            + "the Spark engine needs a rule that coarsens each value on its own");
      }
    }
    return coarse.dictionary();
  }

  /**
   * Null for a row within the limit, else why it is not: {@code NO_DATE} or
   * {@code OLDER_THAN_LIMIT}, as the local stage records them. Compared as the local stage
   * compares: epoch days for a date, epoch milliseconds for an instant.
   */
  private static org.apache.spark.sql.Column verdict(Retention limit, FieldType type,
      Instant at) {
    Instant cutoff = limit.cutoff(at);
    Object first = type == FieldType.DATE ? LocalDate.ofInstant(cutoff, ZoneOffset.UTC)
        : Instant.ofEpochMilli(cutoff.toEpochMilli());
    org.apache.spark.sql.Column date = col(limit.field());
    return when(date.isNull(), lit("NO_DATE"))
        .when(date.lt(lit(first)), lit("OLDER_THAN_LIMIT"));
  }

  /** The Spark schema of privseg fields, in canonical types. */
  static StructType struct(Schema schema) {
    StructType struct = new StructType();
    for (Field f : schema.fields()) {
      struct = struct.add(f.name(), SparkInput.canonical(f.type()), true);
    }
    return struct;
  }

  /**
   * Coarsens a partition a batch at a time with the local rules: each coarsened field's values
   * become a local column, the rule is applied to it, and its output replaces them.
   */
  static final class Coarsen implements MapPartitionsFunction<Row, Row>, Serializable {
    private static final long serialVersionUID = 1L;
    private final int width;
    private final int[] positions;
    private final Field[] sources;
    private final Coarsening[] coarsenings;

    Coarsen(Schema in, Schema out, int width, Map<String, Coarsening> coarsening) {
      this.width = width;
      this.positions = new int[coarsening.size()];
      this.sources = new Field[coarsening.size()];
      this.coarsenings = new Coarsening[coarsening.size()];
      int i = 0;
      for (Map.Entry<String, Coarsening> e : coarsening.entrySet()) {
        Field produced = out.field(e.getKey());
        if (!(e.getValue() instanceof Serializable)) {
          throw new ConfigurationException("field '" + e.getKey() + "' is coarsened by a rule ("
              + e.getValue().description() + ") that cannot be sent to Spark's executors: its "
              + "class does not implement java.io.Serializable");
        }
        if (produced.type() == FieldType.DATE || produced.type() == FieldType.TIMESTAMP) {
          throw new ConfigurationException("field '" + e.getKey() + "' is coarsened to a "
              + produced.type() + ", which the Spark engine does not carry; coarsen it to "
              + "categories or numbers");
        }
        positions[i] = out.indexOf(e.getKey());
        sources[i] = in.field(e.getKey());
        coarsenings[i] = e.getValue();
        i++;
      }
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
      return Batches.of(input, BATCH, batch -> {
        coarsen(batch);
        return batch;
      });
    }

    /** Replaces the batch's rows by their coarsened copies. */
    private void coarsen(List<Row> batch) {
      Object[][] values = new Object[batch.size()][];
      for (int r = 0; r < values.length; r++) {
        values[r] = new Object[width];
        for (int c = 0; c < width; c++) {
          values[r][c] = batch.get(r).get(c);
        }
      }
      for (int i = 0; i < positions.length; i++) {
        int p = positions[i];
        DatasetBuilder b = dev.privseg.core.dataset.Dataset.builder(Schema.builder()
            .add(sources[i]).build());
        for (Object[] row : values) {
          b.setObject(0, row[p]);
          b.endRow();
        }
        Column coarse = coarsenings[i].apply(b.build().columns().get(0));
        for (int r = 0; r < values.length; r++) {
          values[r][p] = value(coarse, r);
        }
      }
      for (int r = 0; r < values.length; r++) {
        batch.set(r, RowFactory.create(values[r]));
      }
    }

    /** Row {@code r} of a local column as the Spark value of its canonical type. */
    private static Object value(Column c, int r) {
      if (c.isNull(r)) {
        return null;
      }
      if (c instanceof CategoricalColumn cat) {
        return cat.label(cat.code(r));
      }
      if (c instanceof StringColumn s) {
        return s.get(r);
      }
      if (c instanceof LongColumn l) {
        return l.get(r);
      }
      return ((NumericColumn) c).get(r);
    }
  }
}
