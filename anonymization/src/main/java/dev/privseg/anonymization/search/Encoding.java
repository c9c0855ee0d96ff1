package dev.privseg.anonymization.search;

import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.anonymization.internal.ClassHistogram;
import dev.privseg.anonymization.internal.Codes;
import dev.privseg.anonymization.internal.LongIntMap;
import dev.privseg.anonymization.internal.SensitiveCodes;
import dev.privseg.anonymization.model.Population;
import dev.privseg.anonymization.model.PrivacyModel;
import dev.privseg.anonymization.utility.LossMetric;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

/**
 * A table encoded for the lattice search: each quasi-identifier's values as dense base codes, the
 * code of every base value at every level of its hierarchy, the bottom equivalence classes (rows
 * equal on all base codes) with their sizes and sensitive-value histograms. Everything later is
 * computed on classes, never on rows or strings.
 */
final class Encoding {
  final int rows;
  final int qis;
  final String[] names;
  final int[] heights;
  /** [q][level][baseCode] -> code at level. */
  final int[][][] map;
  /** [q][level] number of codes at level. */
  final int[][] card;
  /** [q][level][code] -> label; null for the missing value below the top level. */
  final String[][][] labels;
  /** [q] the base code of the missing value, or -1 if the field has none. */
  final int[] missingCode;
  /** [q] how many present values the class table gives (population values come after). */
  final int[] tableValues;
  /** [q] the class table's code of the missing value, or -1 if its rows have none. */
  final int[] tableMissing;

  /** Bottom classes: their count, row-major base codes, sizes, and the class of every row. */
  final int bottom;
  final int[] bottomCodes;
  final int[] bottomSize;
  final int[] classOfRow;

  /** Sensitive fields: names, distinct values per field, CSR histograms per bottom class. */
  final List<String> sensitiveNames = new ArrayList<>();
  /** The hierarchies, by quasi-identifier. */
  final List<Hierarchy> hierarchyOf;
  /** Per quasi-identifier and level, how many listed values each label covers; made lazily. */
  private int[][][] listedLeaves;
  final List<Sensitive> sensitive = new ArrayList<>();

  /** Per-cell cost of each base code at each level, for the cell-additive metrics. */
  final double[][][] cellCost;
  /**
   * [q][level][code at level] what suppressing a cell with that label adds to its cost (top cost
   * minus cost at the level; it depends on the label only, for every cell-additive metric).
   */
  final double[][][] suppressCost;
  /** [q][level] the summed cost of all rows' cells of field q at that level. */
  final double[][] levelCost;
  final double costNorm;
  /** [q][baseCode] rows holding the value. */
  private final int[][] baseCount;

  /** One sensitive field's encoding. */
  static final class Sensitive {
    /** The field's code of every row. */
    final SensitiveCodes codes;
    /** Per bottom class b, entries start[b]..start[b + 1] of code and count (CSR). */
    final int[] start;
    final int[] code;
    final int[] count;

    Sensitive(SensitiveCodes codes, int[] start, int[] code, int[] count) {
      this.codes = codes;
      this.start = start;
      this.code = code;
      this.count = count;
    }

    /** Adds the values of the bottom classes {@code members[from, to)} to {@code h}. */
    void fill(ClassHistogram h, int[] members, int from, int to) {
      for (int i = from; i < to; i++) {
        int b = members[i];
        for (int e = start[b]; e < start[b + 1]; e++) {
          h.add(code[e], count[e]);
        }
      }
    }
  }

  /** Population classes (k-map, journalist risk): count, row-major base codes, individuals. */
  final int populationClasses;
  final int[] populationCodes;
  final long[] populationWeight;

  Encoding(Dataset data, List<Hierarchy> hierarchies, List<PrivacyModel> models,
      LossMetric metric) {
    this(data, hierarchies, models, metric, null);
  }

  Encoding(Dataset data, List<Hierarchy> hierarchies, List<PrivacyModel> models,
      LossMetric metric, Population population) {
    this(rowsOf(data, hierarchies, models), hierarchies, models, metric, population);
  }

  /** The classes of {@code data} and the class of each of its rows. */
  private record Rows(ClassTable table, int[] classOfRow) {}

