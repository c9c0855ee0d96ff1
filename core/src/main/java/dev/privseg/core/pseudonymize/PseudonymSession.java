package dev.privseg.core.pseudonymize;

import dev.privseg.core.SubjectId;
import java.util.List;

/**
 * One run's session with a {@link Pseudonymizer}: the run asks it for its subjects' pseudonyms a
 * block of a few thousand at a time, so that a pseudonymizer that stores its pseudonyms (in a
 * database) reads and creates them a block at a time, or loads them all once for a large run.
 * Used by one run at a time.
 */
@FunctionalInterface
public interface PseudonymSession {

  /**
   * The pseudonyms of {@code subjects}, in order: for each, what
   * {@link Pseudonymizer#pseudonymize} gives.
   */
  List<Pseudonym> pseudonymizeAll(List<SubjectId> subjects);
}
