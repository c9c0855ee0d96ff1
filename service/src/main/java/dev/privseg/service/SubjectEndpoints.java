package dev.privseg.service;

import dev.privseg.consent.rights.AccessExport;
import dev.privseg.consent.rights.RequestLog;
import dev.privseg.consent.rights.RequestType;
import dev.privseg.consent.rights.SubjectRequest;
import dev.privseg.consent.rights.SubjectRights;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.PurposeId;
import dev.privseg.core.SubjectId;
import dev.privseg.spring.PrivsegProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Subject rights: a subject's own through {@code /api/v1/me} (the token's subject, no one
 * else's), and the DPO's on a subject's behalf through {@code /api/v1/subjects}. Access exports
 * the ledger's events, consent states, pseudonyms and segment memberships with each run's logic;
 * the other requests are logged with their legal deadline and carried out. No subject id is
 * ever in a URL, so access logs hold none.
 */
@RestController
@RequestMapping("/api/v1")
class SubjectEndpoints {
  private final SubjectRights rights;
  private final RequestLog requests;
  private final PrivsegProperties privseg;
  private final Clock clock;

  SubjectEndpoints(SubjectRights rights, ConsentDatabase database, PrivsegProperties privseg,
      Clock clock) {
    this.rights = rights;
    this.requests = database.requestLog();
    this.privseg = privseg;
    this.clock = clock;
  }

  /** What a request does. */
  enum Kind { RESTRICT, LIFT_RESTRICTION, OBJECT, OPT_OUT, RECTIFY, ERASE }

  /**
   * A subject request.
   *
   * @param subject the subject's id in the CRM (on {@code /me}, the token's; omit it)
   * @param kind what the subject asks for
   * @param purpose for OBJECT: the purpose objected to
   * @param field for RECTIFY: the field the subject says is wrong (its name, never its value)
   */
  record Request(@Size(max = 256) String subject, @NotNull Kind kind,
      @Size(max = 64) String purpose, @Size(max = 128) String field) {}

  /**
   * Whose record: the DPO names the subject in the body, never in the URL.
   *
   * @param subject the subject's id in the CRM
   */
  record Whom(@Size(max = 256) String subject) {}

  @GetMapping("/me/export")
  AccessExport exportOwn(Authentication caller) {
    return rights.access(SubjectId.of(caller.getName()), clock.instant(),
        CaptureEndpoints.SELF);
  }

  @PostMapping("/subjects/export")
  AccessExport export(@Valid @RequestBody Whom whom, Authentication caller) {
    return rights.access(CaptureEndpoints.subjectOf(whom.subject()), clock.instant(),
        caller.getName());
  }

  @PostMapping("/me/requests")
  @ResponseStatus(HttpStatus.CREATED)
  SubjectRequest requestOwn(@Valid @RequestBody Request r, Authentication caller) {
    CaptureEndpoints.noSubjectNamed(r.subject());
    return carryOut(SubjectId.of(caller.getName()), r, CaptureEndpoints.SELF);
  }

  @PostMapping("/subjects/requests")
  @ResponseStatus(HttpStatus.CREATED)
  SubjectRequest request(@Valid @RequestBody Request r, Authentication caller) {
    return carryOut(CaptureEndpoints.subjectOf(r.subject()), r, caller.getName());
  }

  /**
   * A request received elsewhere (the support desk's phone or mail), to be answered within its
   * legal time limit.
   *
   * @param subject the subject's id in the CRM
   * @param type what the subject asks for
   */
  record Received(@Size(max = 256) String subject, @NotNull RequestType type) {}

  /** Logs a request received elsewhere as open, with its deadline: the DPO's work list. */
  @PostMapping("/subjects/requests/received")
  @ResponseStatus(HttpStatus.CREATED)
  SubjectRequest received(@Valid @RequestBody Received r, Authentication caller) {
    return rights.receive(CaptureEndpoints.subjectOf(r.subject()), r.type(), clock.instant(),
        caller.getName());
  }

  /** The requests still open, oldest first, with their deadlines: the DPO's work list. */
  @GetMapping("/requests/open")
  List<SubjectRequest> open() {
    return requests.open();
  }

  private SubjectRequest carryOut(SubjectId subject, Request r, String actor) {
    Instant at = clock.instant();
    return switch (r.kind()) {
      case RESTRICT -> rights.restrict(subject, at, actor);
      case LIFT_RESTRICTION -> rights.liftRestriction(subject, at, actor);
      case OPT_OUT -> rights.optOutOfSaleOrSharing(subject, at, actor);
      case ERASE -> rights.erase(subject, at, actor);
      case OBJECT -> {
        if (r.purpose() == null || !privseg.getPurposes().containsKey(r.purpose())) {
          throw new Problems.BadRequest("an objection names one of the application's purposes "
              + privseg.getPurposes().keySet() + " in purpose");
        }
        yield rights.object(subject, PurposeId.of(r.purpose()), at, actor);
      }
      case RECTIFY -> {
        if (r.field() == null || r.field().isBlank()) {
          throw new Problems.BadRequest("a rectification names the field that is wrong in "
              + "field (its name, never its value)");
        }
        yield rights.rectify(subject, r.field(), at, actor);
      }
    };
  }
}
