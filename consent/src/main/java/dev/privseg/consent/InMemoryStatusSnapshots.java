package dev.privseg.consent;

import dev.privseg.core.Checks;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** {@link StatusSnapshots} in memory, for tests and single-process hosts. Thread-safe. */
final class InMemoryStatusSnapshots implements StatusSnapshots {
  private final Map<String, StatusSnapshot> latest = new HashMap<>();
  private final Map<Long, List<byte[]>> parts = new HashMap<>();
  private long next = 1;

  @Override
  public synchronized StatusSnapshot save(StatusSnapshot snapshot, List<byte[]> parts) {
    Checks.notNull(snapshot, "snapshot");
    StatusSnapshot kept = new StatusSnapshot(next++, snapshot.purpose(), snapshot.policy(),
        snapshot.headSequence(), snapshot.headHash(), snapshot.foldedAt(), snapshot.takenAt(),
        snapshot.subjects(), snapshot.digest());
    StatusSnapshot old = latest.put(kept.purpose(), kept);
    if (old != null) {
      this.parts.remove(old.id());
    }
    this.parts.put(kept.id(), parts.stream().map(byte[]::clone).toList());
    return kept;
  }

  @Override
  public synchronized Optional<StatusSnapshot> latest(String purpose) {
    return Optional.ofNullable(latest.get(purpose));
  }

  @Override
  public void parts(long id, Consumer<byte[]> visitor) {
    List<byte[]> held;
    synchronized (this) {
      held = parts.getOrDefault(id, List.of());
    }
    held.forEach(p -> visitor.accept(p.clone()));
  }
}
