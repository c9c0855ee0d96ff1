package dev.privseg.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.UnaryOperator;

/**
 * A partition's rows handed to the local engine's code a batch at a time (a column's worth for a
 * rule, a block for a session), and its rows for them given back in order; only one batch is
 * held at a time.
 */
final class Batches {
  private Batches() {}

  /**
   * The rows {@code each} makes of {@code rows}, taken {@code size} at a time: for every batch,
   * as many rows, in its order.
   */
  static <T> Iterator<T> of(Iterator<T> rows, int size, UnaryOperator<List<T>> each) {
    return new Iterator<>() {
      private List<T> batch = List.of();
      private int next;

      @Override
      public boolean hasNext() {
        if (next < batch.size()) {
          return true;
        }
        List<T> in = new ArrayList<>(size);
        while (in.size() < size && rows.hasNext()) {
          in.add(rows.next());
        }
        if (in.isEmpty()) {
          return false;
        }
        batch = each.apply(in);
        next = 0;
        return true;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return batch.get(next++);
      }
    };
  }
}
