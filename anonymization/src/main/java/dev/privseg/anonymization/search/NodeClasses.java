package dev.privseg.anonymization.search;

/**
 * The equivalence classes of one lattice node: their sizes and a representative bottom class
 * each. Which bottom class lies in which node class is computed only when needed
 * ({@link ClassRollUp#ofBottom}).
 */
final class NodeClasses {
  final int node;
  final int count;
  final int[] size;
  /** A bottom class in each node class. */
  final int[] rep;

  NodeClasses(int node, int count, int[] size, int[] rep) {
    this.node = node;
    this.count = count;
    this.size = size;
    this.rep = rep;
  }
}
