package dev.privseg.signals;

import com.iab.gpp.encoder.GppModel;
import com.iab.gpp.encoder.section.TcfEuV2;
import com.iab.gpp.encoder.section.UsNat;
import com.iab.gpp.encoder.section.UspV1;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.core.Checks;
import dev.privseg.core.PurposeId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns privacy signals into ledger events, with the IAB's own Java library
 * ({@code com.iabgpp:iabgpp-encoder}) doing all decoding: Global Privacy Platform (GPP) strings
 * with their TCF EU v2.2, US National, US state (California to Tennessee, GPP sections 8 to 22)
 * and US Privacy sections; plain TCF v2.2 TC strings; legacy
 * US Privacy strings ({@code 1YNN}); and the Global Privacy Control header. A signal that cannot
 * be decoded, or a TC string older than TCF v2.2, throws {@link SignalException} and yields no
 * event; the caller appends the returned events as one batch. Immutable and thread-safe.
 *
 * <pre>{@code
 * PrivacySignals signals = PrivacySignals.with(mapping);
 * ledger.appendAll(signals.fromGpp(gppString, subjectKey, Instant.now()));
 * }</pre>
 */
public final class PrivacySignals {
  /** The TCF policy version of TCF v2.2. Strings with an older one are refused. */
  public static final int TCF_V2_2_POLICY_VERSION = 4;
  private static final String ACTOR = "privacy-signal";
  /** GPP section ids 8 (usca) to 22 (ustn): the US state sections the library decodes. */
  private static final int FIRST_US_STATE_SECTION = 8;
  private static final int LAST_US_STATE_SECTION = 22;
  /** The opt-out fields a US state section may carry (1 = opted out). */
  private static final List<String> STATE_OPT_OUTS = List.of("SaleOptOut", "SharingOptOut",
      "TargetedAdvertisingOptOut");

  private final SignalMapping mapping;

  private PrivacySignals(SignalMapping mapping) {
    this.mapping = mapping;
  }

  /** Signals translated with {@code mapping}. */
  public static PrivacySignals with(SignalMapping mapping) {
    return new PrivacySignals(Checks.notNull(mapping, "mapping"));
  }

  /**
   * Events from a GPP string: each section the library decodes (TCF EU v2, US National, US
   * Privacy) contributes its events. Sections this class does not map are ignored.
   */
  public List<EventDraft> fromGpp(String gpp, SubjectKey subject, Instant at) {
    Checks.notNull(gpp, "GPP string");
    if (gpp.isBlank()) {
      throw new SignalException("GPP string is malformed: empty (a header section is required)");
    }
    tooLong(gpp, "GPP string");
    GppModel model;
    List<Integer> sections;
    try {
      model = new GppModel(gpp.strip());
      sections = model.getSectionIds();
    } catch (RuntimeException e) {
      throw new SignalException("GPP string is malformed: " + e.getClass().getSimpleName());
    }
    List<EventDraft> out = new ArrayList<>();
    try {
      if (model.hasSection(TcfEuV2.ID)) {
        out.addAll(fromTcf(model.getTcfEuV2Section(), subject, at, "gpp:tcfeuv2"));
      }
      if (model.hasSection(UsNat.ID)) {
        out.addAll(fromUsNat(model.getUsNatSection(), subject, at));
      }
      if (model.hasSection(UspV1.ID)) {
        out.addAll(fromUsp(model.getUspV1Section(), subject, at, "gpp:uspv1"));
      }
      for (int id : sections) {
        if (id >= FIRST_US_STATE_SECTION && id <= LAST_US_STATE_SECTION) {
          out.addAll(fromUsState(model, model.getSection(id).getName(), subject, at));
        }
      }
    } catch (SignalException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SignalException("GPP string has a malformed section (sections " + sections
          + "): " + e.getClass().getSimpleName());
    }
    return out;
  }

  /** Events from a plain TCF v2.2 TC string. */
  public List<EventDraft> fromTcString(String tcString, SubjectKey subject, Instant at) {
    Checks.notNull(tcString, "TC string");
    if (tcString.isBlank()) {
      throw new SignalException("TC string is malformed: empty");
    }
    tooLong(tcString, "TC string");
    TcfEuV2 tcf;
    try {
      tcf = new TcfEuV2(tcString.strip());
      tcf.getPolicyVersion(); // the section decodes lazily: force it here
    } catch (RuntimeException e) {
      throw new SignalException("TC string is malformed: " + e.getClass().getSimpleName());
    }
    try {
      return fromTcf(tcf, subject, at, "tcf");
    } catch (SignalException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SignalException("TC string is malformed: " + e.getClass().getSimpleName());
    }
  }

  /**
   * The longest GPP or TC string decoded: real ones are a few hundred characters (a TC string
   * with every vendor listed stays under 10,000), and the IAB library's decoding time grows with
   * the square of the length (a 200,000-character string took 8 s).
   */
  public static final int MAX_SIGNAL_LENGTH = 16_384;

  private static void tooLong(String signal, String what) {
    if (signal.length() > MAX_SIGNAL_LENGTH) {
      throw new SignalException(what + " is malformed: longer than " + MAX_SIGNAL_LENGTH
          + " characters");
    }
  }

