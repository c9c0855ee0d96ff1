package dev.privseg.cli;

import dev.privseg.core.PrivsegException;

/**
 * What every fuzz target checks: a parser given hostile input either answers or throws one of
 * privseg's typed exceptions; anything else (a runtime exception of the JDK or of a library
 * below, a stack overflow, running out of memory) escapes and is a finding.
 */
final class Fuzz {
  private Fuzz() {}

  /** Work that may throw anything. */
  @FunctionalInterface
  interface Work {
    void run() throws Exception;
  }

  /** Runs {@code work}, letting only a {@link PrivsegException} pass as an answer. */
  static void onlyTypedExceptions(Work work) throws Exception {
    try {
      work.run();
    } catch (PrivsegException expected) {
      // A typed refusal is a valid answer to hostile input.
    }
  }
}
