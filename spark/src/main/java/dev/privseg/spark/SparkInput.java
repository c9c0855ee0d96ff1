package dev.privseg.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.when;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.RejectReason;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.Schema;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The read stage on Spark: a {@code Dataset<Row>} taken as rows of a privseg {@link Schema}, with
 * the local reader's rules (an empty string is a missing value; a row is rejected for the first
 * field, in schema order, whose value its type cannot hold, else for a missing required value)
 * and only the fields a run needs selected, in canonical types: strings for identifiers, text
 * and categories, {@code double} for numeric, {@code long} for integer, {@code date} and
 * {@code timestamp}. The rejection counts come from one aggregation, never from accumulators.
 */
final class SparkInput {
  /** The column holding a row's rejection reason while the input is checked. */
  private static final String REASON = "__privseg_reject_reason";
  /** The index of the first field whose value its type cannot hold (the reader stops there). */
  private static final String FIRST_ERROR = "__privseg_first_error";
  /** Prefix of the columns holding text fields' values stripped of white space. */
  private static final String STRIPPED = "__privseg_stripped_";
  /** A number increasing with the rows' order in the input. */
  private static final String INPUT_ROW = "__privseg_input_row";
  /** The input order of an accepted row, carried through the stages that shuffle. */
  static final String ORDER = "__privseg_order";

  private final Schema schema;

  SparkInput(Schema schema) {
    this.schema = schema;
  }

  /**
   * Checks that {@code input} has every field of the schema in a type that can hold it.
   *
   * @throws ConfigurationException naming the field that is missing or of another type
   */
  void checkColumns(Dataset<Row> input) {
    StructType struct = input.schema();
    for (Field f : schema.fields()) {
      StructField column = find(struct, f.name());
      if (column == null) {
        throw new ConfigurationException("field '" + f.name() + "' of the schema is not a "
            + "column of the Spark input " + List.of(struct.fieldNames()));
      }
      if (!holds(f.type(), column.dataType())) {
        throw new ConfigurationException("field '" + f.name() + "' is " + f.type()
            + " but the Spark input's column is " + column.dataType().simpleString()
            + "; cast it, or read the source with a schema" + (f.type() == FieldType.TIMESTAMP
                && column.dataType() instanceof StringType ? " (timestamps are not read from "
                + "text: Spark's and privseg's time zones could differ)" : ""));
      }
    }
  }

