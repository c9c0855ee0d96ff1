package dev.privseg.core.segment.kmeans;

import dev.privseg.core.Checks;
import java.io.Serializable;

/**
 * A chunk of the rows a {@link ChunkedRows} holds: up to {@link ChunkedRows#CHUNK} consecutive
 * rows' features, row-major, and the state k-means keeps per row (each row's segment, and its
 * seeding weight). Not thread-safe: one step at a time.
 */
public final class Chunk implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int index;
  private final int rows;
  private final int cols;
  private final double[] values;
  /** Per row: its segment in the latest assignment (null before the first). */
  int[] labels;
  /** Per row: its k-means++ weight as last swept (null before the first sweep). */
  double[] weights;

  /**
   * Chunk {@code index} of rows with {@code cols} features each, {@code values} row-major (not
   * copied: the chunk reads it, never writes it).
   *
   * @throws dev.privseg.core.ConfigurationException if the values do not make whole rows, or
   *     make none or more than {@link ChunkedRows#CHUNK}
   */
  public Chunk(int index, int cols, double[] values) {
    Checks.atLeast(index, 0, "chunk index");
    Checks.atLeast(cols, 1, "features");
    Checks.notNull(values, "values");
    Checks.check(values.length % cols == 0 && values.length > 0
        && values.length / cols <= ChunkedRows.CHUNK,
        "a chunk holds 1 to %s whole rows of %s features but was given %s values",
        ChunkedRows.CHUNK, cols, values.length);
    this.index = index;
    this.cols = cols;
    this.values = values;
    this.rows = values.length / cols;
  }

  private Chunk(Chunk from) {
    this.index = from.index;
    this.rows = from.rows;
    this.cols = from.cols;
    this.values = from.values;
    this.labels = from.labels == null ? null : from.labels.clone();
    this.weights = from.weights == null ? null : from.weights.clone();
  }

  /** This chunk's index: it holds rows from {@code index * CHUNK} on. */
  public int index() {
    return index;
  }

  /** The number of rows in this chunk. */
  public int rows() {
    return rows;
  }

  /** The number of features per row. */
  public int cols() {
    return cols;
  }

  /** The index, among all rows, of this chunk's first row. */
  public int firstRow() {
    return index * ChunkedRows.CHUNK;
  }

  /** A copy of this chunk's row {@code row}'s features. */
  public double[] rowValues(int row) {
    java.util.Objects.checkIndex(row, rows);
    return java.util.Arrays.copyOfRange(values, row * cols, row * cols + cols);
  }

  /**
   * Copies row {@code row}'s features into {@code into} from index {@code at} on, so that a pass
   * over every row needs one array, not one per row.
   */
  public void copyRow(int row, double[] into, int at) {
    java.util.Objects.checkIndex(row, rows);
    System.arraycopy(values, row * cols, into, at, cols);
  }

  /**
   * The chunk's features, row-major ({@link #rows()} x {@link #cols()}): the array itself, not a
   * copy, for a step's pass over many rows. A step must not write it.
   */
  public double[] values() {
    return values;
  }

  /**
   * The segment a fit assigned this chunk's row {@code row} to.
   *
   * @throws IllegalStateException before a fit has assigned the rows
   */
  public int label(int row) {
    if (labels == null) {
      throw new IllegalStateException("no fit has assigned this chunk's rows yet");
    }
    return labels[java.util.Objects.checkIndex(row, rows)];
  }

  /**
   * Assigns this chunk's row {@code row} to segment {@code segment}, as a fit that is not
   * k-means does (its steps run where the chunk is held).
   */
  public void assign(int row, int segment) {
    java.util.Objects.checkIndex(row, rows);
    if (segment < 0) { // checked without Checks' varargs: a step calls this for every row
      Checks.atLeast(segment, 0, "segment");
    }
    if (labels == null) {
      labels = new int[rows];
    }
    labels[row] = segment;
  }

  /**
   * The seeding weight a fit last gave this chunk's row {@code row} (in D² seeding, its
   * distance to the nearest centre chosen so far); positive infinity before any.
   */
  public double weight(int row) {
    java.util.Objects.checkIndex(row, rows);
    return weights == null ? Double.POSITIVE_INFINITY : weights[row];
  }

  /**
   * Sets the seeding weight of this chunk's row {@code row}, as a fit that is not k-means does
   * in its seeding steps (a k-means fit resets every weight when it starts seeding).
   */
  public void weigh(int row, double weight) {
    java.util.Objects.checkIndex(row, rows);
    if (weights == null) {
      weights = new double[rows];
    }
    weights[row] = weight;
  }

  /**
   * This chunk's state (each row's segment and seeding weight, as the last step left them), for
   * an engine that keeps it apart from the features, which never change: it caches the features
   * once and only the state from step to step. Not a copy: take it once the chunk is done with.
   */
  public State state() {
    return new State(labels, weights);
  }

  /**
   * A chunk of the same rows (shared) holding {@code state} (not copied: {@link #copy} before a
   * step changes it), made from this chunk's features and a state {@link #state} gave.
   *
   * @throws dev.privseg.core.ConfigurationException if the state is of another number of rows
   */
  public Chunk withState(State state) {
    Checks.notNull(state, "state");
    int stateRows = state.labels != null ? state.labels.length
        : state.weights != null ? state.weights.length : rows;
    Checks.check(stateRows == rows && (state.weights == null || state.weights.length == rows),
        "the state is of a chunk of %s rows, not of this chunk's %s", stateRows, rows);
    Chunk out = new Chunk(this);
    out.labels = state.labels;
    out.weights = state.weights;
    return out;
  }

  /**
   * What a fit keeps per row of a chunk between steps (see {@link #state}): opaque, serializable,
   * to be given back to {@link #withState} on the same chunk's features.
   */
  public static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int[] labels;
    private final double[] weights;

    State(int[] labels, double[] weights) {
      this.labels = labels;
      this.weights = weights;
    }

    @Override
    public String toString() {
      return "Chunk.State[" + (labels == null ? "no segments" : labels.length + " rows") + "]";
    }
  }

  /** A chunk of the same rows (shared, as they are never written) with a copy of the state. */
  public Chunk copy() {
    return new Chunk(this);
  }

  @Override
  public String toString() {
    return "Chunk[" + index + ": " + rows + " x " + cols + "]";
  }
}
