package dev.privseg.core.dataset;

import dev.privseg.core.Checks;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.Schema;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link Dataset} row by row straight into primitive columns. A row is staged with the
 * {@code set} methods and then either committed with {@link #endRow()} or dropped with
 * {@link #discardRow(RejectReason)}: a rejected row never leaves half its values behind.
 *
 * <p>Strict by default: an invalid value throws {@link DataFormatException} naming the row and the
 * field. In lenient mode ({@link #lenient(boolean)}) a reader catches it, calls
 * {@link #discardRow(RejectReason)} and the reason is counted in the {@link ReadReport}.
 *
 * <p>Not thread-safe; one builder per reader.
 */
public final class DatasetBuilder {
  private final Schema schema;
  private final Field[] fields;
  private final ColumnBuffer[] buffers;
  private final boolean[] staged;
  private final EnumMap<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
  private long firstRow = 1;
  private long rowNumber = 1;
  private long accepted;
  private boolean lenient;

  DatasetBuilder(Schema schema) {
    this.schema = schema;
    this.fields = schema.fields().toArray(new Field[0]);
    this.buffers = new ColumnBuffer[fields.length];
    for (int i = 0; i < fields.length; i++) {
      buffers[i] = ColumnBuffer.forField(fields[i]);
    }
    this.staged = new boolean[fields.length];
  }

  /** The schema rows are checked against. */
  public Schema schema() {
    return schema;
  }

  /** Whether readers should skip and count bad rows instead of throwing. */
  public DatasetBuilder lenient(boolean lenient) {
    this.lenient = lenient;
    return this;
  }

  /** Whether this builder is lenient. */
  public boolean isLenient() {
    return lenient;
  }

  /**
   * Numbers rows from {@code first} rather than 1, for a builder that takes a part of a larger
   * input (errors then name the row of the whole input). Only before the first row is staged.
   *
   * @throws IllegalStateException if a row was already committed or discarded
   * @throws dev.privseg.core.ConfigurationException if {@code first} is less than 1
   */
  public DatasetBuilder firstRowNumber(long first) {
    Checks.check(first >= 1, "first row number must be >= 1 but was %s", first);
    if (rowNumber != firstRow) {
      throw new IllegalStateException("rows are numbered before the first one is added");
    }
    firstRow = first;
    rowNumber = first;
    return this;
  }

  /** The 1-based number of the row being staged. */
  public long rowNumber() {
    return rowNumber;
  }

  /**
   * Stages the text form of field {@code index}'s value; {@code null} or an empty string is a
   * missing value. Parses by the field's type (ISO-8601 for dates and timestamps). Numbers, dates
   * and timestamps may have white space around them, as padded exports do; one that is only
   * white space is missing.
   */
  public void setText(int index, String text) {
    Field f = fields[index];
    if (text != null && !text.isEmpty() && isQuantity(f.type())) {
      text = text.strip();
    }
    if (text == null || text.isEmpty()) {
      setNull(index);
      return;
    }
    try {
      buffers[index].stageText(text);
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      // ArithmeticException: an instant or date beyond the range of epoch milliseconds/days.
      throw new DataFormatException(rowNumber, f.name(), RejectReason.WRONG_TYPE,
          "value is not a valid " + f.type());
    } catch (UnknownCategory e) {
      throw new DataFormatException(rowNumber, f.name(), RejectReason.UNKNOWN_CATEGORY,
          "value is not one of the " + f.categories().size() + " declared categories");
    }
    staged[index] = true;
  }

  private static boolean isQuantity(FieldType type) {
    return type == FieldType.NUMERIC || type == FieldType.INTEGER || type == FieldType.DATE
        || type == FieldType.TIMESTAMP;
  }

  /** Stages a number for a NUMERIC or INTEGER field (an INTEGER must be whole). */
  public void setNumber(int index, double value) {
    Field f = fields[index];
    if (f.type() == FieldType.NUMERIC && Double.isFinite(value)) {
      ((DoubleBuffer) buffers[index]).staged = value;
    } else if (f.type() == FieldType.INTEGER && value == Math.rint(value)
        && Math.abs(value) < 0x1p63) {
      ((LongBuffer) buffers[index]).staged = (long) value;
    } else {
      throw new DataFormatException(rowNumber, f.name(), RejectReason.WRONG_TYPE,
          "value is not a valid " + f.type());
    }
    staged[index] = true;
  }

  /**
   * Stages a value of any supported Java type: {@code Number}, {@code CharSequence}, and for
   * dates {@code LocalDate} or {@code java.sql.Date}, for timestamps {@code Instant},
   * {@code OffsetDateTime}, {@code ZonedDateTime} or {@code java.util.Date}. A
   * {@code LocalDateTime} names no instant (it has no zone) and is rejected: convert it with the
   * zone it was recorded in.
   */
  public void setObject(int index, Object value) {
    if (value == null) {
      setNull(index);
    } else if (value instanceof Number n && fields[index].isNumeric()) {
      setNumber(index, n.doubleValue());
    } else if (value instanceof LocalDate d && fields[index].type() == FieldType.DATE) {
      ((LongBuffer) buffers[index]).staged = d.toEpochDay();
      staged[index] = true;
    } else if (value instanceof Instant t && fields[index].type() == FieldType.TIMESTAMP) {
      ((LongBuffer) buffers[index]).staged = t.toEpochMilli();
      staged[index] = true;
    } else if (value instanceof java.sql.Date d && fields[index].type() == FieldType.DATE) {
      setObject(index, d.toLocalDate());
    } else if (value instanceof java.util.Date d && fields[index].type() == FieldType.TIMESTAMP) {
      setObject(index, d.toInstant());
    } else if (value instanceof OffsetDateTime t
        && fields[index].type() == FieldType.TIMESTAMP) {
      setObject(index, t.toInstant());
    } else if (value instanceof java.time.ZonedDateTime t
        && fields[index].type() == FieldType.TIMESTAMP) {
      setObject(index, t.toInstant());
    } else if (value instanceof CharSequence || value instanceof Number
        || value instanceof Boolean || value instanceof Character) {
      setText(index, value.toString());
    } else {
      throw new DataFormatException(rowNumber, fields[index].name(), RejectReason.WRONG_TYPE,
          "a " + value.getClass().getSimpleName() + " cannot hold a " + fields[index].type());
    }
  }

  /** Stages a missing value. */
  public void setNull(int index) {
    staged[index] = false;
  }

  /**
   * Commits the staged row. Fields not staged are missing; a missing required field rejects the
   * row with {@link RejectReason#MISSING_REQUIRED}, and nothing of it is kept.
   */
  public void endRow() {
    for (int i = 0; i < fields.length; i++) {
      if (!staged[i] && fields[i].required()) {
        throw new DataFormatException(rowNumber, fields[i].name(), RejectReason.MISSING_REQUIRED,
            "required value is missing");
      }
    }
    for (int i = 0; i < fields.length; i++) {
      buffers[i].commit(staged[i]);
      staged[i] = false;
    }
    accepted++;
    rowNumber++;
  }

  /** Drops the staged row, counting it as rejected for {@code reason}. */
  public void discardRow(RejectReason reason) {
    Arrays.fill(staged, false);
    rejected.merge(reason, 1L, Long::sum);
    rowNumber++;
  }

  /** Stages the values of one row on a builder. */
  @FunctionalInterface
  public interface RowStager {
    /** Calls the {@code set} methods of {@code builder} for one row; may throw
     *  {@link DataFormatException}. */
    void stage(DatasetBuilder builder);
  }

  /**
   * Stages one row with {@code stager} and commits it. A row that breaks the schema throws
   * {@link DataFormatException} in strict mode; in lenient mode it is discarded and counted, and
   * this method returns {@code false}.
   */
  public boolean addRow(RowStager stager) {
    try {
      stager.stage(this);
      endRow();
      return true;
    } catch (DataFormatException e) {
      if (!lenient) {
        throw e;
      }
      discardRow(e.reason());
      return false;
    }
  }

  /** The rows committed so far. */
  public long rowsAccepted() {
    return accepted;
  }

  /** Builds the immutable dataset; the builder must not be used afterwards. */
  public Dataset build() {
    Column[] columns = new Column[fields.length];
    for (int i = 0; i < fields.length; i++) {
      columns[i] = buffers[i].build();
    }
    ReadReport report = new ReadReport(rowNumber - firstRow, accepted, rejected);
    return new Dataset(schema, columns, Math.toIntExact(accepted), report);
  }

  private static final class UnknownCategory extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnknownCategory() {
      super(null, null, false, false);
    }
  }

  /** Growable primitive storage for one column plus its staged value. */
  private abstract static class ColumnBuffer {
    final Field field;
    final NullMask.Builder nulls = new NullMask.Builder();
    int size;

    ColumnBuffer(Field field) {
      this.field = field;
    }

    static ColumnBuffer forField(Field f) {
      return switch (f.type()) {
        case NUMERIC -> new DoubleBuffer(f);
        case INTEGER, DATE, TIMESTAMP -> new LongBuffer(f);
        case CATEGORICAL -> new CodeBuffer(f);
        case TEXT, IDENTIFIER -> new StringBuffer(f);
      };
    }

    abstract void stageText(String text);

    abstract void commit(boolean present);

    abstract Column build();

    static int grow(int length) {
      return Math.max(16, length + (length >> 1));
    }
  }

  private static final class DoubleBuffer extends ColumnBuffer {
    double[] values = new double[16];
    double staged;

    DoubleBuffer(Field f) {
      super(f);
    }

    @Override
    void stageText(String text) {
      double v = dev.privseg.core.internal.Decimals.parse(text);
      if (!Double.isFinite(v)) {
        throw new NumberFormatException();
      }
      staged = v;
    }

    @Override
    void commit(boolean present) {
      if (size == values.length) {
        values = Arrays.copyOf(values, grow(size));
      }
      values[size++] = present ? staged : 0;
      nulls.append(!present);
    }

    @Override
    Column build() {
      return new NumericColumn(field, Arrays.copyOf(values, size), nulls.build());
    }
  }

  private static final class LongBuffer extends ColumnBuffer {
    long[] values = new long[16];
    long staged;

    LongBuffer(Field f) {
      super(f);
    }

    @Override
    void stageText(String text) {
      staged = switch (field.type()) {
        case DATE -> IsoDates.epochDay(text);
        case TIMESTAMP -> IsoDates.epochMilli(text);
        default -> dev.privseg.core.internal.Decimals.parseLong(text);
      };
    }

    @Override
    void commit(boolean present) {
      if (size == values.length) {
        values = Arrays.copyOf(values, grow(size));
      }
      values[size++] = present ? staged : 0;
      nulls.append(!present);
    }

    @Override
    Column build() {
      return new LongColumn(field, Arrays.copyOf(values, size), nulls.build());
    }
  }

  private static final class CodeBuffer extends ColumnBuffer {
    final Map<String, Integer> codes = new HashMap<>();
    final List<String> dictionary = new ArrayList<>();
    final boolean closed;
    int[] values = new int[16];
    int staged;

    CodeBuffer(Field f) {
      super(f);
      this.closed = f.hasClosedCategories();
      for (String c : f.categories()) {
        codes.put(c, dictionary.size());
        dictionary.add(c);
      }
    }

    @Override
    void stageText(String text) {
      Integer code = codes.get(text);
      if (code == null) {
        if (closed) {
          throw new UnknownCategory();
        }
        code = dictionary.size();
        codes.put(text, code);
        dictionary.add(text);
      }
      staged = code;
    }

    @Override
    void commit(boolean present) {
      if (size == values.length) {
        values = Arrays.copyOf(values, grow(size));
      }
      values[size++] = present ? staged : -1;
      nulls.append(!present);
    }

    @Override
    Column build() {
      return new CategoricalColumn(field, Arrays.copyOf(values, size), dictionary, nulls.build());
    }
  }

  private static final class StringBuffer extends ColumnBuffer {
    final StringColumn.Utf8Buffer values = new StringColumn.Utf8Buffer();
    String staged;

    StringBuffer(Field f) {
      super(f);
    }

    @Override
    void stageText(String text) {
      staged = text;
    }

    @Override
    void commit(boolean present) {
      values.append(present ? staged : "");
      staged = null;
      nulls.append(!present);
    }

    @Override
    Column build() {
      return values.build(field, nulls.build());
    }
  }
}