  private static Rows rowsOf(Dataset data, List<Hierarchy> hierarchies,
      List<PrivacyModel> models) {
    List<String> qis = new ArrayList<>();
    hierarchies.forEach(h -> qis.add(h.field()));
    int[] classOfRow = new int[data.rowCount()];
    return new Rows(ClassTable.fromRows(data, qis,
        dev.privseg.anonymization.internal.Models.sensitiveFields(models), classOfRow),
        classOfRow);
  }

  private Encoding(Rows rows, List<Hierarchy> hierarchies, List<PrivacyModel> models,
      LossMetric metric, Population population) {
    this(rows.table(), rows.classOfRow(), hierarchies, models, metric, population);
  }

  /**
   * The encoding of {@code table}, whose quasi-identifiers are those of {@code hierarchies} in
   * that order and whose sensitive fields are those of {@code models}; {@code classOfRow} gives
   * each row's class when the rows are at hand, else null.
   */
  Encoding(ClassTable table, int[] classOfRow, List<Hierarchy> hierarchies,
      List<PrivacyModel> models, LossMetric metric, Population population) {
    rows = table.rows;
    qis = hierarchies.size();
    names = new String[qis];
    hierarchyOf = List.copyOf(hierarchies);
    heights = new int[qis];
    map = new int[qis][][];
    card = new int[qis][];
    labels = new String[qis][][];
    missingCode = new int[qis];
    tableValues = new int[qis];
    tableMissing = new int[qis];
    int[][] popBase = new int[qis][];
    int[] baseCard = new int[qis];
    for (int q = 0; q < qis; q++) {
      Hierarchy h = hierarchies.get(q);
      names[q] = h.field();
      heights[q] = h.height();
      List<String> values = new ArrayList<>(table.values.get(q));
      tableValues[q] = values.size();
      tableMissing[q] = table.missing[q] ? values.size() : -1;
      boolean missing = table.missing[q];
      if (population != null) {
        Column pc = population.table().column(h.field());
        popBase[q] = Codes.byText(pc, values);
        missing |= pc.nullCount() > 0;
      }
      missingCode[q] = missing ? values.size() : -1;
      if (population != null) {
        Codes.fillMissing(popBase[q], missingCode[q]);
      }
      baseCard[q] = values.size() + (missing ? 1 : 0);
      levels(q, h, values);
    }
    bottom = table.classes;
    bottomSize = table.sizes;
    this.classOfRow = classOfRow;
    int[] codes = table.codes;
    for (int q = 0; q < qis; q++) {
      // The table's missing code, moved past the population's values.
      if (tableMissing[q] >= 0 && tableMissing[q] != missingCode[q]) {
        codes = codes == table.codes ? codes.clone() : codes;
        for (int b = 0; b < bottom; b++) {
          if (codes[b * qis + q] == tableMissing[q]) {
            codes[b * qis + q] = missingCode[q];
          }
        }
      }
    }
    bottomCodes = codes;
    if (population == null) {
      populationClasses = 0;
      populationCodes = new int[0];
      populationWeight = new long[0];
    } else {
      int[] bits = new int[qis];
      int totalBits = 0;
      for (int q = 0; q < qis; q++) {
        bits[q] = ClassTable.bitsFor(baseCard[q]);
        totalBits += bits[q];
      }
      if (totalBits > 64) {
        throw new dev.privseg.core.ConfigurationException("a population table needs "
            + "quasi-identifiers whose codes fit in 64 bits; these need " + totalBits);
      }
      LongIntMap pop = new LongIntMap();
      int prows = population.table().rowCount();
      pop.clear(Math.min(prows, 1 << 16));
      int[] classOfPop = new int[prows];
      for (int r = 0; r < prows; r++) {
        long key = 0;
        for (int q = 0; q < qis; q++) {
          key = (key << bits[q]) | popBase[q][r];
        }
        classOfPop[r] = pop.idOf(key);
      }
      populationClasses = pop.size();
      populationCodes = new int[populationClasses * qis];
      populationWeight = new long[populationClasses];
      dev.privseg.core.dataset.LongColumn weights = population.weightField() == null ? null
          : population.table().column(population.weightField(),
              dev.privseg.core.dataset.LongColumn.class);
      for (int r = 0; r < prows; r++) {
        int c = classOfPop[r];
        for (int q = 0; q < qis; q++) {
          populationCodes[c * qis + q] = popBase[q][r];
        }
        long w = weights == null ? 1 : weights.isNull(r) ? 0 : weights.get(r);
        if (w < 0) {
          throw new dev.privseg.core.ConfigurationException("population weight field '"
              + population.weightField() + "' has a negative value in row " + (r + 1));
        }
        populationWeight[c] += w;
      }
    }
    for (ClassTable.SensitiveField f : table.sensitive) {
      sensitiveNames.add(f.name());
      sensitive.add(sensitive(f, models));
    }
    baseCount = new int[qis][];
    for (int q = 0; q < qis; q++) {
      baseCount[q] = new int[baseCard[q]];
      for (int b = 0; b < bottom; b++) {
        baseCount[q][bottomCodes[b * qis + q]] += bottomSize[b];
      }
    }
    cellCost = new double[qis][][];
    suppressCost = new double[qis][][];
    levelCost = new double[qis][];
    costNorm = costs(metric);
  }

