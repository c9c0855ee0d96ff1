package dev.privseg.core.segment.rules;

import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.LongColumn;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/** A parsed rule: a boolean expression over one row's fields. Immutable. */
sealed interface Predicate {

  /** Binds the field references to {@code data}'s columns; throws naming an unknown field. */
  Bound bind(Dataset data);

  /** A predicate bound to columns, evaluated per row. */
  interface Bound {
    boolean test(int row);
  }

  /** {@code a and b}. */
  record And(Predicate left, Predicate right) implements Predicate {
    @Override
    public Bound bind(Dataset data) {
      Bound l = left.bind(data);
      Bound r = right.bind(data);
      return row -> l.test(row) && r.test(row);
    }
  }

  /** {@code a or b}. */
  record Or(Predicate left, Predicate right) implements Predicate {
    @Override
    public Bound bind(Dataset data) {
      Bound l = left.bind(data);
      Bound r = right.bind(data);
      return row -> l.test(row) || r.test(row);
    }
  }

  /** {@code not a}. */
  record Not(Predicate inner) implements Predicate {
    @Override
    public Bound bind(Dataset data) {
      Bound i = inner.bind(data);
      return row -> !i.test(row);
    }
  }

  /** {@code field is missing} / {@code field is not missing}. */
  record Missing(String field, boolean missing) implements Predicate {
    @Override
    public Bound bind(Dataset data) {
      Column c = data.column(field);
      return row -> c.isNull(row) == missing;
    }
  }

  /** {@code field OP number}; a missing value never matches. */
  record Compare(String field, String op, double value) implements Predicate {
    @Override
    public Bound bind(Dataset data) {
      Column c = data.column(field);
      if (!(c instanceof NumberColumn n)) {
        throw new RuleSyntaxException("field '" + field + "' is " + c.field().type()
            + ", so it cannot be compared with a number");
      }
      return switch (op) {
        case "<" -> row -> !n.isNull(row) && n.asDouble(row) < value;
        case "<=" -> row -> !n.isNull(row) && n.asDouble(row) <= value;
        case ">" -> row -> !n.isNull(row) && n.asDouble(row) > value;
        case ">=" -> row -> !n.isNull(row) && n.asDouble(row) >= value;
        case "=" -> row -> !n.isNull(row) && n.asDouble(row) == value;
        default -> row -> !n.isNull(row) && n.asDouble(row) != value;
      };
    }
  }

  /**
   * {@code field OP 'iso-8601'} with an ordering operator, for a date or timestamp field: a date
   * field compares by day, a timestamp field by millisecond ({@code '2025-07-01'} meaning its
   * first instant, UTC). A missing value never matches.
   */
  record Chronological(String field, String op, String text) implements Predicate {
    @Override
    public Bound bind(Dataset data) {
      Column c = data.column(field);
      if (!(c instanceof LongColumn l) || !isTime(c.field().type())) {
        throw new RuleSyntaxException("field '" + field + "' is " + c.field().type()
            + ": text compares with = or != only (only a DATE or TIMESTAMP field orders by "
            + "text)");
      }
      long value = timeValue(c.field(), text);
      return switch (op) {
        case "<" -> row -> !l.isNull(row) && l.get(row) < value;
        case "<=" -> row -> !l.isNull(row) && l.get(row) <= value;
        case ">" -> row -> !l.isNull(row) && l.get(row) > value;
        default -> row -> !l.isNull(row) && l.get(row) >= value;
      };
    }
  }

  private static boolean isTime(FieldType type) {
    return type == FieldType.DATE || type == FieldType.TIMESTAMP;
  }

  /** The stored value of ISO-8601 {@code text} in {@code field}: epoch day or millisecond. */
  private static long timeValue(Field field, String text) {
    try {
      if (field.type() == FieldType.DATE) {
        return LocalDate.parse(text).toEpochDay();
      }
      if (text.length() == 10) {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      }
      try {
        return Instant.parse(text).toEpochMilli();
      } catch (DateTimeParseException e) {
        return OffsetDateTime.parse(text).toInstant().toEpochMilli();
      }
    } catch (DateTimeParseException e) {
      throw new RuleSyntaxException("'" + text + "' is not an ISO-8601 "
          + (field.type() == FieldType.DATE ? "date (2025-07-01)"
              : "timestamp (2025-07-01T12:00:00Z) or date") + " for field '" + field.name()
          + "'");
    }
  }

  /** {@code field = 'label'}, {@code field != 'label'} or {@code field in ('a', 'b')}. */
  record Labels(String field, Set<String> labels, boolean negated) implements Predicate {
    @Override
    public Bound bind(Dataset data) {
      Column c = data.column(field);
      if (c instanceof LongColumn l && isTime(c.field().type())) {
        Set<Long> times = new java.util.HashSet<>();
        for (String label : labels) {
          times.add(timeValue(c.field(), label));
        }
        return row -> !l.isNull(row) && times.contains(l.get(row)) != negated;
      }
      if (c instanceof CategoricalColumn cat) {
        boolean[] member = new boolean[cat.cardinality()];
        for (int code = 0; code < member.length; code++) {
          member[code] = labels.contains(cat.label(code));
        }
        return row -> cat.code(row) >= 0 && member[cat.code(row)] != negated;
      }
      if (c instanceof StringColumn s) {
        return row -> !s.isNull(row) && labels.contains(s.get(row)) != negated;
      }
      throw new RuleSyntaxException("field '" + field + "' is " + c.field().type()
          + ", so it cannot be compared with text");
    }
  }

  /** All the field names a predicate refers to. */
  static void fields(Predicate p, List<String> out) {
    if (p instanceof And a) {
      fields(a.left(), out);
      fields(a.right(), out);
    } else if (p instanceof Or o) {
      fields(o.left(), out);
      fields(o.right(), out);
    } else if (p instanceof Not n) {
      fields(n.inner(), out);
    } else if (p instanceof Missing m) {
      out.add(m.field());
    } else if (p instanceof Compare c) {
      out.add(c.field());
    } else if (p instanceof Labels l) {
      out.add(l.field());
    } else if (p instanceof Chronological t) {
      out.add(t.field());
    }
  }
}
