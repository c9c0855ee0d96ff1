package dev.privseg.anonymization.mondrian;

import dev.privseg.anonymization.internal.ClassHistogram;
import dev.privseg.anonymization.internal.ClassView;
import dev.privseg.anonymization.internal.Models;
import dev.privseg.anonymization.internal.NumericQis;
import dev.privseg.anonymization.internal.SensitiveCodes;
import dev.privseg.anonymization.model.PrivacyModel;
import dev.privseg.core.Checks;
import dev.privseg.core.anonymize.AnonymizationFailedException;
import dev.privseg.core.anonymize.AnonymizedData;
import dev.privseg.core.anonymize.Anonymizer;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.NumberColumn;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Mondrian multidimensional k-anonymity (LeFevre, DeWitt and Ramakrishnan 2006), strict
 * partitioning on numeric quasi-identifiers: the rows are split recursively at the median of the
 * quasi-identifier with the widest normalized range, as long as both halves keep at least
 * {@code k} rows and meet every other {@link #model model} (l-diversity, t-closeness, any
 * {@link PrivacyModel}); each final partition's rows then share their quasi-identifier values.
 * Suits numeric-heavy data, where full-domain generalization loses too much. A k-map model is
 * checked with each partition's own rows as its population matches, a lower bound.
 *
 * <p>Recoding: {@link Recoding#MEAN} (default) replaces each quasi-identifier by its partition's
 * mean, which keeps fields numeric for segmentation; {@link Recoding#MIDPOINT} by the middle of
 * the partition's range. Nothing is suppressed: every row lands in a partition that meets every
 * model (the run fails only if the whole table does not).
 *
 * <pre>{@code
 * .anonymize(Mondrian.on("age", "income", "tenure").k(10)
 *     .model(PrivacyModel.distinctLDiversity("churned", 2)))
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Mondrian implements Anonymizer {
  /** How a partition's rows are recoded. */
  public enum Recoding {
    /** Each quasi-identifier becomes the partition's mean. */
    MEAN,
    /** Each quasi-identifier becomes the middle of the partition's range. */
    MIDPOINT
  }

  private final List<String> fields;
  private final int k;
  /** The models beside k-anonymity. */
  private final List<PrivacyModel> models;
  private final Recoding recoding;
  /** Saved cuts to apply instead of searching; null to search. */
  private final MondrianScheme scheme;

  private Mondrian(List<String> fields, int k, List<PrivacyModel> models, Recoding recoding,
      MondrianScheme scheme) {
    this.fields = fields;
    this.k = k;
    this.models = models;
    this.recoding = recoding;
    this.scheme = scheme;
  }

  /** Mondrian on the numeric quasi-identifiers {@code fields}, k = 2 until {@link #k} is set. */
  public static Mondrian on(String... fields) {
    Checks.check(fields.length > 0, "Mondrian needs at least one quasi-identifier");
    List<String> list = List.of(fields);
    Checks.check(list.stream().distinct().count() == list.size(),
        "Mondrian's quasi-identifiers must be distinct");
    return new Mondrian(list, 2, List.of(), Recoding.MEAN, null);
  }

  /** The smallest partition: every released row shares its values with at least k - 1 others. */
  public Mondrian k(int k) {
    return new Mondrian(fields, Checks.atLeast(k, 2, "k of Mondrian"), models, recoding, scheme);
  }

  /**
   * This Mondrian also meeting {@code model} in every partition: a cut is made only if both
   * halves meet it.
   */
  public Mondrian model(PrivacyModel model) {
    return new Mondrian(fields, k, Models.plus(models, model), recoding, scheme);
  }

  /** How partitions are recoded; default {@link Recoding#MEAN}. */
  public Mondrian recoding(Recoding recoding) {
    return new Mondrian(fields, k, models, Checks.notNull(recoding, "recoding"), scheme);
  }

  /** The quasi-identifiers, in the order given. */
  public List<String> quasiIdentifiers() {
    return fields;
  }

  /** The smallest partition. */
  public int k() {
    return k;
  }

  /** How partitions are recoded. */
  public Recoding recoding() {
    return recoding;
  }

  /** Every model a partition must meet: k-anonymity, then the others in the order given. */
  public List<PrivacyModel> models() {
    return Models.withK(k, models);
  }

  /**
   * This Mondrian applying saved cuts instead of partitioning anew: each row of a batch goes to
   * the partition the cuts route it to, partitions are recoded with the batch's own values, and a
   * batch that leaves a non-empty partition breaking a model (fewer than k rows, say) fails with
   * {@link AnonymizationFailedException}. The scheme must have the same quasi-identifiers, k and
   * recoding.
   */
  public Mondrian withScheme(MondrianScheme scheme) {
    Checks.notNull(scheme, "scheme");
    Checks.check(scheme.quasiIdentifiers().equals(fields),
        "the scheme's quasi-identifiers %s differ from this Mondrian's %s",
        scheme.quasiIdentifiers(), fields);
    Checks.check(scheme.k() == k, "the scheme's k %s differs from this Mondrian's %s", scheme.k(),
        k);
    Checks.check(scheme.recoding().equals(recoding.name()),
        "the scheme's recoding %s differs from this Mondrian's %s", scheme.recoding(), recoding);
    return new Mondrian(fields, k, models, recoding, scheme);
  }

  @Override
  public String description() {
    return scheme == null ? "Mondrian multidimensional partitioning"
        : "Mondrian multidimensional partitioning, saved cuts";
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("models", Models.criteria(models()));
    p.put("quasiIdentifiers", fields);
    p.put("recoding", recoding.name());
    return p;
  }

  @Override
  public AnonymizedData anonymize(Dataset data) {
    return partition(data).anonymized();
  }

  /**
   * Partitions {@code data} (or routes it through the saved cuts) and recodes it.
   *
   * @return the released rows and the cuts, to save and re-apply to later batches
   */
  public Result partition(Dataset data) {
    long started = System.nanoTime();
    NumericQis qis = NumericQis.of(data, fields, "Mondrian");
    List<PrivacyModel> all = models();
    Models.check(all, data, fields);
    int n = qis.rows;
    if (n < k) {
      throw new AnonymizationFailedException("Mondrian cannot meet " + k + "-anonymity: the "
          + "table has fewer than " + k + " rows");
    }
    ClassView view = Models.view(all, data);
    int d = fields.size();
    double[] globalRange = new double[d];
    for (int q = 0; q < d; q++) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (double v : qis.values[q]) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      globalRange[q] = max - min;
    }
    int[] rows = new int[n];
    for (int r = 0; r < n; r++) {
      rows[r] = r;
    }
    List<int[]> partitions = new ArrayList<>();
    MondrianScheme cuts;
    if (scheme == null) {
      PrivacyModel broken = Models.broken(all, view, rows, 0, n);
      if (broken != null) {
        throw new AnonymizationFailedException("Mondrian cannot meet " + broken.criterion()
            + ": the whole table breaks it");
      }
      Partitioner p = new Partitioner(qis.values, globalRange, rows, k, view);
      p.split(0, n, partitions);
      cuts = p.scheme(fields, k, recoding);
    } else {
      cuts = scheme;
      route(qis.values, rows, partitions);
      for (int[] part : partitions) {
        PrivacyModel broken = Models.broken(all, view, rows, part[0], part[1]);
        if (broken != null) {
          throw new AnonymizationFailedException("this batch breaks " + broken.criterion()
              + " under the saved Mondrian cuts: a partition would hold " + (part[1] - part[0])
              + " rows");
        }
      }
    }

    double[][] recoded = new double[d][n];
    double penalty = 0;
    for (int[] part : partitions) {
      int from = part[0];
      int to = part[1];
      // A partition's values are summed in the table's order, whatever order the cuts left its
      // rows in: an engine that holds the rows elsewhere gets the same means.
      java.util.Arrays.sort(rows, from, to);
      for (int q = 0; q < d; q++) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (int i = from; i < to; i++) {
          double v = qis.values[q][rows[i]];
          min = Math.min(min, v);
          max = Math.max(max, v);
          sum += v;
        }
        double value = recoding == Recoding.MEAN ? sum / (to - from) : (min + max) / 2;
        for (int i = from; i < to; i++) {
          recoded[q][rows[i]] = value;
        }
        if (globalRange[q] > 0) {
          penalty += (max - min) / globalRange[q] * (to - from);
        }
      }
    }
    return new Result(qis.release(data, recoded, all, view, "partitions", partitions.size(),
        "NORMALIZED_CERTAINTY_PENALTY", penalty / ((double) n * d), started,
        "shares its partition's recoded values"), cuts);
  }

  /** The sensitive fields this Mondrian's models read, in the order first named. */
  public List<String> sensitiveFields() {
    return Models.sensitiveFields(models());
  }

  /**
   * The whole table as this Mondrian's models see it, for an engine that holds the rows
   * elsewhere and makes the upper cuts itself (privseg-spark cuts on its executors until a part
   * fits one task): each quasi-identifier's range, and each sensitive field's values with their
   * counts. With it, the engine checks a side of a cut from its counts ({@link Table#broken}) and
   * partitions a part in one place ({@link Table#partitionPart}), as {@link #partition}
   * would within the whole table.
   *
   * @param ranges each quasi-identifier's range (largest less smallest value) over the table
   * @param sensitive each of {@link #sensitiveFields()}'s values in the table, in that order
   * @throws dev.privseg.core.ConfigurationException if the order a model gives a categorical
   *     field does not list one of its values
   */
  public Table table(double[] ranges, List<SensitiveCounts> sensitive) {
    Checks.notNull(ranges, "ranges");
    Checks.notNull(sensitive, "sensitive");
    Checks.check(ranges.length == fields.size(), "%s ranges for %s quasi-identifiers",
        ranges.length, fields.size());
    List<String> named = sensitive.stream().map(SensitiveCounts::field).toList();
    Checks.check(named.equals(sensitiveFields()), "sensitive counts for %s, but the models read %s",
        named, sensitiveFields());
    long rows = -1;
    for (SensitiveCounts c : sensitive) {
      Checks.check(rows < 0 || c.rows() == rows, "the sensitive fields' counts differ in rows");
      rows = c.rows();
    }
    Table table = new Table(fields, k, models(), ranges.clone(), List.copyOf(sensitive));
    table.coded();
    return table;
  }

  /**
   * One sensitive field's distinct values in a table, each with its number of rows: its
   * categories (in the order first seen, as the table's order gives them) or, for a numeric
   * field, its numbers; and the rows missing a value. A value's index is its place in that list;
   * the missing value, if any row misses one, comes last. Immutable.
   */
  public static final class SensitiveCounts implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final List<String> categories;
    private final double[] numbers;
    private final long[] counts;

    private SensitiveCounts(String field, List<String> categories, double[] numbers,
        long[] counts, long missing) {
      Checks.notBlank(field, "sensitive field");
      int present = categories != null ? categories.size() : numbers.length;
      Checks.check(counts.length == present, "%s counts for %s values of '%s'", counts.length,
          present, field);
      Checks.check(missing >= 0, "missing rows of '%s' must be 0 or more", field);
      long[] all = java.util.Arrays.copyOf(counts, present + (missing > 0 ? 1 : 0));
      for (int v = 0; v < present; v++) {
        Checks.check(counts[v] > 0, "each value of '%s' must count at least one row", field);
      }
      if (missing > 0) {
        all[present] = missing;
      }
      this.field = field;
      this.categories = categories;
      this.numbers = numbers;
      this.counts = all;
    }

    /**
     * A categorical field's values.
     *
     * @param categories its distinct categories, in the order first seen in the table
     * @param counts each category's rows
     * @param missing the rows missing a value
     */
    public static SensitiveCounts ofCategories(String field, List<String> categories,
        long[] counts, long missing) {
      Checks.notNull(categories, "categories");
      Checks.check(new java.util.HashSet<>(categories).size() == categories.size(),
          "the categories of '%s' must be distinct", field);
      return new SensitiveCounts(field, List.copyOf(categories), null,
          Checks.notNull(counts, "counts"), missing);
    }

    /**
     * A numeric field's values.
     *
     * @param numbers its distinct values (a zero as {@code +0.0}), in any order
     * @param counts each number's rows
     * @param missing the rows missing a value
     */
    public static SensitiveCounts ofNumbers(String field, double[] numbers, long[] counts,
        long missing) {
      Checks.notNull(numbers, "numbers");
      double[] own = numbers.clone();
      java.util.Set<Long> seen = new java.util.HashSet<>();
      for (int v = 0; v < own.length; v++) {
        Checks.check(!Double.isNaN(own[v]), "the numbers of '%s' must not be NaN", field);
        own[v] += 0.0;
        Checks.check(seen.add(Double.doubleToLongBits(own[v])),
            "the numbers of '%s' must be distinct", field);
      }
      return new SensitiveCounts(field, null, own, Checks.notNull(counts, "counts").clone(),
          missing);
    }

    /** The field. */
    public String field() {
      return field;
    }

    /** How many values have an index: the distinct values, and the missing value if counted. */
    public int values() {
      return counts.length;
    }

    /** The rows counted. */
    public long rows() {
      long rows = 0;
      for (long c : counts) {
        rows += c;
      }
      return rows;
    }

    @Override
    public String toString() {
      return "SensitiveCounts[" + field + ", " + counts.length + " values]";
    }
  }

  /**
   * A table as a {@link Mondrian}'s models see it, made by {@link Mondrian#table}: what an
   * engine needs to check the sides of its cuts and to partition a part of the table in one
   * place as the whole table's run would. Immutable and thread-safe; {@link Serializable} when
   * the models are (the built-in ones but k-map are), to be sent to where the rows are held.
   */
  public static final class Table implements Serializable {
    private static final long serialVersionUID = 1L;
    private final List<String> fields;
    private final int k;
    private final List<PrivacyModel> models;
    private final double[] ranges;
    private final List<SensitiveCounts> sensitive;
    /** Each sensitive field's codes, built once where the table is used. */
    private transient volatile Coded coded;

    private Table(List<String> fields, int k, List<PrivacyModel> models, double[] ranges,
        List<SensitiveCounts> sensitive) {
      this.fields = fields;
      this.k = k;
      this.models = models;
      this.ranges = ranges;
      this.sensitive = sensitive;
    }

    /** Each sensitive field's codes and each value's code, as a whole table's run codes them. */
    private record Coded(List<SensitiveCodes> codes, List<int[]> codeOf,
        List<Map<String, Integer>> categories, List<double[]> sortedNumbers) {}

    private Coded coded() {
      Coded c = coded;
      if (c == null) {
        List<SensitiveCodes> codes = new ArrayList<>();
        List<int[]> codeOf = new ArrayList<>();
        List<Map<String, Integer>> categories = new ArrayList<>();
        List<double[]> numbers = new ArrayList<>();
        for (SensitiveCounts s : sensitive) {
          boolean missing = s.counts.length > (s.categories != null ? s.categories.size()
              : s.numbers.length);
          SensitiveCodes.Recoded r = SensitiveCodes.of(s.field, s.categories, s.numbers,
              missing, models);
          long[] byCode = new long[s.counts.length];
          for (int v = 0; v < s.counts.length; v++) {
            byCode[r.code(v)] = s.counts[v];
          }
          codes.add(r.codes().withShares(byCode, (int) s.rows()));
          codeOf.add(r.remap());
          Map<String, Integer> index = new java.util.HashMap<>();
          if (s.categories != null) {
            for (int v = 0; v < s.categories.size(); v++) {
              index.put(s.categories.get(v), v);
            }
          }
          categories.add(index);
          double[] sorted = s.numbers == null ? null : s.numbers.clone();
          if (sorted != null) {
            java.util.Arrays.sort(sorted);
          }
          numbers.add(sorted);
        }
        c = new Coded(codes, codeOf, categories, numbers);
        coded = c;
      }
      return c;
    }

    /** The sensitive fields, in the order {@link Mondrian#sensitiveFields()} gives them. */
    public List<String> sensitiveFields() {
      return sensitive.stream().map(SensitiveCounts::field).toList();
    }

    /**
     * The first model a class of {@code rows} rows breaks, or empty if every model holds: the
     * check {@link Mondrian#partition} makes of each side of a cut (a side's population matches
     * taken as its own rows).
     *
     * @param counts for each sensitive field (in {@link #sensitiveFields()} order), the class's
     *     rows holding each value, by the value's index in its {@link SensitiveCounts}
     * @throws IllegalArgumentException if the counts do not fit the table's values or do not
     *     add up to {@code rows}
     */
    public Optional<PrivacyModel> broken(long rows, long[][] counts) {
      Checks.check(rows >= 1 && rows <= Integer.MAX_VALUE, "a class holds 1 to %s rows",
          Integer.MAX_VALUE);
      Checks.notNull(counts, "counts");
      Checks.check(counts.length == sensitive.size(), "counts for %s sensitive fields, not %s",
          sensitive.size(), counts.length);
      Coded c = coded();
      List<ClassHistogram> histograms = new ArrayList<>();
      for (int s = 0; s < counts.length; s++) {
        String field = sensitive.get(s).field();
        Checks.check(counts[s].length == sensitive.get(s).values(),
            "counts for %s values of '%s', not %s", sensitive.get(s).values(), field,
            counts[s].length);
        ClassHistogram h = new ClassHistogram(c.codes().get(s));
        long sum = 0;
        for (int v = 0; v < counts[s].length; v++) {
          Checks.check(counts[s][v] >= 0, "the counts of '%s' must be 0 or more", field);
          sum += counts[s][v];
          if (counts[s][v] > 0) {
            h.add(c.codeOf().get(s)[v], (int) Math.min(counts[s][v], rows));
          }
        }
        Checks.check(sum == rows, "the counts of '%s' add up to %s rows, not %s", field, sum,
            rows);
        histograms.add(h);
      }
      return Optional.ofNullable(Models.broken(models, histograms, (int) rows));
    }

    /**
     * Partitions one part of the table as {@link Mondrian#partition} partitions it within the
     * whole table: widths normalized by the whole table's ranges, sensitive values measured
     * against the whole table's. The cuts within a part depend on its rows alone, not on their
     * order.
     *
     * @param part the part's rows, with the quasi-identifiers and the fields the models read
     * @return each row's partition within the part, numbered in the order
     *     {@link Mondrian#partition} lists the partitions (its cuts taken depth first, the lower
     *     side first)
     * @throws AnonymizationFailedException if the part breaks a model as a whole
     * @throws IllegalArgumentException if a row holds a sensitive value the table does not
     */
    public int[] partitionPart(Dataset part) {
      Checks.notNull(part, "part");
      NumericQis qis = NumericQis.of(part, fields, "Mondrian");
      Models.check(models, part, fields);
      Coded c = coded();
      List<ClassHistogram> histograms = new ArrayList<>();
      for (int s = 0; s < sensitive.size(); s++) {
        histograms.add(new ClassHistogram(c.codes().get(s).withRows(codes(part, s, c))));
      }
      ClassView view = new ClassView(models, histograms,
          models.stream().anyMatch(m -> m.population() != null));
      int n = qis.rows;
      int[] rows = new int[n];
      for (int r = 0; r < n; r++) {
        rows[r] = r;
      }
      PrivacyModel broken = Models.broken(models, view, rows, 0, n);
      if (broken != null) {
        throw new AnonymizationFailedException("Mondrian cannot meet " + broken.criterion()
            + ": a part of the table breaks it");
      }
      List<int[]> leaves = new ArrayList<>();
      new Partitioner(qis.values, ranges.clone(), rows, k, view).split(0, n, leaves);
      int[] leafOf = new int[n];
      for (int leaf = 0; leaf < leaves.size(); leaf++) {
        for (int i = leaves.get(leaf)[0]; i < leaves.get(leaf)[1]; i++) {
          leafOf[rows[i]] = leaf;
        }
      }
      return leafOf;
    }

    /** The table's code of each row's value of the {@code s}-th sensitive field of {@code part}. */
    private int[] codes(Dataset part, int s, Coded c) {
      SensitiveCounts counts = sensitive.get(s);
      dev.privseg.core.dataset.Column column = part.column(counts.field);
      int[] codeOf = c.codeOf().get(s);
      int present = counts.categories != null ? counts.categories.size()
          : counts.numbers.length;
      double[] sorted = c.sortedNumbers().get(s);
      Checks.check(sorted == null || column instanceof NumberColumn,
          "sensitive field '%s' is numeric in the table but not in the part", counts.field);
      int[] out = new int[column.size()];
      for (int r = 0; r < out.length; r++) {
        int index;
        if (column.isNull(r)) {
          index = counts.counts.length > present ? present : -1;
        } else if (sorted != null) {
          int rank = java.util.Arrays.binarySearch(sorted,
              ((NumberColumn) column).asDouble(r) + 0.0);
          // Numbers are coded by rank: the code is the rank itself.
          out[r] = rank < 0 ? fail(counts.field, r) : rank;
          continue;
        } else {
          index = c.categories().get(s).getOrDefault(column.text(r), -1);
        }
        out[r] = index < 0 ? fail(counts.field, r) : codeOf[index];
      }
      return out;
    }

    private static int fail(String field, int row) {
      throw new IllegalArgumentException("row " + row + " of the part holds a value of "
          + "sensitive field '" + field + "' that the table's counts do not");
    }

    @Override
    public String toString() {
      return "Mondrian.Table" + Models.criteria(models) + " on " + fields;
    }
  }

  /**
   * What the processing record says of a partitioning made elsewhere, as {@link #partition}
   * says it of its own: the summary (partitions, information loss, risk before and after), the
   * guarantees and the fields covered.
   *
   * @param partitions how many partitions were made
   * @param penalty the normalized certainty penalty, summed as {@link #partition} sums it
   *     (partition by partition in its order, then quasi-identifier by quasi-identifier, each
   *     partition's width over the range times its rows), not yet divided by rows times
   *     quasi-identifiers
   * @param sizesBefore the sizes of the classes of the rows' original quasi-identifier values
   * @param sizesAfter the sizes of the classes of the released rows (rows whose recoded values
   *     coincide share one)
   * @param rows the rows partitioned
   * @param startedNanos {@link System#nanoTime()} when the partitioning started
   */
  public Released released(int partitions, double penalty, int[] sizesBefore, int[] sizesAfter,
      long rows, long startedNanos) {
    Checks.notNull(sizesBefore, "sizesBefore");
    Checks.notNull(sizesAfter, "sizesAfter");
    Checks.check(rows > 0 && rows <= Integer.MAX_VALUE, "rows must be 1 to %s",
        Integer.MAX_VALUE);
    NumericQis.Summary summary = NumericQis.summary(fields, models(), sizesBefore, sizesAfter,
        (int) rows, "partitions", partitions, "NORMALIZED_CERTAINTY_PENALTY",
        penalty / ((double) rows * fields.size()), startedNanos,
        "shares its partition's recoded values");
    return new Released(summary.summary(), summary.guarantees(), summary.covered());
  }

  /**
   * What the record says of a partitioning.
   *
   * @param summary the record's summary of the anonymization
   * @param guarantees what holds for every released row
   * @param covered the fields the guarantees cover
   */
  public record Released(Map<String, Object> summary, List<String> guarantees,
      List<String> covered) {}

  /** Orders {@code rows} by the partition the saved cuts route each row to; appends ranges. */
  private void route(double[][] values, int[] rows, List<int[]> partitions) {
    int n = rows.length;
    int nodes = scheme.dimension().size();
    int[] leafOf = new int[n];
    int[] count = new int[nodes + 1];
    for (int r = 0; r < n; r++) {
      int node = 0;
      while (scheme.dimension().get(node) >= 0) {
        node = values[scheme.dimension().get(node)][r] <= scheme.cut().get(node)
            ? scheme.left().get(node) : scheme.right().get(node);
      }
      leafOf[r] = node;
      count[node + 1]++;
    }
    for (int i = 0; i < nodes; i++) {
      count[i + 1] += count[i];
    }
    int[] fill = java.util.Arrays.copyOf(count, nodes);
    for (int r = 0; r < n; r++) {
      rows[fill[leafOf[r]]++] = r;
    }
    for (int i = 0; i < nodes; i++) {
      if (count[i + 1] > count[i]) {
        partitions.add(new int[] {count[i], count[i + 1]});
      }
    }
  }

  /**
   * What {@link #partition} produced.
   *
   * @param anonymized the released rows and their guarantee
   * @param scheme the cuts, to save and re-apply
   */
  public record Result(AnonymizedData anonymized, MondrianScheme scheme) {}

  /** Recursive median splits over a permutation of the rows. */
  private static final class Partitioner {
    private final double[][] values;
    private final double[] globalRange;
    private final int[] rows;
    private final int k;
    private final ClassView view;
    private double[] scratch = new double[0];
    private final List<Integer> dimension = new ArrayList<>();
    private final List<Double> cutValue = new ArrayList<>();
    private final List<Integer> left = new ArrayList<>();
    private final List<Integer> right = new ArrayList<>();
    private int lastDimension;
    private double lastMedian;

    Partitioner(double[][] values, double[] globalRange, int[] rows, int k, ClassView view) {
      this.values = values;
      this.globalRange = globalRange;
      this.rows = rows;
      this.k = k;
      this.view = view;
    }

    /** Splits rows[from, to) as far as allowed; appends the leaves. Iterative, no deep stack. */
    void split(int from, int to, List<int[]> leaves) {
      java.util.ArrayDeque<int[]> work = new java.util.ArrayDeque<>();
      work.push(new int[] {from, to, newNode()});
      while (!work.isEmpty()) {
        int[] part = work.pop();
        int cut = tryCut(part[0], part[1]);
        if (cut < 0) {
          leaves.add(new int[] {part[0], part[1]});
        } else {
          int node = part[2];
          int l = newNode();
          int r = newNode();
          dimension.set(node, lastDimension);
          cutValue.set(node, lastMedian);
          left.set(node, l);
          right.set(node, r);
          work.push(new int[] {cut, part[1], r});
          work.push(new int[] {part[0], cut, l});
        }
      }
    }

    private int newNode() {
      dimension.add(-1);
      cutValue.add(0.0);
      left.add(-1);
      right.add(-1);
      return dimension.size() - 1;
    }

    MondrianScheme scheme(List<String> fields, int k, Recoding recoding) {
      return new MondrianScheme(MondrianScheme.FORMAT, fields, k, recoding.name(), dimension,
          cutValue, left, right);
    }

    /** Cuts at the median of the widest dimension that allows it; -1 if none does. */
    private int tryCut(int from, int to) {
      int size = to - from;
      if (size < 2 * k) {
        return -1;
      }
      int d = values.length;
      double[] width = new double[d];
      for (int q = 0; q < d; q++) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double[] v = values[q];
        for (int i = from; i < to; i++) {
          double x = v[rows[i]];
          if (x < min) {
            min = x;
          }
          if (x > max) {
            max = x;
          }
        }
        width[q] = globalRange[q] > 0 ? (max - min) / globalRange[q] : 0;
      }
      boolean[] tried = new boolean[d];
      for (int attempt = 0; attempt < d; attempt++) {
        int best = -1;
        for (int q = 0; q < d; q++) {
          if (!tried[q] && width[q] > 0 && (best < 0 || width[q] > width[best])) {
            best = q;
          }
        }
        if (best < 0) {
          return -1;
        }
        tried[best] = true;
        int cut = cutAtMedian(best, from, to);
        if (cut >= 0) {
          return cut;
        }
      }
      return -1;
    }

    /**
     * Strict split: rows with value at most the median go left, the others right. Returns the
     * boundary, or -1 if a side would have fewer than k rows or break another model.
     */
    private int cutAtMedian(int q, int from, int to) {
      int size = to - from;
      if (scratch.length < size) {
        scratch = new double[Math.max(size, scratch.length * 2)];
      }
      double[] v = values[q];
      for (int i = 0; i < size; i++) {
        scratch[i] = v[rows[from + i]];
      }
      double median = select(scratch, 0, size - 1, (size - 1) / 2);
      int left = from;
      int right = to - 1;
      while (left <= right) {
        if (v[rows[left]] <= median) {
          left++;
        } else {
          int t = rows[left];
          rows[left] = rows[right];
          rows[right--] = t;
        }
      }
      int leftSize = left - from;
      if (leftSize < k || size - leftSize < k || !Models.holds(view, rows, from, left)
          || !Models.holds(view, rows, left, to)) {
        return -1;
      }
      lastDimension = q;
      lastMedian = median;
      return left;
    }

    /** Hoare's quickselect: the value of rank {@code rank} in a[lo..hi] (reorders a). */
    private static double select(double[] a, int lo, int hi, int rank) {
      while (lo < hi) {
        double pivot = a[(lo + hi) >>> 1];
        int i = lo;
        int j = hi;
        while (i <= j) {
          while (a[i] < pivot) {
            i++;
          }
          while (a[j] > pivot) {
            j--;
          }
          if (i <= j) {
            double t = a[i];
            a[i++] = a[j];
            a[j--] = t;
          }
        }
        if (rank <= j) {
          hi = j;
        } else if (rank >= i) {
          lo = i;
        } else {
          return a[rank];
        }
      }
      return a[lo];
    }
  }

  @Override
  public String toString() {
    return "Mondrian" + parameters();
  }
}
