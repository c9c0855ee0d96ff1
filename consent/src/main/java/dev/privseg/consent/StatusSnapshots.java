package dev.privseg.consent;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where status snapshots are kept ({@link StatusSnapshot}): one per purpose, replaced whole by
 * the next. The consent database keeps them ({@code ConsentDatabase.statusSnapshots()});
 * {@link #inMemory()} here. Implementations are thread-safe, and a reader sees a snapshot whole
 * or not at all.
 */
public interface StatusSnapshots {

  /**
   * Saves {@code snapshot} with its {@code parts} (in order), replacing the purpose's earlier
   * snapshot, atomically; returns it with the id it is kept under.
   */
  StatusSnapshot save(StatusSnapshot snapshot, List<byte[]> parts);

  /** The purpose's snapshot, if one was saved. */
  Optional<StatusSnapshot> latest(String purpose);

  /** Hands {@code visitor} the parts of snapshot {@code id}, in order. */
  void parts(long id, Consumer<byte[]> visitor);

  /** A store in memory. */
  static StatusSnapshots inMemory() {
    return new InMemoryStatusSnapshots();
  }
}
