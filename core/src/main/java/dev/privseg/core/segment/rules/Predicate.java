package dev.privseg.core.segment.rules;

import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.dataset.StringColumn;
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

  /** {@code field = 'label'}, {@code field != 'label'} or {@code field in ('a', 'b')}. */
  record Labels(String field, Set<String> labels, boolean negated) implements Predicate {
    @Override
    public Bound bind(Dataset data) {
      Column c = data.column(field);
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
    }
  }
}
