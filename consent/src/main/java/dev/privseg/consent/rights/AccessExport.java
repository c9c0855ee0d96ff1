package dev.privseg.consent.rights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.privseg.consent.ConsentException;
import java.util.List;
import java.util.Map;

/**
 * Everything the library holds about one subject, for an access or portability request (GDPR
 * Art. 15 and 20; CCPA right to know), as machine-readable JSON via {@link #toJson()}. It is
 * meant for the data subject and so is personal data: {@link #toString()} shows counts only.
 *
 * @param format the export format, {@code privseg-access-export/1}
 * @param requestId the request this export answers
 * @param generatedAt when it was made (ISO-8601)
 * @param subject the identifier the subject gave
 * @param events every ledger event about the subject, in order of effect
 * @param states the current lawful-basis decision and state per purpose
 * @param pseudonyms the pseudonyms under which the subject appears in outputs
 * @param segments segment memberships in registered runs, with purpose and logic
 */
public record AccessExport(String format, String requestId, String generatedAt, String subject,
    List<Event> events, Map<String, State> states, List<PseudonymEntry> pseudonyms,
    List<SegmentMembership> segments) {

  /** Copies the collections. */
  public AccessExport {
    events = List.copyOf(events);
    states = Map.copyOf(states);
    pseudonyms = List.copyOf(pseudonyms);
    segments = List.copyOf(segments);
  }

  /** This export as indented JSON. */
  public String toJson() {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new ConsentException("access export could not be serialized", e);
    }
  }

  @Override
  public String toString() {
    return "AccessExport[" + events.size() + " events, " + states.size() + " purposes, "
        + pseudonyms.size() + " pseudonyms, " + segments.size() + " memberships]";
  }

  /**
   * One ledger event as the subject sees it.
   *
   * @param sequence ledger position
   * @param purpose purpose id
   * @param type what happened
   * @param occurredAt when it took effect
   * @param recordedAt when it was recorded
   * @param source where it came from
   * @param noticeVersion notice shown
   * @param proofReference where the proof is kept
   */
  public record Event(long sequence, String purpose, String type, String occurredAt,
      String recordedAt, String source, String noticeVersion, String proofReference) {}

  /**
   * The state for one purpose.
   *
   * <p>Purposes the subject has events for but the host has no policy for are listed too, with
   * {@link #NOT_CONFIGURED} as basis and decision: the state is what the events say, but no
   * processing for them is described here.
   *
   * @param lawfulBasis the basis the purpose relies on, or {@link #NOT_CONFIGURED}
   * @param decision whether the subject may be processed now, or why not, or
   *     {@link #NOT_CONFIGURED}
   * @param consentGivenAt when the consent in force was given ("" if none)
   * @param objected whether an objection stands
   * @param optedOut whether an opt-out of sale or sharing stands
   * @param restricted whether processing is restricted
   */
  public record State(String lawfulBasis, String decision, String consentGivenAt,
      boolean objected, boolean optedOut, boolean restricted) {
    /** Basis and decision of a purpose the host has no policy for. */
    public static final String NOT_CONFIGURED = "NO_POLICY_CONFIGURED";
  }

  /**
   * A pseudonym in use.
   *
   * @param method how it is made, e.g. HMAC-SHA256
   * @param keyId the non-secret key name
   * @param value the pseudonym
   */
  public record PseudonymEntry(String method, String keyId, String value) {}
}