  private static StructField find(StructType struct, String name) {
    for (StructField f : struct.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }

  /**
   * Whether a Spark column of {@code type} can hold a privseg field of {@code fieldType}: a
   * number, integer or date may also be text, read as privseg's CSV reader reads it.
   */
  static boolean holds(FieldType fieldType, DataType type) {
    return switch (fieldType) {
      case NUMERIC -> integral(type) || type instanceof FloatType || type instanceof DoubleType
          || type instanceof DecimalType || type instanceof StringType;
      case INTEGER -> integral(type) || type instanceof StringType;
      case DATE -> type instanceof DateType || type instanceof StringType;
      case TIMESTAMP -> type instanceof TimestampType;
      case CATEGORICAL, TEXT, IDENTIFIER -> type instanceof StringType;
    };
  }

  private static boolean integral(DataType type) {
    return type instanceof ByteType || type instanceof ShortType || type instanceof IntegerType
        || type instanceof LongType;
  }

  /** The canonical Spark type of a privseg field type. */
  static DataType canonical(FieldType type) {
    return switch (type) {
      case NUMERIC -> DataTypes.DoubleType;
      case INTEGER -> DataTypes.LongType;
      case DATE -> DataTypes.DateType;
      case TIMESTAMP -> DataTypes.TimestampType;
      case CATEGORICAL, TEXT, IDENTIFIER -> DataTypes.StringType;
    };
  }

  /**
   * The input, each row tagged with the reason it is rejected (null if accepted), every schema
   * field in its canonical type and empty strings made missing.
   */
  Dataset<Row> tagged(Dataset<Row> input) {
    checkColumns(input);
    for (Field f : schema.fields()) {
      if (!(canonical(f.type()) instanceof StringType)
          && find(input.schema(), f.name()).dataType() instanceof StringType) {
        input = input.withColumn(stripped(f), org.apache.spark.sql.functions.regexp_replace(
            col(f.name()), "^\\s+|\\s+$", ""));
      }
    }
    List<Column> columns = new ArrayList<>();
    List<Column> reasons = new ArrayList<>();
    List<Column> firstError = new ArrayList<>();
    Column missingRequired = lit(false);
    for (Field f : schema.fields()) {
      boolean text = !(canonical(f.type()) instanceof StringType)
          && find(input.schema(), f.name()).dataType() instanceof StringType;
      Column value = text ? parsed(f) : value(f);
      columns.add(value.as(f.name()));
      Column wrong = text ? unparsable(f) : wrongValue(f);
      if (wrong != null) {
        reasons.add(when(wrong, lit(reasonFor(f).name())));
        firstError.add(when(wrong, lit(schema.indexOf(f.name()))));
      }
      if (f.required()) {
        missingRequired = missingRequired.or(value.isNull());
      }
    }
    reasons.add(when(missingRequired, lit(RejectReason.MISSING_REQUIRED.name())));
    columns.add(coalesce(reasons.toArray(Column[]::new)).as(REASON));
    firstError.add(lit(Integer.MAX_VALUE));
    columns.add(coalesce(firstError.toArray(Column[]::new)).as(FIRST_ERROR));
    columns.add(monotonically_increasing_id().as(INPUT_ROW));
    return input.select(columns.toArray(Column[]::new));
  }

  /**
   * Per categorical field of {@code fields} without declared categories (one job each), its
   * labels in the order the local
   * reader's dictionary has them: by the first row of the input, rejected or not, in which the
   * reader took the value (a row is read field by field and left at the first value its type
   * cannot hold, so a later field's value in such a row is never taken). Declared categories
   * are the field's dictionary as declared.
   */
  Map<String, List<String>> firstSeen(Dataset<Row> tagged, java.util.Collection<String> fields) {
    Map<String, List<String>> out = new java.util.LinkedHashMap<>();
    for (Field f : schema.fields()) {
      if (f.type() != FieldType.CATEGORICAL || !fields.contains(f.name())) {
        continue;
      }
      if (f.hasClosedCategories()) {
        out.put(f.name(), f.categories());
        continue;
      }
      List<Row> first = SparkErrors.action(tagged
          .where(col(f.name()).isNotNull().and(col(FIRST_ERROR).gt(schema.indexOf(f.name()))))
          .groupBy(col(f.name())).agg(org.apache.spark.sql.functions.min(col(INPUT_ROW)))
          ::collectAsList);
      List<Row> ordered = new ArrayList<>(first);
      ordered.sort(java.util.Comparator.comparingLong(r -> r.getLong(1)));
      List<String> labels = new ArrayList<>();
      ordered.forEach(r -> labels.add(r.getString(0)));
      out.put(f.name(), List.copyOf(labels));
    }
    return out;
  }

  /** The field's value in its canonical type; an empty string is missing. */
  private static Column value(Field f) {
    Column raw = col(f.name());
    if (canonical(f.type()) == DataTypes.StringType) {
      return when(raw.equalTo(lit("")), lit(null).cast(DataTypes.StringType)).otherwise(raw);
    }
    if (f.type() == FieldType.TIMESTAMP) {
      // privseg holds instants to the millisecond (floored, as Instant.toEpochMilli does).
      return date_trunc("millisecond", raw);
    }
    return raw.cast(canonical(f.type()));
  }

  /**
   * The plain forms privseg's reader takes, after white space is stripped: a decimal number
   * without hexadecimal, suffixes, NaN or infinities; a whole number; an ISO date.
   */
  private static String form(FieldType type) {
    return switch (type) {
      case NUMERIC -> "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$";
      case INTEGER -> "^[+-]?[0-9]+$";
      default -> "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
    };
  }

  /** The column holding a text field's value without the white space around it. */
  private String stripped(Field f) {
    return STRIPPED + schema.indexOf(f.name());
  }

  /**
   * A number, integer or date given as text, parsed (a cast that gives null rather than fail,
   * as Spark 3.5's and 4's SQL both have it); blank text is missing.
   */
  private Column parsed(Field f) {
    Column s = col(stripped(f));
    return when(s.rlike(form(f.type())), org.apache.spark.sql.functions.expr("try_cast(`"
        + stripped(f) + "` AS " + canonical(f.type()).sql() + ")"));
  }

  /**
   * When a number, integer or date given as text is not one: not blank, and not in the plain
   * form, or out of the type's range (a number beyond a double's, an integer beyond a long's,
   * a day that does not exist).
   */
  private Column unparsable(Field f) {
    Column s = col(stripped(f));
    Column bad = s.notEqual(lit("")).and(parsed(f).isNull());
    if (f.type() == FieldType.NUMERIC) {
      Column v = parsed(f);
      bad = bad.or(v.equalTo(lit(Double.POSITIVE_INFINITY)))
          .or(v.equalTo(lit(Double.NEGATIVE_INFINITY)));
    }
    return col(f.name()).isNotNull().and(bad);
  }

  /** When field {@code f} holds a value its type cannot; null if every value fits. */
  private static Column wrongValue(Field f) {
    Column raw = col(f.name());
    return switch (f.type()) {
      // NaN and infinities are not numbers a segment can be computed from.
      case NUMERIC -> raw.isNotNull().and(isnan(raw.cast(DataTypes.DoubleType))
          .or(raw.cast(DataTypes.DoubleType).equalTo(lit(Double.POSITIVE_INFINITY)))
          .or(raw.cast(DataTypes.DoubleType).equalTo(lit(Double.NEGATIVE_INFINITY))));
      case CATEGORICAL -> f.hasClosedCategories()
          ? raw.isNotNull().and(raw.notEqual(lit("")))
              .and(raw.isin(f.categories().toArray()).unary_$bang())
          : null;
      default -> null;
    };
  }

  private static RejectReason reasonFor(Field f) {
    return f.type() == FieldType.CATEGORICAL ? RejectReason.UNKNOWN_CATEGORY
        : RejectReason.WRONG_TYPE;
  }

  /** The accepted rows of a {@link #tagged} input, with the fields {@code names} only. */
  static Dataset<Row> accepted(Dataset<Row> tagged, List<String> names) {
    return tagged.where(col(REASON).isNull())
        .select(names.stream().map(n -> col(n)).toArray(Column[]::new));
  }

  /**
   * The accepted rows of a {@link #tagged} input, with the fields {@code names} and, last, the
   * column {@link #ORDER}, which increases with the rows' order in the input: stages that
   * shuffle (a join) sort by it again, so that rows reach the segment stage in input order.
   */
  static Dataset<Row> acceptedInOrder(Dataset<Row> tagged, List<String> names) {
    List<Column> columns = new ArrayList<>();
    names.forEach(n -> columns.add(col(n)));
    columns.add(col(INPUT_ROW).as(ORDER));
    return tagged.where(col(REASON).isNull()).select(columns.toArray(Column[]::new));
  }

  /**
   * The rows of a {@link #tagged} input and the rows rejected, by reason, from one aggregation.
   */
  static Counts counts(Dataset<Row> tagged) {
    long rows = 0;
    Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
    for (Row r : SparkErrors.action(tagged.groupBy(col(REASON)).count()::collectAsList)) {
      long n = r.getLong(1);
      rows += n;
      if (!r.isNullAt(0)) {
        rejected.put(RejectReason.valueOf(r.getString(0)), n);
      }
    }
    return new Counts(rows, rejected);
  }

  /**
   * The read's counts.
   *
   * @param rows the rows in the input
   * @param rejected the rows rejected, by reason (only reasons that occurred)
   */
  record Counts(long rows, Map<RejectReason, Long> rejected) {}
}
