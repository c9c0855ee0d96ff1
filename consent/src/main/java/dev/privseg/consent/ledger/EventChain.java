package dev.privseg.consent.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The hash chain of the ledger: each event's hash is SHA-256 (JCA) over a canonical,
 * length-prefixed encoding of its fields and the previous event's hash. Stores call
 * {@link #link} while holding their append lock, so the chain has one order.
 */
public final class EventChain {
  /** The "previous hash" of the first event: 64 zeros. */
  public static final String GENESIS = "0".repeat(64);

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  });

  private EventChain() {}

  /** Seals {@code draft} as event {@code sequence} after an event whose hash is {@code previous}. */
  public static ConsentEvent link(EventDraft draft, long sequence, Instant recordedAt,
      String previous) {
    Instant recorded = recordedAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    ConsentEvent unsealed = new ConsentEvent(sequence, draft.subject(), draft.purpose(),
        draft.type(), draft.occurredAt(), recorded, draft.source(), draft.noticeVersion(),
        draft.actor(), draft.proofReference(), previous, "");
    return withHash(unsealed, hash(unsealed));
  }

  /** The hash an event must carry, computed from its fields and its previous hash. */
  public static String hash(ConsentEvent e) {
    StringBuilder canonical = new StringBuilder(256)
        .append("privseg-consent-event/1").append('|')
        .append(e.sequence()).append('|')
        .append(e.subject().hex()).append('|')
        .append(field(e.purpose().value())).append('|')
        .append(e.type().name()).append('|')
        .append(e.occurredAt().toEpochMilli()).append('|')
        .append(e.recordedAt().toEpochMilli()).append('|')
        .append(e.source().name()).append('|')
        .append(field(e.noticeVersion())).append('|')
        .append(field(e.actor())).append('|')
        .append(field(e.proofReference())).append('|')
        .append(e.previousHash());
    return HexFormat.of().formatHex(SHA256.get().digest(
        canonical.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private static String field(String text) {
    return text.length() + ":" + text;
  }

  private static ConsentEvent withHash(ConsentEvent e, String hash) {
    return new ConsentEvent(e.sequence(), e.subject(), e.purpose(), e.type(), e.occurredAt(),
        e.recordedAt(), e.source(), e.noticeVersion(), e.actor(), e.proofReference(),
        e.previousHash(), hash);
  }
}