  /** A copy of {@code src} that prices cells for {@code metric}; shares everything else. */
  Encoding(Encoding src, LossMetric metric) {
    rows = src.rows;
    qis = src.qis;
    names = src.names;
    hierarchyOf = src.hierarchyOf;
    heights = src.heights;
    map = src.map;
    card = src.card;
    labels = src.labels;
    missingCode = src.missingCode;
    tableValues = src.tableValues;
    tableMissing = src.tableMissing;
    bottom = src.bottom;
    bottomCodes = src.bottomCodes;
    bottomSize = src.bottomSize;
    classOfRow = src.classOfRow;
    populationClasses = src.populationClasses;
    populationCodes = src.populationCodes;
    populationWeight = src.populationWeight;
    sensitiveNames.addAll(src.sensitiveNames);
    sensitive.addAll(src.sensitive);
    baseCount = src.baseCount;
    cellCost = new double[qis][][];
    suppressCost = new double[qis][][];
    levelCost = new double[qis][];
    costNorm = costs(metric);
  }

  private double costs(LossMetric metric) {
    double norm = 0;
    for (int q = 0; q < qis; q++) {
      costs(q, metric, baseCount[q].length, baseCount[q]);
      norm += levelCost[q][heights[q] - 1];
    }
    return norm;
  }


  /** Bits to pack field q's codes at {@code level}. */
  int bits(int q, int level) {
    return ClassTable.bitsFor(card[q][level]);
  }

  /** Generalizes every distinct value to every level; checks that the hierarchy nests. */
  private void levels(int q, Hierarchy h, List<String> values) {
    int height = h.height();
    int distinct = values.size() + (missingCode[q] >= 0 ? 1 : 0);
    map[q] = new int[height][distinct];
    card[q] = new int[height];
    labels[q] = new String[height][];
    for (int level = 0; level < height; level++) {
      Map<String, Integer> codes = new LinkedHashMap<>();
      for (int v = 0; v < values.size(); v++) {
        String label = h.generalize(values.get(v), level);
        Integer c = codes.get(label);
        if (c == null) {
          c = codes.size();
          codes.put(label, c);
        }
        map[q][level][v] = c;
      }
      List<String> ls = new ArrayList<>(codes.keySet());
      if (missingCode[q] >= 0) {
        if (level == height - 1) {
          map[q][level][missingCode[q]] = codes.isEmpty() ? 0 : codes.get(Hierarchy.SUPPRESSED);
          if (codes.isEmpty()) {
            ls.add(Hierarchy.SUPPRESSED);
          }
        } else {
          map[q][level][missingCode[q]] = ls.size();
          ls.add(null);
        }
      }
      card[q][level] = ls.size();
      labels[q][level] = ls.toArray(new String[0]);
      if (level > 0) {
        int[] up = new int[card[q][level - 1]];
        Arrays.fill(up, -1);
        for (int v = 0; v < distinct; v++) {
          int lower = map[q][level - 1][v];
          int upper = map[q][level][v];
          if (up[lower] >= 0 && up[lower] != upper) {
            throw new ConfigurationException("hierarchy of field '" + names[q]
                + "' does not nest: values sharing a label at level " + (level - 1)
                + " have different labels at level " + level);
          }
          up[lower] = upper;
        }
      }
    }
  }

