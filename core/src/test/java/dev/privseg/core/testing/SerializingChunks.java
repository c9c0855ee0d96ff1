package dev.privseg.core.testing;

import dev.privseg.core.segment.kmeans.Chunk;
import dev.privseg.core.segment.kmeans.ChunkStep;
import dev.privseg.core.segment.kmeans.ChunkedRows;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Chunked rows as a distributed engine holds them: every step, chunk and result crosses a
 * serialization boundary, as it would to an executor and back, and the chunks are processed in
 * a shuffled order each time; results are handed back in chunk order. As Spark's engine does,
 * the features are held once and each chunk's state apart from them ({@link Chunk#state}).
 */
public final class SerializingChunks implements ChunkedRows {
  private final List<Chunk> chunks = new ArrayList<>();
  /** Per chunk: its state as the last step left it, serialized (null before the first). */
  private final List<Chunk.State> states = new ArrayList<>();
  private final int rows;
  private final int cols;
  private final SplittableRandom order;

  /** The rows of the {@code rows} x {@code cols} matrix {@code x}, shuffled from {@code seed}. */
  public SerializingChunks(double[] x, int rows, int cols, long seed) {
    this.rows = rows;
    this.cols = cols;
    this.order = new SplittableRandom(seed);
    for (int c = 0; c * CHUNK < rows; c++) {
      int to = Math.min(rows, (c + 1) * CHUNK);
      chunks.add(new Chunk(c, cols, java.util.Arrays.copyOfRange(x, c * CHUNK * cols,
          to * cols)));
      states.add(null);
    }
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int cols() {
    return cols;
  }

  @Override
  public <R extends Serializable> List<R> update(ChunkStep<R> step) {
    List<Integer> shuffled = new ArrayList<>();
    for (int c = 0; c < chunks.size(); c++) {
      shuffled.add(c);
    }
    Collections.shuffle(shuffled, new java.util.Random(order.nextLong()));
    List<R> results = new ArrayList<>(Collections.nCopies(chunks.size(), null));
    for (int c : shuffled) {
      Chunk there = roundTrip(current(c)).copy();
      results.set(c, roundTrip(roundTrip(step).apply(there)));
      states.set(c, roundTrip(there.state()));
    }
    return results;
  }

  @Override
  public <R extends Serializable> R read(int chunk, ChunkStep<R> step) {
    return roundTrip(roundTrip(step).apply(roundTrip(current(chunk)).copy()));
  }

  /** Chunk {@code c}'s features with its state. */
  private Chunk current(int c) {
    return states.get(c) == null ? chunks.get(c) : chunks.get(c).withState(states.get(c));
  }

  /** Row {@code row}'s segment, after a fit. */
  public int label(int row) {
    return current(row / CHUNK).label(row % CHUNK);
  }

  @SuppressWarnings("unchecked")
  public static <T> T roundTrip(T value) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(value);
      }
      try (ObjectInputStream in = new ObjectInputStream(
          new ByteArrayInputStream(bytes.toByteArray()))) {
        return (T) in.readObject();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
