package dev.privseg.core.pipeline;

import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.internal.Utf8Groups;

/**
 * Finds a subject id that occurs twice among a run's rows. A run's input has one row per
 * subject: the assignments map pseudonyms to segments, and a registry of memberships keys them by
 * pseudonym, so a second row for the same person would give them two segments, or two
 * conflicting records. The ids are compared by their UTF-8 bytes ({@link Utf8Groups}), without
 * decoding a {@code String} per row.
 */
final class SubjectIds {
  private SubjectIds() {}

  /**
   * The first pair of {@code rows} (ascending row numbers of {@code ids}, none missing) whose ids
   * are equal, as {@code {earlier, later}}, or {@code null} if every id is distinct.
   */
  static int[] firstRepeat(StringColumn ids, int[] rows) {
    if (rows.length < 2) {
      return null;
    }
    boolean[] wanted = new boolean[ids.size()];
    for (int r : rows) {
      wanted[r] = true;
    }
    Finder finder = new Finder(rows.length);
    ids.forEachUtf8((row, data, offset, length) -> {
      if (wanted[row]) {
        finder.groups.add(row, data, offset, length);
      }
    });
    finder.groups.flush();
    return finder.repeat;
  }

  /** Receives the rows in order with their groups, and keeps the first that is not new. */
  private static final class Finder implements Utf8Groups.Sink {
    final Utf8Groups groups;
    int[] repeat;

    Finder(int expected) {
      groups = new Utf8Groups(expected, this);
    }

    @Override
    public void accept(int row, int group) {
      int first = groups.firstRow(group);
      if (first != row && repeat == null) {
        repeat = new int[] {first, row};
      }
    }
  }
}