  /** One sensitive field's counts in the models' code space, each class's entries by code. */
  private Sensitive sensitive(ClassTable.SensitiveField f, List<PrivacyModel> models) {
    SensitiveCodes.Recoded sc = SensitiveCodes.of(f.name(), f.categories(), f.numbers(),
        f.missing(), models);
    int[] code = new int[f.code().length];
    int[] count = new int[code.length];
    long[] perCode = new long[sc.codes().distinct];
    long[] packed = new long[code.length];
    for (int b = 0; b < bottom; b++) {
      for (int e = f.start()[b]; e < f.start()[b + 1]; e++) {
        int c = sc.code(f.code()[e]);
        packed[e] = (long) c << 32 | f.count()[e];
        perCode[c] += f.count()[e];
      }
      java.util.Arrays.sort(packed, f.start()[b], f.start()[b + 1]);
      for (int e = f.start()[b]; e < f.start()[b + 1]; e++) {
        code[e] = (int) (packed[e] >>> 32);
        count[e] = (int) packed[e];
      }
    }
    return new Sensitive(sc.codes().withShares(perCode, rows), f.start(), code, count);
  }

  private void costs(int q, LossMetric metric, int baseCard, int[] baseCount) {
    int height = heights[q];
    cellCost[q] = new double[height][baseCard];
    suppressCost[q] = new double[height][];
    levelCost[q] = new double[height];
    for (int level = 0; level < height; level++) {
      int[] leaves = new int[card[q][level]];
      int[] rowsWith = new int[card[q][level]];
      for (int v = 0; v < baseCard; v++) {
        leaves[map[q][level][v]]++;
        rowsWith[map[q][level][v]] += baseCount[v];
      }
      double sum = 0;
      for (int v = 0; v < baseCard; v++) {
        int c = map[q][level][v];
        double cost;
        switch (metric) {
          case LOSS:
            cost = baseCard <= 1 ? (level == height - 1 ? 1 : 0)
                : (leaves[c] - 1) / (double) (baseCard - 1);
            break;
          case ARX_LOSS:
            cost = arxCost(q, level, c, leaves[c], baseCard);
            break;
          case NON_UNIFORM_ENTROPY:
            cost = baseCount[v] == 0 ? 0 : log2((double) rowsWith[c] / baseCount[v]);
            break;
          default:
            cost = level / (double) (height - 1);
            break;
        }
        cellCost[q][level][v] = cost;
        sum += cost * baseCount[v];
      }
      levelCost[q][level] = sum;
    }
    for (int level = 0; level < height; level++) {
      suppressCost[q][level] = new double[card[q][level]];
      for (int v = 0; v < baseCard; v++) {
        suppressCost[q][level][map[q][level][v]] = cellCost[q][height - 1][v]
            - cellCost[q][level][v];
      }
    }
  }

  /**
   * ARX's cost of a cell at {@code level} labelled {@code label}: {@code (m - 1) / (M - 1)} with
   * {@code m} and {@code M} counted among the values the hierarchy lists, or, for a hierarchy
   * given by a rule, among the values present ({@code present} of them; {@code presentLeaves}
   * under this label). A single-value domain costs 0, as in ARX.
   */
  private double arxCost(int q, int level, int label, int presentLeaves, int present) {
    List<String> values = hierarchyOf.get(q).listedValues().orElse(null);
    int domain = values == null ? present : values.size();
    if (domain <= 1) {
      return 0;
    }
    int leaves = values == null ? presentLeaves : listedLeaves(q, level)[label];
    return (Math.max(leaves, 1) - 1) / (double) (domain - 1);
  }

  /** How many listed values fall under each label of quasi-identifier {@code q} at a level. */
  private int[] listedLeaves(int q, int level) {
    if (listedLeaves == null) {
      listedLeaves = new int[qis][][];
    }
    if (listedLeaves[q] == null) {
      listedLeaves[q] = new int[heights[q]][];
    }
    if (listedLeaves[q][level] == null) {
      Map<String, Integer> code = new HashMap<>();
      for (int c = 0; c < labels[q][level].length; c++) {
        code.put(labels[q][level][c], c);
      }
      int[] counts = new int[labels[q][level].length];
      Hierarchy h = hierarchyOf.get(q);
      for (String v : h.listedValues().orElseThrow()) {
        Integer c = code.get(h.generalize(v, level));
        if (c != null) {
          counts[c]++;
        }
      }
      listedLeaves[q][level] = counts;
    }
    return listedLeaves[q][level];
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
