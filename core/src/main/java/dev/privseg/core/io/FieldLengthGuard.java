package dev.privseg.core.io;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Passes CSV text through, failing as soon as one field grows longer than a limit: the parser
 * below would otherwise build the whole field in memory first (a 500 MB field ran a bounded heap
 * out of memory). It follows the quoting as RFC 4180 has it: a quote toggles quoted text (a
 * doubled quote toggles twice), and outside quotes a delimiter or line break ends the field.
 */
final class FieldLengthGuard extends FilterReader {
  /** Thrown through the parser when a field is too long; never holds any of the text. */
  static final class FieldTooLong extends IOException {
    private static final long serialVersionUID = 1L;

    FieldTooLong() {
      super("a field is too long");
    }
  }

  private final char delimiter;
  private final char quote;
  private final int max;
  private boolean quoted;
  private int length;

  FieldLengthGuard(Reader in, char delimiter, char quote, int max) {
    super(in);
    this.delimiter = delimiter;
    this.quote = quote;
    this.max = max;
  }

  @Override
  public int read() throws IOException {
    int c = super.read();
    if (c >= 0) {
      see((char) c);
    }
    return c;
  }

  @Override
  public int read(char[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    for (int i = off; i < off + n; i++) {
      see(buf[i]);
    }
    return n;
  }

  private void see(char c) throws FieldTooLong {
    if (c == quote) {
      quoted = !quoted;
    } else if (!quoted && (c == delimiter || c == '\n' || c == '\r')) {
      length = 0;
      return;
    }
    if (++length > max) {
      throw new FieldTooLong();
    }
  }
}
