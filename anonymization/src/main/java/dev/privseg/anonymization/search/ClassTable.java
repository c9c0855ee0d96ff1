package dev.privseg.anonymization.search;

import dev.privseg.anonymization.internal.Codes;
import dev.privseg.anonymization.internal.LongIntMap;
import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.NumberColumn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table reduced to what the optimal generalization search reads: its equivalence classes on the
 * quasi-identifiers (rows equal on all of them), each with its size and, per sensitive field, how
 * many of its rows hold each value. Values are held as codes into each field's list of distinct
 * values; no row is held.
 *
 * <p>An engine that holds the rows elsewhere (Spark's executors) counts the classes there, builds
 * this table on the driver and asks {@link GeneralizationAnonymizer#search(ClassTable)} for the
 * transformation; its size grows with the distinct value combinations, never with the rows. The
 * search reads only the order in which values and classes are given, to the last bit of its
 * floating-point sums: give them in the order of their first row in the table (as
 * {@link #of} does), and the search picks the node, and reports the figures, of a search on the
 * rows.
 *
 * <pre>{@code
 * ClassTable.Builder b = ClassTable.builder(List.of("age", "zip"));
 * b.values("age", List.of("34", "51"), false);           // distinct values, first seen first
 * b.values("zip", List.of("10115", "80331"), true);      // code 2 is a missing zip
 * int c = b.add(new int[] {0, 1}, 12);                   // 12 rows of age 34, zip 80331
 * b.sensitive("job", List.of("nurse", "baker"), false);
 * b.count(c, "job", 0, 7);                               // 7 of them nurses
 * b.count(c, "job", 1, 5);
 * GeneralizationChoice choice = anonymizer.search(b.build());
 * }</pre>
 *
 * <p>Immutable.
 */
public final class ClassTable {
  final List<String> names;
  final List<List<String>> values;
  final boolean[] missing;
  final int classes;
  /** Row-major codes of every class: class c, field q at {@code c * names.size() + q}. */
  final int[] codes;
  final int[] sizes;
  final int rows;
  final List<SensitiveField> sensitive;

  /**
   * One sensitive field's values and per-class counts (CSR: class c's entries are
   * {@code start[c] .. start[c + 1]} of {@code code} and {@code count}).
   */
  record SensitiveField(String name, List<String> categories, double[] numbers, boolean missing,
      int[] start, int[] code, int[] count) {
    /** The number of codes, the missing value's included. */
    int codeCount() {
      return (numbers != null ? numbers.length : categories.size()) + (missing ? 1 : 0);
    }
  }

  private ClassTable(Builder b) {
    this.names = List.copyOf(b.names);
    this.values = List.copyOf(b.values);
    this.missing = b.missing.clone();
    this.classes = b.classes;
    this.codes = Arrays.copyOf(b.codes, b.classes * b.names.size());
    this.sizes = Arrays.copyOf(b.sizes, b.classes);
    long total = 0;
    for (int c = 0; c < classes; c++) {
      total += sizes[c];
    }
    if (total > Integer.MAX_VALUE) {
      throw new ConfigurationException("the classes hold " + total + " rows; the search takes "
          + "at most " + Integer.MAX_VALUE);
    }
    this.rows = (int) total;
    List<SensitiveField> out = new ArrayList<>();
    for (Map.Entry<String, Builder.Sensitive> e : b.sensitive.entrySet()) {
      out.add(e.getValue().build(e.getKey(), sizes, classes));
    }
    this.sensitive = List.copyOf(out);
  }

  /**
   * The classes of {@code data} on {@code quasiIdentifiers}, with the values of
   * {@code sensitiveFields}, values and classes in the order of their first row. What a search on
   * the rows reads.
   *
   * @throws ConfigurationException if a field is not in {@code data}
   */
  public static ClassTable of(Dataset data, List<String> quasiIdentifiers,
      List<String> sensitiveFields) {
    return fromRows(data, quasiIdentifiers, sensitiveFields, null);
  }

  /**
   * As {@link #of}, also filling {@code classOfRow} (one entry per row of {@code data}) with
   * each row's class, when not null.
   */
  static ClassTable fromRows(Dataset data, List<String> quasiIdentifiers,
      List<String> sensitiveFields, int[] classOfRow) {
    Checks.notNull(data, "data");
    int rows = data.rowCount();
    int qis = quasiIdentifiers.size();
    Builder b = builder(quasiIdentifiers);
    int[][] base = new int[qis][];
    int[] bits = new int[qis];
    int totalBits = 0;
    for (int q = 0; q < qis; q++) {
      Column column = column(data, quasiIdentifiers.get(q));
      List<String> values = new ArrayList<>();
      base[q] = Codes.base(column, values);
      Codes.fillMissing(base[q], values.size());
      boolean missing = column.nullCount() > 0;
      b.values(quasiIdentifiers.get(q), values, missing);
      bits[q] = bitsFor(values.size() + (missing ? 1 : 0));
      totalBits += bits[q];
    }
    int[] ofRow = classOfRow != null ? classOfRow : new int[rows];
    // Bottom classes, by primitive hashing of the packed base codes.
    LongIntMap index = new LongIntMap();
    index.clear(Math.min(rows, 1 << 16));
    if (totalBits <= 64) {
      for (int r = 0; r < rows; r++) {
        long key = 0;
        for (int q = 0; q < qis; q++) {
          key = (key << bits[q]) | base[q][r];
        }
        ofRow[r] = index.idOf(key);
      }
    } else {
      int[] ids = base[0].clone();
      for (int q = 1; q < qis; q++) {
        LongIntMap.combine(ids, base[q]);
      }
      for (int r = 0; r < rows; r++) {
        ofRow[r] = index.idOf(ids[r]);
      }
    }
    int classes = index.size();
    int[] sizes = new int[classes];
    int[] codes = new int[classes * qis];
    for (int r = 0; r < rows; r++) {
      int c = ofRow[r];
      if (sizes[c]++ == 0) {
        for (int q = 0; q < qis; q++) {
          codes[c * qis + q] = base[q][r];
        }
      }
    }
    b.classes(codes, sizes);
    for (String s : sensitiveFields) {
      Column column = column(data, s);
      int[] code;
      if (column instanceof NumberColumn num) {
        code = new int[rows];
        double[] numbers = Codes.numbers(num, code);
        b.sensitive(s, numbers, column.nullCount() > 0);
        Codes.fillMissing(code, numbers.length);
      } else {
        List<String> categories = new ArrayList<>();
        code = Codes.base(column, categories);
        b.sensitive(s, categories, column.nullCount() > 0);
        Codes.fillMissing(code, categories.size());
      }
      b.counts(s, ofRow, code);
    }
    return b.build();
  }

  private static Column column(Dataset data, String field) {
    if (!data.schema().contains(field)) {
      throw new ConfigurationException("field '" + field + "' is not in the data");
    }
    return data.column(field);
  }

  static int bitsFor(int cardinality) {
    return cardinality <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(cardinality - 1);
  }

  /** A builder for the classes of a table on {@code quasiIdentifiers}, in this order. */
  public static Builder builder(List<String> quasiIdentifiers) {
    return new Builder(quasiIdentifiers);
  }

  /** The quasi-identifiers, in the order the classes' codes are given. */
  public List<String> quasiIdentifiers() {
    return names;
  }

  /** The sensitive fields counted. */
  public List<String> sensitiveFields() {
    List<String> out = new ArrayList<>();
    sensitive.forEach(s -> out.add(s.name()));
    return out;
  }

  /** The number of classes. */
  public int classes() {
    return classes;
  }

  /** The number of rows the classes hold. */
  public int rows() {
    return rows;
  }

  /** The rows of class {@code c}. */
  public int size(int c) {
    Checks.check(c >= 0 && c < classes, "class %s is outside 0..%s", c, classes - 1);
    return sizes[c];
  }

  /** The codes of class {@code c}, one per quasi-identifier, in order. */
  public int[] codes(int c) {
    Checks.check(c >= 0 && c < classes, "class %s is outside 0..%s", c, classes - 1);
    return Arrays.copyOfRange(codes, c * names.size(), (c + 1) * names.size());
  }

  /**
   * The distinct values of {@code field} that the codes index, in the order given; the code
   * {@code values(field).size()} is the missing value, if the field has one.
   */
  public List<String> values(String field) {
    int q = names.indexOf(field);
    Checks.check(q >= 0, "'%s' is not a quasi-identifier of this table", field);
    return values.get(q);
  }

  @Override
  public String toString() {
    return "ClassTable[" + classes + " classes of " + rows + " rows on " + names + ", sensitive "
        + sensitiveFields() + "]";
  }

  /**
   * Builds a {@link ClassTable}: first every quasi-identifier's values, then the classes, then
   * the sensitive fields' values and counts. Not thread-safe.
   */
  public static final class Builder {
    private final List<String> names;
    private final List<List<String>> values;
    private final boolean[] missing;
    private int classes;
    private int[] codes = new int[0];
    private int[] sizes = new int[0];
    private final Map<String, Sensitive> sensitive = new LinkedHashMap<>();
    /** The classes added, by packed codes when they fit in 64 bits, else by their codes. */
    private LongIntMap packed;
    private int[] bits;
    private Map<Key, Integer> seen;

    private Builder(List<String> quasiIdentifiers) {
      Checks.notNull(quasiIdentifiers, "quasi-identifiers");
      Checks.check(!quasiIdentifiers.isEmpty(), "a class table needs a quasi-identifier");
      Checks.check(quasiIdentifiers.stream().distinct().count() == quasiIdentifiers.size(),
          "quasi-identifiers %s repeat a field", quasiIdentifiers);
      this.names = List.copyOf(quasiIdentifiers);
      this.values = new ArrayList<>();
      for (int q = 0; q < names.size(); q++) {
        values.add(null);
      }
      this.missing = new boolean[names.size()];
    }

    /**
     * The distinct present values of quasi-identifier {@code field} as text (the form its
     * hierarchy generalizes), each once; codes index them, and code {@code values.size()} is the
     * missing value when {@code missing}.
     */
    public Builder values(String field, List<String> values, boolean missing) {
      int q = names.indexOf(field);
      Checks.check(q >= 0, "'%s' is not a quasi-identifier of this table %s", field, names);
      Checks.check(this.values.get(q) == null, "the values of '%s' are already given", field);
      Checks.check(classes == 0, "give every field's values before the classes");
      List<String> copy = List.copyOf(values);
      Checks.check(copy.stream().distinct().count() == copy.size(),
          "the values of '%s' repeat a value", field);
      this.values.set(q, copy);
      this.missing[q] = missing;
      return this;
    }

    /**
     * Adds a class of {@code size} rows holding the values {@code codes} (one per
     * quasi-identifier, in order); returns its number, from 0 in the order added.
     *
     * @throws ConfigurationException if a code is out of range, the size is below 1, or the
     *     class was already added
     */
    public int add(int[] codes, int size) {
      int qis = names.size();
      Checks.check(codes.length == qis, "a class has %s codes, one per quasi-identifier, not %s",
          qis, codes.length);
      Checks.check(size >= 1, "a class holds at least 1 row but was given %s", size);
      if (bits == null) {
        start();
      }
      long key = 0;
      for (int q = 0; q < qis; q++) {
        int limit = values.get(q).size() + (missing[q] ? 1 : 0);
        Checks.check(codes[q] >= 0 && codes[q] < limit, "code %s of '%s' is outside 0..%s",
            codes[q], names.get(q), limit - 1);
        key = (key << bits[q]) | codes[q];
      }
      int before = packed != null ? packed.idOf(key)
          : seen.computeIfAbsent(new Key(codes.clone()), k -> classes);
      Checks.check(before == classes, "class %s has the same codes as class %s", classes, before);
      grow(classes + 1);
      System.arraycopy(codes, 0, this.codes, classes * qis, qis);
      sizes[classes] = size;
      return classes++;
    }

    /**
     * The number of the class added with {@code codes}.
     *
     * @throws ConfigurationException if no class was added with them
     */
    public int classOf(int[] codes) {
      Checks.check(codes.length == names.size() && bits != null, "no class has codes %s",
          Arrays.toString(codes));
      int c;
      if (packed != null) {
        long key = 0;
        for (int q = 0; q < codes.length; q++) {
          Checks.check(codes[q] >= 0 && codes[q] >> bits[q] == 0, "no class has codes %s",
              Arrays.toString(codes));
          key = (key << bits[q]) | codes[q];
        }
        c = packed.get(key);
      } else {
        c = seen.getOrDefault(new Key(codes), -1);
      }
      Checks.check(c >= 0, "no class has codes %s", Arrays.toString(codes));
      return c;
    }

    /** Checks that every field's values are given; chooses how to spot a repeated class. */
    private void start() {
      int total = 0;
      bits = new int[names.size()];
      for (int q = 0; q < names.size(); q++) {
        Checks.check(values.get(q) != null, "the values of '%s' are not given", names.get(q));
        bits[q] = bitsFor(values.get(q).size() + (missing[q] ? 1 : 0));
        total += bits[q];
      }
      if (total <= 64) {
        packed = new LongIntMap();
        packed.clear(1 << 10);
      } else {
        seen = new HashMap<>();
      }
    }

    /** Adds the classes of row-major {@code codes} and {@code sizes}, distinct by construction. */
    private void classes(int[] codes, int[] sizes) {
      this.codes = codes;
      this.sizes = sizes;
      this.classes = sizes.length;
    }

    private void grow(int needed) {
      if (sizes.length < needed) {
        int length = Math.max(16, needed + (needed >> 1));
        sizes = Arrays.copyOf(sizes, length);
        codes = Arrays.copyOf(codes, length * names.size());
      }
    }

    /**
     * A categorical (or text) sensitive field: its distinct present values, each once; codes
     * index them, and code {@code categories.size()} is the missing value when {@code missing}.
     */
    public Builder sensitive(String field, List<String> categories, boolean missing) {
      List<String> copy = List.copyOf(categories);
      Checks.check(copy.stream().distinct().count() == copy.size(),
          "the values of '%s' repeat a value", field);
      return sensitive(field, new Sensitive(copy, null, missing));
    }

    /**
     * A numeric sensitive field: its distinct present values, in any order; codes index them,
     * and code {@code numbers.length} is the missing value when {@code missing}.
     */
    public Builder sensitive(String field, double[] numbers, boolean missing) {
      double[] copy = new double[numbers.length];
      for (int i = 0; i < copy.length; i++) {
        Checks.check(Double.isFinite(numbers[i]), "the values of '%s' must be finite", field);
        copy[i] = numbers[i] + 0.0;
      }
      Checks.check(Arrays.stream(copy).distinct().count() == copy.length,
          "the values of '%s' repeat a value", field);
      return sensitive(field, new Sensitive(null, copy, missing));
    }

    private Builder sensitive(String field, Sensitive s) {
      Checks.notNull(field, "field");
      Checks.check(!names.contains(field), "'%s' is a quasi-identifier, not a sensitive field",
          field);
      Checks.check(sensitive.putIfAbsent(field, s) == null, "the values of '%s' are already "
          + "given", field);
      return this;
    }

    /**
     * Counts {@code rows} rows of class {@code c} holding value {@code code} of sensitive field
     * {@code field}. A class's counts of a field add up to its size.
     */
    public Builder count(int c, String field, int code, int rows) {
      Sensitive s = sensitive.get(field);
      Checks.check(s != null, "the values of sensitive field '%s' are not given", field);
      Checks.check(c >= 0 && c < classes, "class %s is outside 0..%s", c, classes - 1);
      int limit = s.codeCount();
      Checks.check(code >= 0 && code < limit, "code %s of '%s' is outside 0..%s", code, field,
          limit - 1);
      Checks.check(rows >= 1, "a count is at least 1 but was %s", rows);
      s.add(c, code, rows);
      return this;
    }

    /** Counts every row's code of {@code field}, given each row's class. */
    private void counts(String field, int[] classOfRow, int[] code) {
      Sensitive s = sensitive.get(field);
      int[] perClass = new int[classes + 1];
      for (int c : classOfRow) {
        perClass[c + 1]++;
      }
      for (int c = 0; c < classes; c++) {
        perClass[c + 1] += perClass[c];
      }
      int[] fill = Arrays.copyOf(perClass, classes);
      int[] byClass = new int[classOfRow.length];
      for (int r = 0; r < classOfRow.length; r++) {
        byClass[fill[classOfRow[r]]++] = code[r];
      }
      int[] scratch = new int[s.codeCount()];
      int[] touched = new int[s.codeCount()];
      for (int c = 0; c < classes; c++) {
        int distinct = 0;
        for (int i = perClass[c]; i < perClass[c + 1]; i++) {
          if (scratch[byClass[i]]++ == 0) {
            touched[distinct++] = byClass[i];
          }
        }
        for (int i = 0; i < distinct; i++) {
          s.add(c, touched[i], scratch[touched[i]]);
          scratch[touched[i]] = 0;
        }
      }
    }

    /**
     * Checks that every field's values are given and that every class's sensitive counts add up
     * to its size, and builds.
     */
    public ClassTable build() {
      for (int q = 0; q < names.size(); q++) {
        Checks.check(values.get(q) != null, "the values of '%s' are not given", names.get(q));
      }
      return new ClassTable(this);
    }

    /** A class's codes, as a hash key. */
    private record Key(int[] codes) {
      @Override
      public boolean equals(Object o) {
        return o instanceof Key k && Arrays.equals(codes, k.codes);
      }

      @Override
      public int hashCode() {
        return Arrays.hashCode(codes);
      }
    }

    /** A sensitive field's values and its counts as added (class, code, rows). */
    private static final class Sensitive {
      private final List<String> categories;
      private final double[] numbers;
      private final boolean missing;
      private long[] entries = new long[16];
      private int[] rows = new int[16];
      private int size;

      Sensitive(List<String> categories, double[] numbers, boolean missing) {
        this.categories = categories;
        this.numbers = numbers;
        this.missing = missing;
      }

      int codeCount() {
        return (numbers != null ? numbers.length : categories.size()) + (missing ? 1 : 0);
      }

      void add(int c, int code, int count) {
        if (size == entries.length) {
          entries = Arrays.copyOf(entries, size * 2);
          rows = Arrays.copyOf(rows, size * 2);
        }
        entries[size] = (long) c << 32 | code;
        rows[size++] = count;
      }

      /** The counts as CSR by class, each class's entries by code; checks the sums. */
      SensitiveField build(String name, int[] sizes, int classes) {
        int[] start = new int[classes + 1];
        for (int i = 0; i < size; i++) {
          start[(int) (entries[i] >>> 32) + 1]++;
        }
        for (int c = 0; c < classes; c++) {
          start[c + 1] += start[c];
        }
        int[] fill = Arrays.copyOf(start, classes);
        // Per class, (code, rows) packed in one long: sorting a class's entries sorts by code.
        long[] packed = new long[size];
        for (int i = 0; i < size; i++) {
          packed[fill[(int) (entries[i] >>> 32)]++] = (entries[i] & 0xffffffffL) << 32 | rows[i];
        }
        int[] code = new int[size];
        int[] count = new int[size];
        for (int c = 0; c < classes; c++) {
          Arrays.sort(packed, start[c], start[c + 1]);
          long sum = 0;
          for (int i = start[c]; i < start[c + 1]; i++) {
            code[i] = (int) (packed[i] >>> 32);
            count[i] = (int) packed[i];
            Checks.check(i == start[c] || code[i] != code[i - 1],
                "class %s counts code %s of '%s' twice", c, code[i], name);
            sum += count[i];
          }
          Checks.check(sum == sizes[c], "the counts of '%s' in class %s add up to %s rows, "
              + "not its %s", name, c, sum, sizes[c]);
        }
        return new SensitiveField(name, categories, numbers, missing, start, code, count);
      }
    }
  }
}
