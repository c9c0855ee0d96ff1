package dev.privseg.service;

import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.core.PurposeId;
import dev.privseg.core.SubjectId;
import dev.privseg.signals.PrivacySignals;
import dev.privseg.spring.PrivsegProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Consent capture: events from web forms and apps, and privacy signals (GPP, TC and US Privacy
 * strings), recorded in the consent ledger. A back end with the CAPTURE role names the subject;
 * a subject records its own through {@code /api/v1/me}. Each capture is rate limited per
 * caller and committed with the captures of concurrent requests ({@link
 * GroupCommit}); the response, sent once the event is committed, holds its sequence number and
 * time, never a subject.
 */
@RestController
@RequestMapping("/api/v1")
class CaptureEndpoints {
  /** Who a subject's own captures are recorded as: never its id, which the ledger keeps keyed. */
  static final String SELF = "subject (self-service)";

  private final ConsentLedger ledger;
  private final PrivacySignals signals;
  private final PrivsegProperties privseg;
  private final CaptureLimits limits;
  private final GroupCommit writer;
  private final Clock clock;

  CaptureEndpoints(ConsentLedger ledger, PrivacySignals signals, PrivsegProperties privseg,
      CaptureLimits limits, GroupCommit writer, Clock clock) {
    this.ledger = ledger;
    this.writer = writer;
    this.signals = signals;
    this.privseg = privseg;
    this.limits = limits;
    this.clock = clock;
  }

  /**
   * A consent event.
   *
   * @param subject the subject's id in the CRM (on {@code /me}, the token's; omit it)
   * @param purpose one of the application's purposes ({@code privseg.purposes})
   * @param type what happened: CONSENT_GIVEN, CONSENT_WITHDRAWN, OBJECTION...
   * @param occurredAt when it happened (ISO-8601); now when omitted
   * @param source where it came from: WEB_FORM, API...
   * @param noticeVersion the privacy notice shown, e.g. notice-2026-03
   * @param proof a reference to the proof kept elsewhere, e.g. a form submission id
   */
  record ConsentCapture(@Size(max = 256) String subject, @NotBlank @Size(max = 64) String purpose,
      @NotNull EventType type, Instant occurredAt, @NotNull EventSource source,
      @Size(max = 64) String noticeVersion, @Size(max = 256) String proof) {}

  /**
   * Privacy signals of a subject, any of them.
   *
   * @param subject the subject's id in the CRM (on {@code /me}, the token's; omit it)
   * @param gpp an IAB Global Privacy Platform string
   * @param tcString an IAB TCF v2.2 TC string
   * @param usPrivacy an IAB US Privacy string, e.g. 1YYN
   */
  record SignalCapture(@Size(max = 256) String subject,
      @Size(max = PrivacySignals.MAX_SIGNAL_LENGTH) String gpp,
      @Size(max = PrivacySignals.MAX_SIGNAL_LENGTH) String tcString,
      @Size(max = 16) String usPrivacy) {}

  /**
   * What was recorded.
   *
   * @param sequences the events' sequence numbers in the ledger, in order
   * @param recordedAt when they were recorded
   */
  record Recorded(List<Long> sequences, Instant recordedAt) {}

  @PostMapping("/consents")
  @ResponseStatus(HttpStatus.CREATED)
  Recorded capture(@Valid @RequestBody ConsentCapture c, Authentication caller) {
    return capture(c, subjectOf(c.subject()), caller.getName(), caller.getName());
  }

  @PostMapping("/me/consents")
  @ResponseStatus(HttpStatus.CREATED)
  Recorded captureOwn(@Valid @RequestBody ConsentCapture c, Authentication caller) {
    noSubjectNamed(c.subject());
    return capture(c, SubjectId.of(caller.getName()), SELF, caller.getName());
  }

  @PostMapping("/signals")
  @ResponseStatus(HttpStatus.CREATED)
  Recorded signals(@Valid @RequestBody SignalCapture s, Authentication caller) {
    return signals(s, subjectOf(s.subject()), caller.getName());
  }

  @PostMapping("/me/signals")
  @ResponseStatus(HttpStatus.CREATED)
  Recorded signalsOwn(@Valid @RequestBody SignalCapture s, Authentication caller) {
    noSubjectNamed(s.subject());
    return signals(s, SubjectId.of(caller.getName()), caller.getName());
  }

  private Recorded capture(ConsentCapture c, SubjectId subject, String actor, String limitKey) {
    if (!privseg.getPurposes().containsKey(c.purpose())) {
      throw new Problems.BadRequest("purpose is not one of the application's purposes "
          + privseg.getPurposes().keySet() + " (privseg.purposes)");
    }
    limits.acquire(limitKey);
    Instant at = c.occurredAt() == null ? clock.instant() : c.occurredAt();
    ConsentEvent e = writer.append(subject, key -> List.of(new EventDraft(key,
        PurposeId.of(c.purpose()), c.type(), at, c.source(),
        c.noticeVersion() == null ? "" : c.noticeVersion(), actor,
        c.proof() == null ? "" : c.proof()))).get(0);
    return new Recorded(List.of(e.sequence()), e.recordedAt());
  }

  private Recorded signals(SignalCapture s, SubjectId subject, String limitKey) {
    if (s.gpp() == null && s.tcString() == null && s.usPrivacy() == null) {
      throw new Problems.BadRequest("give at least one of gpp, tcString, usPrivacy");
    }
    limits.acquire(limitKey);
    Instant at = clock.instant();
    List<ConsentEvent> events = writer.append(subject, key -> {
      List<EventDraft> drafts = new ArrayList<>();
      if (s.gpp() != null) {
        drafts.addAll(signals.fromGpp(s.gpp(), key, at));
      }
      if (s.tcString() != null) {
        drafts.addAll(signals.fromTcString(s.tcString(), key, at));
      }
      if (s.usPrivacy() != null) {
        drafts.addAll(signals.fromUsPrivacy(s.usPrivacy(), key, at));
      }
      return drafts;
    });
    return new Recorded(events.stream().map(ConsentEvent::sequence).toList(),
        events.isEmpty() ? at : events.get(0).recordedAt());
  }

  static SubjectId subjectOf(String subject) {
    if (subject == null || subject.isBlank()) {
      throw new Problems.BadRequest("subject is required");
    }
    return SubjectId.of(subject);
  }

  static void noSubjectNamed(String subject) {
    if (subject != null) {
      throw new Problems.BadRequest("subject is the token's on /api/v1/me: omit it");
    }
  }
}
