package dev.privseg.consent;

import java.util.ArrayList;
import java.util.List;

/**
 * Where activations are recorded, for the audit trail: who handed which run's segments to which
 * channel, when, and how many members were left out and why. {@link #inMemory()} for tests and
 * small hosts; the consent database keeps one
 * ({@link dev.privseg.consent.store.jdbc.ConsentDatabase#activations()}). Thread-safe.
 */
public interface ActivationLog {

  /** Records {@code activation}. */
  void record(Activation activation);

  /** Every activation recorded, oldest first. */
  List<Activation> activations();

  /** A log held in memory. */
  static ActivationLog inMemory() {
    return new ActivationLog() {
      private final List<Activation> activations = new ArrayList<>();

      @Override
      public synchronized void record(Activation activation) {
        activations.add(activation);
      }

      @Override
      public synchronized List<Activation> activations() {
        return List.copyOf(activations);
      }
    };
  }
}
