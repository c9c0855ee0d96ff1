package dev.privseg.consent;

import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.core.PurposeId;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.KeyProvider;
import java.time.Instant;

/** Shared test values. */
public final class Fixtures {
  /** One keyer per test run, from a fresh in-memory key. */
  public static final SubjectKeyer KEYER = SubjectKeyer.from(KeyProvider.ephemeral());
  /** The marketing purpose's id. */
  public static final PurposeId MARKETING = Purposes.MARKETING_SEGMENTATION.id();
  /** A fixed origin of time. */
  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private Fixtures() {}

  /** The key of subject {@code id}. */
  public static SubjectKey key(String id) {
    return KEYER.key(SubjectId.of(id));
  }

  /** A draft of {@code type} for {@code id} and marketing, {@code days} after T0. */
  public static EventDraft event(String id, EventType type, int days) {
    return event(key(id), MARKETING, type, days);
  }

  /** A draft of {@code type} for {@code subject} and {@code purpose}, {@code days} after T0. */
  public static EventDraft event(SubjectKey subject, PurposeId purpose, EventType type, int days) {
    return new EventDraft(subject, purpose, type, T0.plusSeconds(86_400L * days),
        EventSource.WEB_FORM, "notice-2026-01", "test", "proof-" + days);
  }

  /** The instant {@code days} after T0. */
  public static Instant day(int days) {
    return T0.plusSeconds(86_400L * days);
  }
}
