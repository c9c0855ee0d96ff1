package dev.privseg.consent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A status snapshot's parts: the first holds the weekly flows, each other one the states of up to
 * {@value #SUBJECTS_PER_PART} subjects (ledger key, when the consent in force was given, the
 * flows' consent whose lapse is still to count, flags, and an index into the part's notice
 * versions). Fixed-width binary through {@link DataOutputStream}, so a million subjects are read
 * back as a hundred-odd values, not a million rows.
 */
final class StatusSnapshotCodec {
  /** The format of the parts this writes. */
  static final int FORMAT = 1;
  static final int SUBJECTS_PER_PART = 8192;
  /** A subject to fold again from all its events: it had events not yet in effect. */
  static final int REFOLD = 1 << 9;

  private StatusSnapshotCodec() {}

  /** One subject's state as the parts hold it; see {@link SubjectDecisions#seed}. */
  @FunctionalInterface
  interface SubjectVisitor {
    void visit(long high, long low, long given, String notice, int flags, long flows);
  }

  /** The parts of {@code flows} and the subjects {@code subjects} shows. */
  static List<byte[]> encode(WeeklyFlows flows, java.util.function.Consumer<SubjectVisitor>
      subjects) {
    List<byte[]> parts = new ArrayList<>();
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(FORMAT);
      out.writeLong(flows.firstMillis());
      out.writeInt(flows.grants.length);
      for (int w = 0; w < flows.grants.length; w++) {
        out.writeLong(flows.grants[w]);
        out.writeLong(flows.withdrawals[w]);
        out.writeLong(flows.expiries[w]);
      }
      out.flush();
      parts.add(bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Part part = new Part();
    subjects.accept((high, low, given, notice, flags, flowsGiven) -> {
      part.add(high, low, given, notice, flags, flowsGiven);
      if (part.count == SUBJECTS_PER_PART) {
        parts.add(part.bytes());
        part.clear();
      }
    });
    if (part.count > 0) {
      parts.add(part.bytes());
    }
    return parts;
  }

  /** The SHA-256 of {@code parts} in order, as hexadecimal. */
  static String digest(List<byte[]> parts) {
    MessageDigest sha = sha256();
    parts.forEach(sha::update);
    return HexFormat.of().formatHex(sha.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The weekly flows of the first part. */
  static WeeklyFlows weeks(byte[] first) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(first))) {
      int format = in.readInt();
      if (format != FORMAT) {
        throw new ConsentException("a status snapshot of format " + format + " cannot be read "
            + "by this privseg (format " + FORMAT + "): take a new one");
      }
      WeeklyFlows flows = new WeeklyFlows(in.readLong(), in.readInt());
      for (int w = 0; w < flows.grants.length; w++) {
        flows.grants[w] = in.readLong();
        flows.withdrawals[w] = in.readLong();
        flows.expiries[w] = in.readLong();
      }
      return flows;
    } catch (IOException e) {
      throw new ConsentException("a status snapshot's first part is damaged", e);
    }
  }

  /** Shows {@code visitor} the subjects of a part after the first. */
  static void subjects(byte[] part, SubjectVisitor visitor) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(part))) {
      int count = in.readInt();
      String[] notices = new String[in.readInt()];
      for (int i = 0; i < notices.length; i++) {
        notices[i] = in.readUTF();
      }
      for (int i = 0; i < count; i++) {
        long high = in.readLong();
        long low = in.readLong();
        long given = in.readLong();
        long flows = in.readLong();
        int flags = in.readInt();
        visitor.visit(high, low, given, notices[in.readInt()], flags, flows);
      }
    } catch (IOException | ArrayIndexOutOfBoundsException e) {
      throw new ConsentException("a status snapshot's part is damaged", e);
    }
  }

  /** A part being written. */
  private static final class Part {
    private ByteArrayOutputStream rows = new ByteArrayOutputStream();
    private DataOutputStream out = new DataOutputStream(rows);
    private final Map<String, Integer> notices = new HashMap<>();
    private final List<String> order = new ArrayList<>();
    private int count;

    void add(long high, long low, long given, String notice, int flags, long flows) {
      Integer index = notices.get(notice);
      if (index == null) {
        index = order.size();
        notices.put(notice, index);
        order.add(notice);
      }
      try {
        out.writeLong(high);
        out.writeLong(low);
        out.writeLong(given);
        out.writeLong(flows);
        out.writeInt(flags);
        out.writeInt(index);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      count++;
    }

    byte[] bytes() {
      try {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(rows.size() + 64);
        DataOutputStream head = new DataOutputStream(bytes);
        head.writeInt(count);
        head.writeInt(order.size());
        for (String n : order) {
          head.writeUTF(n);
        }
        head.flush();
        out.flush();
        rows.writeTo(bytes);
        return bytes.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void clear() {
      rows = new ByteArrayOutputStream();
      out = new DataOutputStream(rows);
      notices.clear();
      order.clear();
      count = 0;
    }
  }
}
