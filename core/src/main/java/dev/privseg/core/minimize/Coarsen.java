package dev.privseg.core.minimize;

import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.LongColumn;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.dataset.NumericColumn;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Factories for the built-in {@link Coarsening} rules.
 *
 * <table>
 *   <caption>Rules, the field types they take and what they produce</caption>
 *   <tr><th>rule</th><th>input</th><th>output</th></tr>
 *   <tr><td>{@link #bands(double)}, {@link #bands(double...)}</td><td>NUMERIC, INTEGER</td>
 *       <td>CATEGORICAL band labels such as {@code [30, 40)}</td></tr>
 *   <tr><td>{@link #prefix(int)}</td><td>TEXT, CATEGORICAL, IDENTIFIER</td>
 *       <td>CATEGORICAL prefixes</td></tr>
 *   <tr><td>{@link #toMonth()}, {@link #toYear()}</td><td>DATE, TIMESTAMP</td>
 *       <td>CATEGORICAL {@code 2024-03} or {@code 2024}</td></tr>
 *   <tr><td>{@link #topCode(double)}, {@link #bottomCode(double)}</td><td>NUMERIC, INTEGER</td>
 *       <td>the same type, clamped</td></tr>
 * </table>
 */
public final class Coarsen {
  private Coarsen() {}

  /** Fixed-width bands starting at 0: {@code [0, w)}, {@code [w, 2w)}, ... */
  public static Coarsening bands(double width) {
    Checks.positive(width, "band width");
    return new Banding("bands of width " + fmt(width), width);
  }

  /**
   * Bands between increasing {@code edges}: values below the first edge fall in {@code < e0},
   * values at or above the last in {@code >= en}, others in {@code [ei, ei+1)}. The bands are a
   * closed set known before any data: the coarsened field declares all of them as its categories
   * (so differentially private releases can use it), in band order.
   */
  public static Coarsening bands(double... edges) {
    Checks.check(edges.length >= 1, "bands need at least one edge");
    double[] e = edges.clone();
    for (int i = 1; i < e.length; i++) {
      Checks.check(e[i] > e[i - 1], "band edges must increase but edge %s (%s) <= edge %s (%s)",
          i, e[i], i - 1, e[i - 1]);
    }
    List<String> domain = new ArrayList<>();
    domain.add("< " + fmt(e[0]));
    for (int band = 0; band < e.length - 1; band++) {
      domain.add("[" + fmt(e[band]) + ", " + fmt(e[band + 1]) + ")");
    }
    domain.add(">= " + fmt(e[e.length - 1]));
    return new EdgeBands("bands at edges " + Arrays.toString(e), e, List.copyOf(domain));
  }

  /** The first {@code length} characters of a string (shorter strings are kept whole). */
  public static Coarsening prefix(int length) {
    Checks.atLeast(length, 1, "prefix length");
    return new Prefix("prefix of " + length + " characters", length);
  }

  /** A date or instant (UTC) reduced to its month, {@code yyyy-MM}. */
  public static Coarsening toMonth() {
    return new DateTruncation(true);
  }

  /** A date or instant (UTC) reduced to its year, {@code yyyy}. */
  public static Coarsening toYear() {
    return new DateTruncation(false);
  }

  /** Values above {@code max} are replaced by {@code max} (top-coding). */
  public static Coarsening topCode(double max) {
    return new Clamp(Double.NEGATIVE_INFINITY, max, "top-coded at " + fmt(max));
  }

  /** Values below {@code min} are replaced by {@code min} (bottom-coding). */
  public static Coarsening bottomCode(double min) {
    return new Clamp(min, Double.POSITIVE_INFINITY, "bottom-coded at " + fmt(min));
  }

  static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  static ConfigurationException wrongType(Column c, String rule) {
    return new ConfigurationException("field '" + c.name() + "' of type " + c.field().type()
        + " cannot be coarsened with " + rule);
  }

  /**
   * Builds a categorical column row by row from labels, sharing codes for equal labels; the
   * dictionary is put in {@code order} so profiles list categories naturally.
   */
  static CategoricalColumn categorical(Column source, IntFunction<String> labelOfRow,
      Comparator<String> order) {
    Map<String, Integer> codes = new HashMap<>();
    List<String> dictionary = new ArrayList<>();
    int[] out = new int[source.size()];
    for (int r = 0; r < out.length; r++) {
      if (source.isNull(r)) {
        out[r] = -1;
        continue;
      }
      String label = labelOfRow.apply(r);
      Integer code = codes.get(label);
      if (code == null) {
        code = dictionary.size();
        codes.put(label, code);
        dictionary.add(label);
      }
      out[r] = code;
    }
    // Reorder the dictionary and remap the codes: one pass over the rows.
    List<String> sorted = new ArrayList<>(dictionary);
    sorted.sort(order);
    int[] remap = new int[dictionary.size()];
    for (int i = 0; i < remap.length; i++) {
      remap[i] = sorted.indexOf(dictionary.get(i));
    }
    for (int r = 0; r < out.length; r++) {
      if (out[r] >= 0) {
        out[r] = remap[out[r]];
      }
    }
    dictionary = sorted;
    Field f = source.field();
    Field coarse = new Field(f.name(), FieldType.CATEGORICAL, f.role(), f.required(), List.of());
    return CategoricalColumn.of(coarse, out, dictionary);
  }

  /** Fixed-width bands; serializable, as every built-in rule, for engines that ship it. */
  private record Banding(String description, double width)
      implements Coarsening, java.io.Serializable {
    private String label(double v) {
      double lo = Math.floor(v / width) * width;
      return "[" + fmt(lo) + ", " + fmt(lo + width) + ")";
    }

    @Override
    public Column apply(Column c) {
      if (!(c instanceof NumberColumn n)) {
        throw wrongType(c, description);
      }
      // Bands are computed once per distinct value: few distinct values in typical QIs.
      Map<Double, String> cache = new HashMap<>();
      Map<String, Double> lowest = new HashMap<>();
      CategoricalColumn out = categorical(c, r -> {
        double v = n.asDouble(r);
        String l = cache.computeIfAbsent(v, this::label);
        lowest.merge(l, v, Math::min);
        return l;
      }, Comparator.comparingDouble(lowest::get));
      return out;
    }
  }

  /**
   * Bands between {@code edges}, whose labels ({@code domain}: below the first edge, between each
   * pair, at or above the last) are known before any data, so the field declares them all. A row's
   * code is its band's index, found by binary search: no label is built per row.
   */
  private record EdgeBands(String description, double[] edges, List<String> domain)
      implements Coarsening, java.io.Serializable {
    @Override
    public Column apply(Column c) {
      if (!(c instanceof NumberColumn n)) {
        throw wrongType(c, description);
      }
      int[] out = new int[n.size()];
      for (int r = 0; r < out.length; r++) {
        if (n.isNull(r)) {
          out[r] = -1;
          continue;
        }
        double v = n.asDouble(r);
        int i = Arrays.binarySearch(edges, v);
        // Code 0 is "< e0"; a value in [ei, ei+1) has code i + 1; ">= en" is the last.
        out[r] = v < edges[0] ? 0 : (i >= 0 ? i : -i - 2) + 1;
      }
      Field f = n.field();
      return CategoricalColumn.of(new Field(f.name(), FieldType.CATEGORICAL, f.role(),
          f.required(), domain), out, domain);
    }
  }

  private record Prefix(String description, int length)
      implements Coarsening, java.io.Serializable {
    private String relabel(String s) {
      return s.length() <= length ? s : s.substring(0, length);
    }

    @Override
    public Column apply(Column c) {
      if (c instanceof StringColumn s && (c.field().type() == FieldType.TEXT
          || c.field().type() == FieldType.IDENTIFIER)) {
        return categorical(c, r -> relabel(s.get(r)), Comparator.naturalOrder());
      }
      if (c instanceof CategoricalColumn cat) {
        return categorical(c, r -> relabel(cat.label(cat.code(r))), Comparator.naturalOrder());
      }
      throw wrongType(c, description);
    }
  }

  private record DateTruncation(boolean month) implements Coarsening, java.io.Serializable {
    @Override
    public Column apply(Column c) {
      if (!(c instanceof LongColumn l) || (c.field().type() != FieldType.DATE
          && c.field().type() != FieldType.TIMESTAMP)) {
        throw wrongType(c, description());
      }
      boolean instant = c.field().type() == FieldType.TIMESTAMP;
      return categorical(c, r -> {
        LocalDate d = instant
            ? java.time.Instant.ofEpochMilli(l.get(r)).atOffset(ZoneOffset.UTC).toLocalDate()
            : LocalDate.ofEpochDay(l.get(r));
        return month ? String.format("%04d-%02d", d.getYear(), d.getMonthValue())
            : String.format("%04d", d.getYear());
      }, Comparator.naturalOrder());
    }

    @Override
    public String description() {
      return month ? "date to month" : "date to year";
    }
  }

  private record Clamp(double min, double max, String description)
      implements Coarsening, java.io.Serializable {
    @Override
    public Column apply(Column c) {
      if (c instanceof NumericColumn n) {
        double[] v = n.toArray();
        for (int i = 0; i < v.length; i++) {
          v[i] = Math.min(max, Math.max(min, v[i]));
        }
        return NumericColumn.of(c.field(), v, c.nulls());
      }
      if (c instanceof LongColumn l && c.field().type() == FieldType.INTEGER) {
        long[] v = new long[c.size()];
        for (int i = 0; i < v.length; i++) {
          long x = l.get(i);
          v[i] = x < min ? (long) Math.ceil(min) : x > max ? (long) Math.floor(max) : x;
        }
        return LongColumn.of(c.field(), v, c.nulls());
      }
      throw wrongType(c, description);
    }
  }
}
