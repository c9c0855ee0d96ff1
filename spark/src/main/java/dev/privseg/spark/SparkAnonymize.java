package dev.privseg.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.sum;

import dev.privseg.anonymization.search.ClassTable;
import dev.privseg.anonymization.search.GeneralizationAnonymizer;
import dev.privseg.anonymization.search.GeneralizationChoice;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.Schema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The anonymize stage on Spark, for full-domain generalization: the executors count the
 * equivalence classes on the quasi-identifiers (with each class's sensitive values) by
 * aggregation; the driver receives the classes, never the rows, and runs the local optimal
 * lattice search on them ({@link GeneralizationAnonymizer#search(ClassTable)}); the executors
 * then write each quasi-identifier's label at the chosen level and drop the rows of suppressed
 * classes. Values and classes reach the search in the order of their first row, so that it
 * chooses the local engine's node with the local figures, to the last bit.
 */
final class SparkAnonymize {
  /** A number increasing with the rows' order, for the order of first rows. */
  private static final String ROW = "__privseg_anonymize_row";
  private static final String ROWS = "__privseg_anonymize_rows";
  private static final String FIRST = "__privseg_anonymize_first";
  private static final String RELEASED = "__privseg_anonymize_released";
  /** Aggregate rows the driver fetches per job. */
  private static final long FETCHED = 250_000;

  private final GeneralizationAnonymizer anonymizer;

  SparkAnonymize(GeneralizationAnonymizer anonymizer) {
    this.anonymizer = anonymizer;
  }

  /**
   * What the stage releases.
   *
   * @param rows the released rows, quasi-identifiers generalized, in the input's order
   * @param schema the fields of {@code rows}: a generalized quasi-identifier is categorical
   * @param dictionaries per generalized quasi-identifier, its labels in the local order
   * @param input the rows the stage was given
   * @param suppressed the rows suppressed
   * @param summary the record's summary of what the anonymization achieved
   * @param guarantees what holds for every released row
   * @param covered the fields the guarantees cover
   * @param originals the released rows with their original values, in the same order (to
   *     measure the anonymization's impact)
   * @param release drops what the stage cached
   * @param choice a generalization's choice; null for another anonymizer
   */
  record Anonymized(Dataset<Row> rows, Schema schema, Map<String, List<String>> dictionaries,
      int input, int suppressed, Map<String, Object> summary, List<String> guarantees,
      List<String> covered, Dataset<Row> originals, Runnable release,
      GeneralizationChoice choice) {}

  /**
   * Checks the anonymizer against the fields it will see, as the local engine does and in its
   * words, before any row is read.
   *
   * @throws ConfigurationException naming the field
   */
  void check(Schema features) {
    anonymizer.lattice(dev.privseg.core.dataset.Dataset.builder(features).build());
  }

  /**
   * Counts the classes of {@code counted}, searches them, and applies the choice to
   * {@code rows}, which hold the same rows in the same order (with other columns beside them).
   * {@code schema} describes the fields of both.
   *
   * @throws dev.privseg.core.anonymize.AnonymizationFailedException as the local search fails
   */
  Anonymized run(Dataset<Row> counted, Dataset<Row> rows, Schema schema) {
    List<String> qis = anonymizer.quasiIdentifiers();
    List<Codebook> books = new ArrayList<>();
    ClassTable table = classes(counted, schema, books);
    GeneralizationChoice choice = anonymizer.search(table);

    // Per quasi-identifier, each counted value's label, and whether the column takes them
    // (locally, a number kept at level 0 stays a number).
    Schema.Builder released = Schema.builder();
    Map<String, List<String>> dictionaries = new LinkedHashMap<>();
    int[] positions = new int[qis.size()];
    boolean[] replaced = new boolean[qis.size()];
    List<Map<Object, String>> labels = new ArrayList<>();
    for (int q = 0; q < qis.size(); q++) {
      String name = qis.get(q);
      positions[q] = rows.schema().fieldIndex(name);
      replaced[q] = choice.levels().get(name) != 0 || !books.get(q).numeric;
      Map<Object, String> byValue = new HashMap<>();
      List<Object> values = books.get(q).values;
      for (int v = 0; v < values.size(); v++) {
        byValue.put(key(values.get(v)), choice.label(name, v));
      }
      if (books.get(q).missing) {
        byValue.put(null, choice.label(name, values.size()));
      }
      if (replaced[q]) {
        dictionaries.put(name, choice.dictionary(name));
      }
      labels.add(byValue);
    }
    for (Field f : schema.fields()) {
      released.add(dictionaries.containsKey(f.name())
          ? new Field(f.name(), FieldType.CATEGORICAL, f.role(), false, List.of()) : f);
    }
    Set<List<Object>> suppressed = new HashSet<>();
    for (int c = 0; c < table.classes(); c++) {
      if (!choice.released(c)) {
        int[] codes = table.codes(c);
        Object[] values = new Object[qis.size()];
        for (int q = 0; q < qis.size(); q++) {
          values[q] = books.get(q).value(codes[q]);
        }
        suppressed.add(Arrays.asList(values));
      }
    }
    StructType out = new StructType();
    for (StructField f : rows.schema().fields()) {
      out = out.add(dictionaries.containsKey(f.name())
          ? new StructField(f.name(), DataTypes.StringType, true, f.metadata()) : f);
    }
    out = out.add(RELEASED, DataTypes.BooleanType, false);
    Broadcast<Rules> rules = JavaSparkContext.fromSparkContext(rows.sparkSession()
        .sparkContext()).broadcast(new Rules(qis, positions, replaced, labels, suppressed));
    Dataset<Row> generalized = rows.mapPartitions(new Generalize(rules, true),
        Encoders.row(out)).where(col(RELEASED)).drop(RELEASED);
    Dataset<Row> originals = rows.mapPartitions(new Generalize(rules, false),
        Encoders.row(rows.schema().add(RELEASED, DataTypes.BooleanType, false)))
        .where(col(RELEASED)).drop(RELEASED);
    return new Anonymized(generalized, released.build(), dictionaries, table.rows(),
        choice.suppressedRows(), choice.summary(), choice.guarantees(), choice.coveredFields(),
        originals, () -> { }, choice);
  }

  /**
   * The classes of {@code rows} on the quasi-identifiers, with their sensitive values: one pass
   * over the rows per sensitive field (one if there is none); the rest on the aggregates.
   */
  private ClassTable classes(Dataset<Row> rows, Schema schema, List<Codebook> books) {
    List<String> qis = anonymizer.quasiIdentifiers();
    List<String> sensitive = anonymizer.sensitiveFields();
    List<String> all = new ArrayList<>(qis);
    all.addAll(sensitive);
    // Rows count in the input's order: by the order they carry, else by their place here.
    List<Column> selected = new ArrayList<>(Arrays.asList(columns(all)));
    selected.add(Arrays.asList(rows.columns()).contains(SparkInput.ORDER)
        ? col(SparkInput.ORDER).as(ROW) : monotonically_increasing_id().as(ROW));
    Dataset<Row> base = rows.select(selected.toArray(Column[]::new));
    ClassTable.Builder b = ClassTable.builder(qis);
    Dataset<Row> first = entries(base, qis, sensitive.isEmpty() ? null : sensitive.get(0));
    try {
      Dataset<Row> classes = sensitive.isEmpty() ? first : first.groupBy(columns(qis))
          .agg(sum(col(ROWS)).as(ROWS), min(col(FIRST)).as(FIRST));
      for (String q : qis) {
        Codebook book = Codebook.of(schema.field(q), firstSeen(classes, q));
        books.add(book);
        b.values(q, book.texts, book.missing);
      }
      Iterator<Row> it = SparkErrors.action(() -> fetched(classes.orderBy(col(FIRST)))
          .toLocalIterator());
      int[] codes = new int[qis.size()];
      while (it.hasNext()) {
        Row r = it.next();
        for (int q = 0; q < qis.size(); q++) {
          codes[q] = books.get(q).code(r.get(q));
        }
        b.add(codes, rowCount(r.getLong(qis.size())));
      }
      for (int s = 0; s < sensitive.size(); s++) {
        Dataset<Row> entries = s == 0 ? first : entries(base, qis, sensitive.get(s));
        try {
          count(b, entries, schema.field(sensitive.get(s)), books);
        } finally {
          if (s > 0) {
            entries.unpersist(false);
          }
        }
      }
    } finally {
      first.unpersist(false);
    }
    return b.build();
  }

  /** One sensitive field's values and per-class counts, from its aggregates. */
  private static void count(ClassTable.Builder b, Dataset<Row> entries, Field field,
      List<Codebook> books) {
    int qis = books.size();
    Codebook book = Codebook.of(field, firstSeen(entries, field.name()));
    if (book.numeric) {
      b.sensitive(field.name(), book.numbers, book.missing);
    } else {
      b.sensitive(field.name(), book.texts, book.missing);
    }
    Iterator<Row> it = SparkErrors.action(() -> fetched(entries).toLocalIterator());
    int[] codes = new int[qis];
    while (it.hasNext()) {
      Row r = it.next();
      for (int q = 0; q < qis; q++) {
        codes[q] = books.get(q).code(r.get(q));
      }
      b.count(b.classOf(codes), field.name(), book.code(r.get(qis)), rowCount(r.getLong(qis + 1)));
    }
  }

  /**
   * The rows of each combination of the quasi-identifiers (and {@code sensitive}, if not null)
   * and the number of its first row; cached, as later jobs read it again.
   */
  private static Dataset<Row> entries(Dataset<Row> base, List<String> qis, String sensitive) {
    List<String> keys = new ArrayList<>(qis);
    if (sensitive != null) {
      keys.add(sensitive);
    }
    return base.groupBy(columns(keys))
        .agg(org.apache.spark.sql.functions.count(lit(1)).as(ROWS), min(col(ROW)).as(FIRST))
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /**
   * {@code aggregates} in partitions of about {@link #FETCHED} rows, in order: the driver fetches
   * one partition per job, and holds one at a time.
   */
  private static Dataset<Row> fetched(Dataset<Row> aggregates) {
    long rows = SparkErrors.action(aggregates::count);
    return aggregates.coalesce((int) Math.max(1, Math.min(Integer.MAX_VALUE,
        (rows + FETCHED - 1) / FETCHED)));
  }

  /** The distinct values of {@code field} in {@code aggregates}, by their first row. */
  private static List<Object> firstSeen(Dataset<Row> aggregates, String field) {
    List<Row> first = new ArrayList<>(SparkErrors.action(aggregates.groupBy(col(field))
        .agg(min(col(FIRST)))::collectAsList));
    first.sort(Comparator.comparingLong(r -> r.getLong(1)));
    List<Object> out = new ArrayList<>();
    first.forEach(r -> out.add(r.get(0)));
    return out;
  }

  private static int rowCount(long rows) {
    if (rows > Integer.MAX_VALUE) {
      throw new ConfigurationException("privseg on Spark takes at most " + Integer.MAX_VALUE
          + " rows but a class holds " + rows);
    }
    return (int) rows;
  }

  private static Column[] columns(List<String> names) {
    return names.stream().map(n -> col(n)).toArray(Column[]::new);
  }

  /** A Spark value as a lookup key: a zero is one value whatever its sign, as Spark groups it. */
  static Object key(Object value) {
    return value instanceof Double d ? (Object) (d + 0.0) : value;
  }

  /**
   * What the executors apply: each quasi-identifier's counted values with their labels, whether
   * its column takes them, and the suppressed classes.
   */
  record Rules(List<String> names, int[] positions, boolean[] replaced,
      List<Map<Object, String>> labels, Set<List<Object>> suppressed) implements Serializable {}

  /**
   * Marks whether each of a partition's rows is released and, with {@code labels}, writes its
   * quasi-identifiers' labels into it.
   */
  static final class Generalize implements MapPartitionsFunction<Row, Row>, Serializable {
    private static final long serialVersionUID = 1L;
    private final Broadcast<Rules> rules;
    private final boolean labels;

    Generalize(Broadcast<Rules> rules, boolean labels) {
      this.rules = rules;
      this.labels = labels;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      Rules r = rules.value();
      return RowValues.map(rows, row -> generalized(r, row));
    }

    private Row generalized(Rules r, Row row) {
      int[] positions = r.positions();
      Object[] values = RowValues.of(row, 1);
      boolean released = true;
      if (!r.suppressed().isEmpty()) {
        Object[] key = new Object[positions.length];
        for (int q = 0; q < positions.length; q++) {
          key[q] = key(values[positions[q]]);
        }
        released = !r.suppressed().contains(Arrays.asList(key));
      }
      for (int q = 0; q < positions.length; q++) {
        Map<Object, String> byValue = r.labels().get(q);
        Object value = key(values[positions[q]]);
        if (!byValue.containsKey(value)) {
          throw new ConfigurationException("field '" + r.names().get(q) + "' holds a value "
              + "the classes were not counted with: the input changed between Spark's jobs; "
              + "make it deterministic (cache or checkpoint it) before anonymizing");
        }
        if (labels && r.replaced()[q]) {
          values[positions[q]] = byValue.get(value);
        }
      }
      values[row.length()] = released;
      return RowFactory.create(values);
    }
  }
}
