package dev.privseg.anonymization.search;

import dev.privseg.core.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * The generalization lattice of one table: every combination of hierarchy levels of its
 * quasi-identifiers. Lets a caller evaluate any node, e.g. to compare the search's choice with its
 * neighbours or with a brute-force search. Not thread-safe.
 */
public final class Lattice {
  private final Engine engine;

  Lattice(Engine engine) {
    this.engine = engine;
  }

  /** The quasi-identifiers, in the order of a node's levels. */
  public List<String> quasiIdentifiers() {
    return List.of(engine.enc.names);
  }

  /** The number of levels of each quasi-identifier's hierarchy. */
  public List<Integer> heights() {
    List<Integer> out = new ArrayList<>();
    for (int h : engine.enc.heights) {
      out.add(h);
    }
    return out;
  }

  /** The number of nodes. */
  public int size() {
    return engine.size;
  }

  /** The levels of node number {@code node} (0 = all values as they are). */
  public int[] levels(int node) {
    Checks.check(node >= 0 && node < engine.size, "node must be in 0..%s but was %s",
        engine.size - 1, node);
    return engine.levels(node);
  }

  /** Evaluates the node with {@code levels}, one per quasi-identifier. */
  public NodeEvaluation evaluate(int... levels) {
    Checks.check(levels.length == engine.enc.qis, "%s levels for %s quasi-identifiers",
        levels.length, engine.enc.qis);
    for (int q = 0; q < levels.length; q++) {
      Checks.check(levels[q] >= 0 && levels[q] < engine.enc.heights[q],
          "level of '%s' must be in 0..%s but was %s", engine.enc.names[q],
          engine.enc.heights[q] - 1, levels[q]);
    }
    Engine.Eval e = engine.evaluate(engine.node(levels));
    return new NodeEvaluation(levels.clone(), e.anonymous, e.suppressed, e.loss,
        e.classes.count);
  }

  /**
   * One node's evaluation.
   *
   * @param levels the level of each quasi-identifier
   * @param meetsModels whether every model holds with at most the allowed rows suppressed
   * @param suppressedRows rows in classes that break a model
   * @param loss the information loss when the models are met; NaN otherwise
   * @param classes the number of equivalence classes before suppression
   */
  public record NodeEvaluation(int[] levels, boolean meetsModels, int suppressedRows,
      double loss, int classes) {}
}