  /** Events from a legacy US Privacy string such as {@code 1YNN}. */
  public List<EventDraft> fromUsPrivacy(String usPrivacy, SubjectKey subject, Instant at) {
    Checks.notNull(usPrivacy, "US Privacy string");
    String s = usPrivacy.strip();
    // The library accepts any four characters; the specification allows only these.
    if (!s.matches("1[YN-][YN-][YN-]")) {
      throw new SignalException("US Privacy string is malformed: expected version 1 and three "
          + "of Y, N or -");
    }
    try {
      return fromUsp(new UspV1(s), subject, at, "usp");
    } catch (RuntimeException e) {
      throw new SignalException("US Privacy string is malformed: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Events from the {@code Sec-GPC} request header: {@code "1"} is a Global Privacy Control
   * signal, recorded as an opt-out of sale and sharing when the mapping says so; anything else
   * but an absent/empty header is malformed.
   */
  public List<EventDraft> fromGpcHeader(String headerValue, SubjectKey subject, Instant at) {
    if (headerValue == null || headerValue.isBlank()) {
      return List.of();
    }
    if (!headerValue.strip().equals("1")) {
      throw new SignalException("Sec-GPC header must be \"1\" when present");
    }
    return mapping.gpcMeansOptOut() ? optOut(subject, at, "gpc") : List.of();
  }

  private List<EventDraft> fromTcf(TcfEuV2 tcf, SubjectKey subject, Instant at, String kind) {
    int policy = tcf.getPolicyVersion();
    if (policy < TCF_V2_2_POLICY_VERSION) {
      throw new SignalException("TC string has TCF policy version " + policy
          + ", older than TCF v2.2 (" + TCF_V2_2_POLICY_VERSION + "): not accepted");
    }
    List<Boolean> consents = tcf.getPurposeConsents();
    String proof = kind + ":cmp" + tcf.getCmpId() + ":vl" + tcf.getVendorListVersion();
    String notice = "tcf-policy-" + policy;
    List<EventDraft> out = new ArrayList<>();
    for (Map.Entry<Integer, Set<PurposeId>> e : mapping.tcfPurposes().entrySet()) {
      int index = e.getKey() - 1;
      boolean given = index < consents.size() && Boolean.TRUE.equals(consents.get(index));
      for (PurposeId purpose : e.getValue()) {
        out.add(new EventDraft(subject, purpose,
            given ? EventType.CONSENT_GIVEN : EventType.CONSENT_WITHDRAWN, at, EventSource.SIGNAL,
            notice, ACTOR, proof));
      }
    }
    return dedupe(out);
  }

  private List<EventDraft> fromUsNat(UsNat usNat, SubjectKey subject, Instant at) {
    // 1 = opted out, 2 = did not opt out, 0 = not applicable (IAB US National section).
    boolean optedOut = Integer.valueOf(1).equals(usNat.getSaleOptOut())
        || Integer.valueOf(1).equals(usNat.getSharingOptOut())
        || Integer.valueOf(1).equals(usNat.getTargetedAdvertisingOptOut());
    boolean gpc = Boolean.TRUE.equals(usNat.getGpc()) && mapping.gpcMeansOptOut();
    List<EventDraft> out = new ArrayList<>();
    if (optedOut || gpc) {
      out.addAll(optOut(subject, at, "gpp:usnat"));
    }
    if (Integer.valueOf(1).equals(usNat.getSensitiveDataLimitUseNotice())
        && usNat.getSensitiveDataProcessing().contains(1)) {
      for (PurposeId p : mapping.optOutTargets()) {
        out.add(new EventDraft(subject, p, EventType.LIMIT_SENSITIVE_USE, at, EventSource.SIGNAL,
            "", ACTOR, "gpp:usnat"));
      }
    }
    return out;
  }

  /** A US state section (California, Virginia, ...): any of its opt-outs, or GPC. */
  private List<EventDraft> fromUsState(GppModel model, String section, SubjectKey subject,
      Instant at) {
    boolean optedOut = false;
    for (String field : STATE_OPT_OUTS) {
      optedOut |= model.hasField(section, field)
          && Integer.valueOf(1).equals(model.getFieldValue(section, field));
    }
    boolean gpc = model.hasField(section, "Gpc")
        && Boolean.TRUE.equals(model.getFieldValue(section, "Gpc")) && mapping.gpcMeansOptOut();
    return optedOut || gpc ? optOut(subject, at, "gpp:" + section) : List.of();
  }

  private List<EventDraft> fromUsp(UspV1 usp, SubjectKey subject, Instant at, String kind) {
    return Character.valueOf('Y').equals(usp.getOptOutSale()) ? optOut(subject, at, kind)
        : List.of();
  }

  private List<EventDraft> optOut(SubjectKey subject, Instant at, String kind) {
    List<EventDraft> out = new ArrayList<>();
    for (PurposeId p : mapping.optOutTargets()) {
      out.add(new EventDraft(subject, p, EventType.OPT_OUT_OF_SALE_OR_SHARING, at,
          EventSource.SIGNAL, "", ACTOR, kind));
    }
    return out;
  }

  /** One event per purpose: if two TCF purposes map to one privseg purpose, both must consent. */
  private static List<EventDraft> dedupe(List<EventDraft> events) {
    Map<PurposeId, EventDraft> byPurpose = new java.util.LinkedHashMap<>();
    for (EventDraft e : events) {
      byPurpose.merge(e.purpose(), e, (a, b) ->
          a.type() == EventType.CONSENT_WITHDRAWN ? a : b);
    }
    return List.copyOf(byPurpose.values());
  }

  @Override
  public String toString() {
    return "PrivacySignals[" + mapping + "]";
  }
}
