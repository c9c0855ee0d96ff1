package dev.privseg.anonymization.mondrian;

import dev.privseg.anonymization.internal.SchemeJson;
import dev.privseg.core.Checks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Mondrian's cuts, saved so that later batches are partitioned the same way
 * ({@link Mondrian#withScheme}): a binary tree in arrays, node 0 the root; an inner node sends a
 * row left if its value of quasi-identifier {@code dimension} is at most {@code cut}, else right;
 * a leaf has dimension -1. The cut values are medians of the data the cuts were made from, so
 * keep a scheme with the same care as a generalization hierarchy: it holds values, not people.
 *
 * @param format the scheme format, {@value #FORMAT}
 * @param quasiIdentifiers the numeric quasi-identifiers, in dimension order
 * @param k the k the cuts were made for
 * @param recoding how partitions are recoded
 * @param dimension per node, the quasi-identifier cut, or -1 for a leaf
 * @param cut per node, the cut value
 * @param left per node, the left child
 * @param right per node, the right child
 */
public record MondrianScheme(String format, List<String> quasiIdentifiers, int k,
    String recoding, List<Integer> dimension, List<Double> cut, List<Integer> left,
    List<Integer> right) {

  /** The format identifier written into every scheme. */
  public static final String FORMAT = "privseg-mondrian-scheme/1";

  /** Checks the format and that the tree is well formed; copies the lists. */
  public MondrianScheme {
    Checks.check(FORMAT.equals(format), "scheme format must be '%s' but was '%s'", FORMAT,
        format);
    quasiIdentifiers = List.copyOf(quasiIdentifiers);
    dimension = List.copyOf(dimension);
    cut = List.copyOf(cut);
    left = List.copyOf(left);
    right = List.copyOf(right);
    int nodes = dimension.size();
    Checks.check(nodes > 0 && cut.size() == nodes && left.size() == nodes
        && right.size() == nodes, "Mondrian scheme: the node arrays must have one equal length");
    for (int i = 0; i < nodes; i++) {
      int d = dimension.get(i);
      if (d >= 0) {
        Checks.check(d < quasiIdentifiers.size() && left.get(i) > i && right.get(i) > i
            && left.get(i) < nodes && right.get(i) < nodes,
            "Mondrian scheme: node %s is malformed", i);
      }
    }
  }

  /** This scheme as JSON. */
  public String toJson() {
    return SchemeJson.toJson(this);
  }

  /** Writes this scheme as JSON to {@code file}. */
  public void write(Path file) throws IOException {
    SchemeJson.write(this, file);
  }

  /** Reads a scheme from its JSON form. */
  public static MondrianScheme fromJson(String json) {
    return SchemeJson.fromJson(json, MondrianScheme.class, "privseg Mondrian scheme");
  }

  /** Reads a scheme from {@code file}. */
  public static MondrianScheme read(Path file) throws IOException {
    return fromJson(Files.readString(file, StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "MondrianScheme[" + quasiIdentifiers + ", k=" + k + ", " + dimension.size()
        + " nodes]";
  }
}
