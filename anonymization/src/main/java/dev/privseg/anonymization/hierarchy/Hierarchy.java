package dev.privseg.anonymization.hierarchy;

import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.Column;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A generalization hierarchy for one field: every value has a label at each level, from the value
 * itself (level 0) to total suppression ({@code *}, the top level). Immutable and thread-safe.
 *
 * <p>Built in code ({@link #intervals}, {@link #quantiles}, {@link #dates}, {@link #masking},
 * {@link #prefixes}, {@link #taxonomy}, {@link #ordinal}, {@link #flat}) or loaded from CSV in
 * ARX's format ({@link #fromCsv}): one row per value, one column per level. Applying a hierarchy to data that holds a value it does not cover fails,
 * naming the field and never the value.
 *
 * <pre>{@code
 * Hierarchy age = Hierarchy.intervals("age", 5, 10, 20);     // 37 -> [35, 40) -> [30, 40) -> [20, 40) -> *
 * Hierarchy zip = Hierarchy.masking("postcode", 5);          // 10115 -> 1011* -> 101** -> ... -> *
 * Hierarchy pre = Hierarchy.prefixes("postcode", 5);         // 10115 -> 1011 -> 101 -> ... -> *
 * Hierarchy day = Hierarchy.dates("signup");                 // 2024-03-07 -> 2024-03 -> 2024-Q1 -> 2024 -> *
 * Hierarchy job = Hierarchy.taxonomy("job", List.of("Office/Adm-clerical", "Office/Sales", ...));
 * }</pre>
 */
public final class Hierarchy {
  /** The label of the top level: suppressed. */
  public static final String SUPPRESSED = "*";

  /** Labels a value at a level below the top; returns null if the value is not covered. */
  @FunctionalInterface
  private interface Labeller {
    String label(String value, int level);
  }

  private final String field;
  private final int height;
  private final Labeller labeller;
  private final String description;
  /** The values a table lists, in order; null for a rule. */
  private final List<String> listed;

  private Hierarchy(String field, int height, Labeller labeller, String description) {
    this(field, height, labeller, description, null);
  }

  private Hierarchy(String field, int height, Labeller labeller, String description,
      List<String> listed) {
    this.field = field;
    this.height = height;
    this.labeller = labeller;
    this.description = description;
    this.listed = listed == null ? null : List.copyOf(listed);
  }

  /** The largest hierarchy file read: far beyond any real one, so a stray file fails fast. */
  static final long MAX_FILE_BYTES = 64L << 20;

  /** Hierarchies read from files, by field, delimiter and content; the 64 most recent. */
  private static final Map<String, Hierarchy> BY_CONTENT = java.util.Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Hierarchy> eldest) {
          return size() > 64;
        }
      });

  /**
   * Reads an ARX hierarchy: {@code delimiter}-separated rows, the first column the value, then one
   * column per level; a top level of {@code *} is added if the file has none. A process that reads
   * the same content again for the same field and delimiter (another run of a service, say) gets
   * the hierarchy it read before, without parsing it again: hierarchies are immutable.
   *
   * @throws ConfigurationException naming the field if the file is larger than 64 MiB or not CSV
   * @throws IOException if the file cannot be read, or is not UTF-8
   */
  public static Hierarchy fromCsv(String field, Path file, char delimiter) throws IOException {
    Checks.notBlank(field, "field");
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw new ConfigurationException("hierarchy file of field '" + field + "' is larger than "
          + (MAX_FILE_BYTES >> 20) + " MiB");
    }
    byte[] content = Files.readAllBytes(file);
    String key = field + '\u0000' + delimiter + '\u0000' + sha256(content);
    Hierarchy known = BY_CONTENT.get(key);
    if (known != null) {
      return known;
    }
    try (Reader in = new java.io.InputStreamReader(new java.io.ByteArrayInputStream(content),
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT))) {
      Hierarchy read = fromCsv(field, in, delimiter);
      BY_CONTENT.put(key, read);
      return read;
    }
  }

  private static String sha256(byte[] content) {
    try {
      return java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** As {@link #fromCsv(String, Path, char)}, from a reader (not closed). */
  public static Hierarchy fromCsv(String field, Reader in, char delimiter) throws IOException {
    Checks.notBlank(field, "field");
    Checks.check(delimiter != '"' && delimiter != '\n' && delimiter != '\r',
        "hierarchy of field '%s': the delimiter cannot be a quote or a line break", field);
    List<List<String>> rows = new ArrayList<>();
    CSVParser parser;
    try {
      parser = CSVParser.parse(in, CSVFormat.DEFAULT.builder()
          .setDelimiter(delimiter).setIgnoreEmptyLines(true).get());
    } catch (org.apache.commons.csv.CSVException e) {
      throw malformed(field, -1);
    }
    try (parser) {
      for (CSVRecord r : parser) {
        rows.add(r.toList());
      }
    } catch (org.apache.commons.csv.CSVException | java.io.UncheckedIOException e) {
      // Commons CSV reports malformed text (an unterminated quote) as these; a real read error
      // of the reader has an IOException cause that is not a CSVException.
      if (e instanceof java.io.UncheckedIOException u
          && !(u.getCause() instanceof org.apache.commons.csv.CSVException)) {
        throw u.getCause();
      }
      throw malformed(field, rows.size() + 1);
    }
    return fromRows(field, rows, "ARX CSV");
  }

  /** The error for a hierarchy CSV that is not valid CSV, at a row (or -1), never quoting it. */
  private static ConfigurationException malformed(String field, int row) {
    return new ConfigurationException("hierarchy of field '" + field + "' is not valid CSV"
        + (row > 0 ? " at row " + row : "") + " (an unterminated quote, or a quote inside an "
        + "unquoted value)");
  }

  /**
   * A hierarchy from explicit rows: each row is a value followed by its label at each level; a top
   * level of {@code *} is added if the rows have none. All rows must have the same length.
   */
  public static Hierarchy fromRows(String field, List<List<String>> rows) {
    return fromRows(Checks.notBlank(field, "field"), rows, "explicit");
  }

  private static Hierarchy fromRows(String field, List<List<String>> rows, String kind) {
    Map<String, String[]> levels = new LinkedHashMap<>();
    int height = -1;
    int number = 0;
    for (List<String> in : rows) {
      number++;
      Checks.check(in != null && !in.isEmpty(), "hierarchy of field '%s': row %s is empty",
          field, number);
      List<String> row = new ArrayList<>(in);
      if (!row.get(row.size() - 1).equals(SUPPRESSED)) {
        row.add(SUPPRESSED);
      }
      if (height < 0) {
        height = row.size();
      }
      if (row.size() != height) {
        throw new ConfigurationException("hierarchy of field '" + field + "': row " + number
            + " has " + row.size() + " levels but the first has " + height);
      }
      if (levels.put(row.get(0), row.toArray(new String[0])) != null) {
        throw new ConfigurationException("hierarchy of field '" + field + "': row " + number
            + " repeats a value of an earlier row");
      }
    }
    Checks.check(height > 0, "hierarchy of field '%s' is empty", field);
    return new Hierarchy(field, height, (value, level) -> {
      String[] row = levels.get(value);
      return row == null ? null : row[level];
    }, kind + ", " + levels.size() + " values", new ArrayList<>(levels.keySet()));
  }

  /**
   * Numeric intervals of growing width: level {@code i} (1-based) puts a value {@code v} into
   * {@code [floor(v / w) * w, floor(v / w) * w + w)} with {@code w = widths[i - 1]}. Each width
   * must be a multiple of the one before, so that intervals nest.
   *
   * @param field the field (integer or numeric)
   * @param widths the interval widths, ascending, each a multiple of the previous
   */
  public static Hierarchy intervals(String field, double... widths) {
    Checks.notBlank(field, "field");
    Checks.check(widths.length > 0, "hierarchy of field '%s' needs at least one width", field);
    for (int i = 0; i < widths.length; i++) {
      Checks.check(widths[i] > 0 && Double.isFinite(widths[i]),
          "hierarchy of field '%s': interval width number %s must be positive", field, i + 1);
      if (i > 0) {
        double ratio = widths[i] / widths[i - 1];
        Checks.check(ratio >= 1 && Math.abs(ratio - Math.rint(ratio)) < 1e-9,
            "hierarchy of field '%s': each interval width must be a multiple of the one before,"
                + " so that intervals nest; %s is not a multiple of %s", field,
            plain(widths[i]), plain(widths[i - 1]));
      }
    }
    double[] w = widths.clone();
    return new Hierarchy(field, w.length + 2, (value, level) -> {
      Double v = number(value);
      if (v == null) {
        return null;
      }
      if (level == 0) {
        return value;
      }
      double lo = Math.floor(v / w[level - 1]) * w[level - 1];
      return interval(lo, lo + w[level - 1]);
    }, "intervals " + Arrays.toString(w));
  }

  /** A width as written in a spec: {@code 5}, not {@code 5.0}. Widths are parameters, not data. */
  private static String plain(double width) {
    return BigDecimal.valueOf(width).stripTrailingZeros().toPlainString();
  }

  /**
   * Quantile-based intervals learned from {@code column}: level {@code i} (1-based) cuts the
   * observed range into {@code bins[i - 1]} intervals holding about equal numbers of rows. Each
   * bin count must divide the one before, so that intervals nest. The cut points come from the
   * data: where the intervals are published, they reveal approximate quantiles of the field.
   *
   * @param column the numeric or integer column to learn the cut points from
   * @param bins the number of intervals per level, descending, each dividing the previous
   */
  public static Hierarchy quantiles(Column column, int... bins) {
    String field = column.name();
    Checks.check(column instanceof dev.privseg.core.dataset.NumberColumn,
        "quantile hierarchy of field '%s' needs a numeric or integer column", field);
    Checks.check(bins.length > 0, "hierarchy of field '%s' needs at least one bin count", field);
    for (int i = 0; i < bins.length; i++) {
      Checks.check(bins[i] >= 1, "hierarchy of field '%s': bin count %s must be >= 1", field,
          i + 1);
      Checks.check(i == 0 || bins[i - 1] % bins[i] == 0,
          "hierarchy of field '%s': bin count %s must divide bin count %s", field, i + 1, i);
    }
    dev.privseg.core.dataset.NumberColumn num = (dev.privseg.core.dataset.NumberColumn) column;
    double[] values = new double[column.size() - column.nullCount()];
    int m = 0;
    for (int r = 0; r < column.size(); r++) {
      if (!column.isNull(r)) {
        values[m++] = num.asDouble(r);
      }
    }
    Checks.check(m > 0, "quantile hierarchy of field '%s' needs at least one value", field);
    Arrays.sort(values);
    // Finest cut points; coarser levels keep every (bins[0] / bins[i])-th of them.
    int finest = bins[0];
    double[] cuts = new double[finest + 1];
    for (int b = 0; b <= finest; b++) {
      cuts[b] = values[(int) Math.min(m - 1, (long) b * m / finest)];
    }
    cuts[finest] = Math.nextUp(values[m - 1]);
    int[] binCounts = bins.clone();
    return new Hierarchy(field, bins.length + 2, (value, level) -> {
      Double v = number(value);
      if (v == null || v < cuts[0] || v >= cuts[finest]) {
        return null;
      }
      if (level == 0) {
        return value;
      }
      int step = finest / binCounts[level - 1];
      int b = Arrays.binarySearch(cuts, v);
      int bin = b >= 0 ? Math.min(b, finest - 1) : -b - 2;
      // Equal cut points (many equal values) make empty bins; take the last bin starting at v.
      int lo = bin / step * step;
      int hi = Math.min(finest, lo + step);
      return interval(cuts[lo], cuts[hi]);
    }, "quantiles " + Arrays.toString(binCounts));
  }

  /**
   * Dates: day ({@code 2024-03-07}) to month ({@code 2024-03}) to quarter ({@code 2024-Q1}) to
   * year ({@code 2024}) to {@code *}. Values are ISO-8601 dates (DATE fields are read as such).
   */
  public static Hierarchy dates(String field) {
    Checks.notBlank(field, "field");
    return new Hierarchy(field, 5, (value, level) -> {
      LocalDate d;
      try {
        d = LocalDate.parse(value);
      } catch (java.time.DateTimeException e) {
        return null;
      }
      switch (level) {
        case 0:
          return value;
        case 1:
          return value.substring(0, 7);
        case 2:
          return d.getYear() + "-Q" + ((d.getMonthValue() - 1) / 3 + 1);
        default:
          return Integer.toString(d.getYear());
      }
    }, "dates day>month>quarter>year");
  }

  /**
   * Right-to-left masking: level {@code i} replaces the last {@code i} characters by {@code *}
   * (a postcode {@code 10115} becomes {@code 1011*}, then {@code 101**}, ...), up to
   * {@code maxLength} characters; values longer than {@code maxLength} are not covered.
   */
  public static Hierarchy masking(String field, int maxLength) {
    Checks.notBlank(field, "field");
    Checks.atLeast(maxLength, 1, "maxLength of the hierarchy of field '" + field + "'");
    return new Hierarchy(field, maxLength + 1, (value, level) -> {
      if (value.length() > maxLength) {
        return null;
      }
      int keep = Math.max(0, value.length() - level);
      return value.substring(0, keep) + "*".repeat(value.length() - keep);
    }, "masking of up to " + maxLength + " characters");
  }

  /**
   * Prefixes: level {@code i} keeps all but the last {@code i} characters ({@code 10115} becomes
   * {@code 1011}, then {@code 101}, ...), up to {@code maxLength} characters; values longer than
   * {@code maxLength} are not covered. Unlike {@link #masking} the label does not show how many
   * characters were removed.
   */
  public static Hierarchy prefixes(String field, int maxLength) {
    Checks.notBlank(field, "field");
    Checks.atLeast(maxLength, 1, "maxLength of the hierarchy of field '" + field + "'");
    return new Hierarchy(field, maxLength + 1, (value, level) -> value.length() > maxLength
        ? null : value.substring(0, Math.max(0, value.length() - level)),
        "prefixes of up to " + maxLength + " characters");
  }

  /**
   * A categorical taxonomy given as paths from the root to each value, {@code /}-separated, e.g.
   * {@code "Europe/West/France"}; the value is the last element, and every path must have the same
   * number of elements. Level 1 is the value's parent, and so on up to {@code *}.
   */
  public static Hierarchy taxonomy(String field, List<String> paths) {
    Checks.notBlank(field, "field");
    List<List<String>> rows = new ArrayList<>();
    for (String path : paths) {
      List<String> parts = Arrays.asList(path.split("/", -1));
      java.util.Collections.reverse(parts);
      rows.add(parts);
    }
    Checks.check(!rows.isEmpty(), "taxonomy of field '%s' is empty", field);
    Hierarchy h = fromRows(field, rows, "taxonomy");
    return new Hierarchy(field, h.height, h.labeller, h.description, h.listed);
  }

  /** Two levels: the value as it is, then {@code *}. Covers every value. */
  public static Hierarchy flat(String field) {
    Checks.notBlank(field, "field");
    return new Hierarchy(field, 2, (value, level) -> value, "flat");
  }

  /**
   * Ordered categories grouped into runs of growing length: level {@code i} (1-based) puts the
   * categories of {@code order} into consecutive groups of {@code groupSizes[i - 1]}, labelled
   * {@code first..last} (e.g. ages {@code 18-24..35-44}). Each group size must be a multiple of
   * the one before, so that groups nest.
   *
   * @param field the field
   * @param order the categories in their natural order
   * @param groupSizes categories per group at each level, ascending, each a multiple of the last
   */
  public static Hierarchy ordinal(String field, List<String> order, int... groupSizes) {
    Checks.notBlank(field, "field");
    Checks.check(!order.isEmpty(), "hierarchy of field '%s': the category order is empty", field);
    for (int i = 0; i < groupSizes.length; i++) {
      Checks.check(groupSizes[i] >= 1 && (i == 0 || groupSizes[i] % groupSizes[i - 1] == 0),
          "hierarchy of field '%s': group size %s must be a positive multiple of the one "
              + "before", field, i + 1);
    }
    List<List<String>> rows = new ArrayList<>();
    for (int v = 0; v < order.size(); v++) {
      List<String> row = new ArrayList<>();
      row.add(order.get(v));
      for (int size : groupSizes) {
        int lo = v / size * size;
        int hi = Math.min(order.size(), lo + size) - 1;
        row.add(lo == hi ? order.get(lo) : order.get(lo) + ".." + order.get(hi));
      }
      rows.add(row);
    }
    return fromRows(field, rows, "ordinal groups " + Arrays.toString(groupSizes));
  }

  private static Double number(String value) {
    try {
      return Double.valueOf(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String interval(double lo, double hi) {
    return "[" + format(lo) + ", " + format(hi) + ")";
  }

  private static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** The field this hierarchy generalizes. */
  public String field() {
    return field;
  }

  /**
   * The values this hierarchy lists, when it is given as a table (an ARX CSV file, rows, a
   * taxonomy, ordinal groups): every value it covers, present in the data or not. Empty for a
   * hierarchy given by a rule (intervals, quantiles, dates, masking, prefixes, flat), which
   * covers values without listing them. {@link
   * dev.privseg.anonymization.utility.LossMetric#ARX_LOSS} counts leaves among these.
   */
  public java.util.Optional<List<String>> listedValues() {
    return java.util.Optional.ofNullable(listed);
  }

  /** The number of levels, the value itself (0) and suppression (the last) included. */
  public int height() {
    return height;
  }

  /** The label of {@code value} at {@code level}; throws naming the field if it is not covered. */
  public String generalize(String value, int level) {
    Checks.check(level >= 0 && level < height, "level of field '%s' must be 0..%s but was %s",
        field, height - 1, level);
    String label = labeller.label(value, Math.min(level, height - 2));
    if (label == null) {
      throw new ConfigurationException("hierarchy of field '" + field
          + "' does not cover a value found in the data");
    }
    return level == height - 1 ? SUPPRESSED : label;
  }

  /**
   * The codes of {@code column}'s rows generalized to {@code level}: equal labels share a code, a
   * missing value gets -1. The column may be categorical, text, integer, numeric or date.
   */
  public int[] codes(Column column, int level) {
    int n = column.size();
    int[] out = new int[n];
    Map<String, Integer> labels = new HashMap<>();
    for (int r = 0; r < n; r++) {
      if (column.isNull(r)) {
        out[r] = -1;
        continue;
      }
      String label = generalize(column.text(r), level);
      out[r] = labels.computeIfAbsent(label, k -> labels.size());
    }
    return out;
  }



  @Override
  public String toString() {
    return "Hierarchy[" + field + ", " + description + ", " + height + " levels]";
  }
}
