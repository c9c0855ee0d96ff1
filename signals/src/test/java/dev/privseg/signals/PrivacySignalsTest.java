package dev.privseg.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.iab.gpp.encoder.GppModel;
import com.iab.gpp.encoder.field.TcfEuV2Field;
import com.iab.gpp.encoder.field.UsNatField;
import com.iab.gpp.encoder.section.TcfEuV2;
import com.iab.gpp.encoder.section.UsNat;
import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.core.PurposeId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrivacySignalsTest {
  static final PurposeId ANALYTICS = PurposeId.of("analytics");
  static final dev.privseg.consent.ledger.SubjectKeyer KEYER =
      dev.privseg.consent.ledger.SubjectKeyer.from(
          dev.privseg.core.pseudonymize.KeyProvider.ephemeral());
  static final PurposeId MARKETING = dev.privseg.core.Purposes.MARKETING_SEGMENTATION.id();
  static final SubjectKey SUBJECT = KEYER.key(dev.privseg.core.SubjectId.of("visitor-1"));
  static final Instant AT = Instant.parse("2026-05-01T12:00:00Z");
  static final java.time.ZonedDateTime CREATED = java.time.ZonedDateTime.parse(
      "2026-04-01T00:00:00Z");

  final PrivacySignals signals = PrivacySignals.with(SignalMapping.builder()
      .tcfPurpose(3, MARKETING).tcfPurpose(4, MARKETING).tcfPurpose(8, ANALYTICS)
      .optOutAffects(MARKETING).gpcMeansOptOut(true).build());

  /** A TCF v2.2 TC string encoded with the IAB library, consenting to {@code purposes}. */
  static String tcString(int policyVersion, int... purposes) {
    TcfEuV2 tcf = new TcfEuV2();
    tcf.setFieldValue(TcfEuV2Field.POLICY_VERSION, policyVersion);
    tcf.setFieldValue(TcfEuV2Field.CMP_ID, 300);
    tcf.setFieldValue(TcfEuV2Field.VENDOR_LIST_VERSION, 120);
    Boolean[] consents = new Boolean[24];
    Arrays.fill(consents, false);
    for (int p : purposes) {
      consents[p - 1] = true;
    }
    tcf.setFieldValue(TcfEuV2Field.PURPOSE_CONSENTS, Arrays.asList(consents));
    tcf.setFieldValue(TcfEuV2Field.CREATED, CREATED);
    tcf.setFieldValue(TcfEuV2Field.LAST_UPDATED, CREATED);
    return tcf.encode();
  }

  @Test
  void tcfV22ConsentsBecomeConsentEventsPerMappedPurpose() {
    List<EventDraft> events = signals.fromTcString(tcString(4, 1, 3, 4), SUBJECT, AT);

    assertThat(events).extracting(EventDraft::purpose, EventDraft::type).containsExactly(
        org.assertj.core.groups.Tuple.tuple(MARKETING, EventType.CONSENT_GIVEN),
        org.assertj.core.groups.Tuple.tuple(ANALYTICS, EventType.CONSENT_WITHDRAWN));
    assertThat(events.get(0).source()).isEqualTo(EventSource.SIGNAL);
    assertThat(events.get(0).proofReference()).isEqualTo("tcf:cmp300:vl120");
    assertThat(events.get(0).noticeVersion()).isEqualTo("tcf-policy-4");
  }

  @Test
  void aPrivsegPurposeNeedsEveryTcfPurposeMappedToIt() {
    List<EventDraft> events = signals.fromTcString(tcString(4, 3), SUBJECT, AT);
    assertThat(events).filteredOn(e -> e.purpose().equals(MARKETING))
        .extracting(EventDraft::type).containsExactly(EventType.CONSENT_WITHDRAWN);
  }

  @Test
  void publishedPreV22TcStringsAreReportedNotAccepted() {
    // Example strings from the IAB's iabgpp-java tests; both carry TCF policy version 2.
    for (String published : List.of(
        "CPSG_8APSG_8AAAAAAENAACgAAAAAAAAAAAAAAAAAAAA.YAAAAAAAAAAA",
        "CAAAAAAAAAAAAAAAAAENAACAAAAAAAAAAAAAAAAAAAAA.QAAA.IAAA")) {
      assertThatThrownBy(() -> signals.fromTcString(published, SUBJECT, AT))
          .isInstanceOf(SignalException.class)
          .hasMessage("TC string has TCF policy version 2, older than TCF v2.2 (4): not accepted");
    }
  }

  @Test
  void gppStringsCarryTcfAndUsNationalSections() {
    GppModel model = new GppModel();
    model.setFieldValue(TcfEuV2.NAME, TcfEuV2Field.POLICY_VERSION, 4);
    Boolean[] consents = new Boolean[24];
    Arrays.fill(consents, false);
    consents[2] = true;
    consents[3] = true;
    model.setFieldValue(TcfEuV2.NAME, TcfEuV2Field.PURPOSE_CONSENTS, Arrays.asList(consents));
    model.setFieldValue(TcfEuV2.NAME, TcfEuV2Field.CREATED, CREATED);
    model.setFieldValue(TcfEuV2.NAME, TcfEuV2Field.LAST_UPDATED, CREATED);
    model.setFieldValue(UsNat.NAME, UsNatField.SALE_OPT_OUT_NOTICE, 1);
    model.setFieldValue(UsNat.NAME, UsNatField.SALE_OPT_OUT, 1);
    String gpp = model.encode();

    List<EventDraft> events = signals.fromGpp(gpp, SUBJECT, AT);

    assertThat(events).extracting(EventDraft::type).containsExactly(EventType.CONSENT_GIVEN,
        EventType.CONSENT_WITHDRAWN, EventType.OPT_OUT_OF_SALE_OR_SHARING);
    ConsentLedger ledger = ConsentLedger.inMemory(KEYER);
    ledger.appendAll(events);
    assertThat(ledger.state(SUBJECT, MARKETING, AT).hasConsent()).isTrue();
    assertThat(ledger.state(SUBJECT, MARKETING, AT).optedOut()).isTrue();
  }

  @Test
  void usStateSectionsRecordTheirOptOuts() {
    GppModel california = new GppModel();
    california.setFieldValue("usca", "SaleOptOutNotice", 1);
    california.setFieldValue("usca", "SaleOptOut", 1);
    GppModel virginia = new GppModel();
    virginia.setFieldValue("usva", "TargetedAdvertisingOptOutNotice", 1);
    virginia.setFieldValue("usva", "TargetedAdvertisingOptOut", 2); // 2: did not opt out

    assertThat(signals.fromGpp(california.encode(), SUBJECT, AT)).singleElement()
        .satisfies(e -> {
          assertThat(e.type()).isEqualTo(EventType.OPT_OUT_OF_SALE_OR_SHARING);
          assertThat(e.proofReference()).isEqualTo("gpp:usca");
        });
    assertThat(signals.fromGpp(virginia.encode(), SUBJECT, AT)).isEmpty();
  }

  @Test
  void usPrivacyStringsRecordOptOutsOnly() {
    assertThat(signals.fromUsPrivacy("1YNN", SUBJECT, AT)).isEmpty();
    assertThat(signals.fromUsPrivacy("1---", SUBJECT, AT)).isEmpty();
    assertThat(signals.fromUsPrivacy("1YYN", SUBJECT, AT)).singleElement()
        .satisfies(e -> {
          assertThat(e.type()).isEqualTo(EventType.OPT_OUT_OF_SALE_OR_SHARING);
          assertThat(e.purpose()).isEqualTo(MARKETING);
        });
    assertThatThrownBy(() -> signals.fromUsPrivacy("2YYN", SUBJECT, AT))
        .isInstanceOf(SignalException.class).hasMessageNotContaining("2YYN");
  }

  @Test
  void globalPrivacyControlIsAnOptOutWhenTheMappingSaysSo() {
    assertThat(signals.fromGpcHeader("1", SUBJECT, AT)).extracting(EventDraft::type)
        .containsExactly(EventType.OPT_OUT_OF_SALE_OR_SHARING);
    assertThat(signals.fromGpcHeader(null, SUBJECT, AT)).isEmpty();
    assertThat(PrivacySignals.with(SignalMapping.builder().build())
        .fromGpcHeader("1", SUBJECT, AT)).isEmpty();
    List<EventDraft> everywhere = PrivacySignals.with(SignalMapping.builder()
        .gpcMeansOptOut(true).build()).fromGpcHeader("1", SUBJECT, AT);
    assertThat(everywhere).extracting(EventDraft::purpose)
        .containsExactly(ConsentEvent.ALL_PURPOSES);
    assertThatThrownBy(() -> signals.fromGpcHeader("yes", SUBJECT, AT))
        .isInstanceOf(SignalException.class);
  }

  @Test
  void malformedSignalsAreRejectedAndRecordNothing() {
    ConsentLedger ledger = ConsentLedger.inMemory(KEYER);
    List<String> problems = new ArrayList<>();
    for (String bad : List.of("not-a-gpp-string", "DBABM~%%%", "")) {
      try {
        List<EventDraft> events = signals.fromGpp(bad, SUBJECT, AT);
        problems.add("accepted: " + bad.length() + " characters, " + events.size() + " events");
      } catch (SignalException e) {
        problems.add(e.getMessage());
      }
    }
    try {
      ledger.appendAll(signals.fromTcString("CPSG_!!!", SUBJECT, AT));
    } catch (SignalException e) {
      problems.add(e.getMessage());
    }

    assertThat(problems).hasSize(4).allMatch(m -> m.contains("malformed"))
        .noneMatch(m -> m.contains("%%%") || m.contains("not-a-gpp"));
    assertThat(ledger.size()).isZero();
  }

  @Test
  void mappingArgumentsAreChecked() {
    assertThatThrownBy(() -> SignalMapping.builder().tcfPurpose(12, MARKETING))
        .hasMessage("TCF purpose must be 1 to 11 but was 12");
  }
}
