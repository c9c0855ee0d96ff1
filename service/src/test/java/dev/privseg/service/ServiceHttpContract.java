package dev.privseg.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.core.SubjectId;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on loopback, called over HTTP as a CRM would: consent capture, privacy signals,
 * Global Privacy Control, subject rights, pipeline runs and activation checks, each with the
 * roles that may call it and refused to the others, with problems that name the mistake and
 * never a value sent. {@code ServiceOnH2Test} and {@code ServiceOnPostgresTest} run it on each
 * database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServiceHttpContract {
  static final ObjectMapper JSON = new ObjectMapper();
  RunningService service;

  /** The JDBC URL of the application's database. */
  abstract String jdbcUrl(Path dir);

  @BeforeAll
  void start(@TempDir Path dir) throws IOException {
    customers(dir);
    service = RunningService.start(dir, jdbcUrl(dir));
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  static void customers(Path dir) throws IOException {
    StringBuilder csv = new StringBuilder("id,spend\n");
    for (int i = 1; i <= 20; i++) {
      csv.append("R").append(i).append(',').append(i % 2 == 0 ? i : 500 + i).append('\n');
    }
    Files.writeString(dir.resolve("customers.csv"), csv);
  }

  static String consent(String subject, String type) {
    return "{\"subject\":\"" + subject + "\",\"purpose\":\"marketing-segmentation\","
        + "\"type\":\"" + type + "\",\"source\":\"WEB_FORM\",\"noticeVersion\":\"n-1\","
        + "\"proof\":\"form-7\"}";
  }

  static JsonNode json(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body());
  }

  private String capture() {
    return service.token("crm-web", "CAPTURE");
  }

  private String dpo() {
    return service.token("dpo-anna", "DPO");
  }

  @Test
  void aCapturedConsentIsInTheSubjectsExportAndTheDposAndTheResponseHoldsNoSubject()
      throws Exception {
    HttpResponse<String> r = service.call("POST", "/api/v1/consents", capture(),
        consent("C-export", "CONSENT_GIVEN"));
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(json(r).get("sequences")).hasSize(1);
    assertThat(r.body()).doesNotContain("C-export");

    JsonNode own = json(service.call("GET", "/api/v1/me/export",
        service.token("C-export", "SUBJECT"), null));
    assertThat(own.get("subject").asText()).isEqualTo("C-export");
    assertThat(own.get("events")).hasSize(1);
    assertThat(own.get("events").get(0).get("type").asText()).isEqualTo("CONSENT_GIVEN");
    JsonNode byDpo = json(service.call("POST", "/api/v1/subjects/export", dpo(),
        "{\"subject\":\"C-export\"}"));
    assertThat(byDpo.get("events")).hasSize(1);
  }

  @Test
  void aSubjectRecordsItsOwnConsentAndCanNameNoOneElse() throws Exception {
    String token = service.token("C-self", "SUBJECT");
    HttpResponse<String> own = service.call("POST", "/api/v1/me/consents", token,
        "{\"purpose\":\"marketing-segmentation\",\"type\":\"CONSENT_GIVEN\","
            + "\"source\":\"API\"}");
    assertThat(own.statusCode()).isEqualTo(201);
    HttpResponse<String> other = service.call("POST", "/api/v1/me/consents", token,
        consent("C-victim", "CONSENT_WITHDRAWN"));
    assertThat(other.statusCode()).isEqualTo(400);
    assertThat(json(other).get("detail").asText())
        .isEqualTo("subject is the token's on /api/v1/me: omit it");
    assertThat(other.body()).doesNotContain("C-victim");
    assertThat(service.call("POST", "/api/v1/consents", token,
        consent("C-victim", "CONSENT_WITHDRAWN")).statusCode()).isEqualTo(403);
    assertThat(service.call("POST", "/api/v1/subjects/export", token,
        "{\"subject\":\"C-victim\"}").statusCode()).isEqualTo(403);
    ConsentLedger ledger = service.bean(ConsentLedger.class);
    assertThat(ledger.existingKeyOf(SubjectId.of("C-victim"))).isEmpty();
    assertThat(ledger.history(ledger.keyOf(SubjectId.of("C-self")))).singleElement()
        .satisfies(e -> assertThat(e.actor()).isEqualTo("subject (self-service)"));
  }

  /** Every endpoint: its own role passes the check, every other role is refused with 403. */
  @Test
  void everyEndpointAdmitsItsRoleAndRefusesTheOthers() throws Exception {
    record Endpoint(String method, String path, String body, String role) {}
    List<Endpoint> endpoints = List.of(
        new Endpoint("POST", "/api/v1/consents", consent("C-auth", "CONSENT_GIVEN"), "CAPTURE"),
        new Endpoint("POST", "/api/v1/signals", "{\"subject\":\"C-auth\",\"usPrivacy\":\"1YNN\"}",
            "CAPTURE"),
        new Endpoint("POST", "/api/v1/me/consents", "{\"purpose\":\"marketing-segmentation\","
            + "\"type\":\"CONSENT_GIVEN\",\"source\":\"API\"}", "SUBJECT"),
        new Endpoint("POST", "/api/v1/me/signals", "{\"usPrivacy\":\"1YNN\"}", "SUBJECT"),
        new Endpoint("GET", "/api/v1/me/export", null, "SUBJECT"),
        new Endpoint("POST", "/api/v1/me/requests", "{\"kind\":\"RESTRICT\"}", "SUBJECT"),
        new Endpoint("POST", "/api/v1/subjects/export", "{\"subject\":\"C-auth\"}", "DPO"),
        new Endpoint("POST", "/api/v1/subjects/requests",
            "{\"subject\":\"C-auth\",\"kind\":\"LIFT_RESTRICTION\"}", "DPO"),
        new Endpoint("GET", "/api/v1/requests/open", null, "DPO"),
        new Endpoint("POST", "/api/v1/subjects/requests/received",
            "{\"subject\":\"C-auth\",\"type\":\"ACCESS\"}", "DPO"),
        new Endpoint("POST", "/api/v1/pipelines/offers/runs", null, "OPERATOR"),
        new Endpoint("POST", "/api/v1/runs/no-such-run/activations", "{\"channel\":\"email\"}",
            "OPERATOR"),
        new Endpoint("GET", "/actuator/metrics", null, "OPERATOR"));
    List<String> roles = List.of("SUBJECT", "CAPTURE", "OPERATOR", "DPO");
    for (Endpoint e : endpoints) {
      for (String role : roles) {
        HttpResponse<String> r = service.call(e.method(), e.path(),
            service.token("C-auth", role), e.body());
        if (role.equals(e.role())) {
          assertThat(r.statusCode()).as("%s %s as %s", e.method(), e.path(), role)
              .isNotIn(401, 403).isLessThan(500);
        } else {
          assertThat(r.statusCode()).as("%s %s as %s", e.method(), e.path(), role)
              .isEqualTo(403);
          assertThat(r.headers().firstValue("Content-Type")).hasValue(
              "application/problem+json");
        }
      }
      HttpResponse<String> anonymous = service.call(e.method(), e.path(), null, e.body());
      assertThat(anonymous.statusCode()).as("%s %s without a token", e.method(), e.path())
          .isEqualTo(401);
      assertThat(service.call(e.method(), e.path(),
          RunningService.forged("C-auth", e.role()), e.body()).statusCode())
          .as("%s %s with a forged token", e.method(), e.path()).isEqualTo(401);
    }
    assertThat(service.call("GET", "/api/v1/anything-else", service.token("x", "DPO", "OPERATOR",
        "CAPTURE", "SUBJECT"), null).statusCode()).isEqualTo(403);
  }

  @Test
  void badInputIsAProblemNamingTheFieldNeverItsValue() throws Exception {
    HttpResponse<String> missing = service.call("POST", "/api/v1/consents", capture(),
        "{\"subject\":\"C-secret-1\",\"type\":\"CONSENT_GIVEN\",\"source\":\"WEB_FORM\"}");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json(missing).get("detail").asText()).contains("purpose");
    assertThat(missing.body()).doesNotContain("C-secret-1");

    HttpResponse<String> wrongType = service.call("POST", "/api/v1/consents", capture(),
        "{\"subject\":\"C-secret-2\",\"purpose\":\"marketing-segmentation\",\"type\":"
            + "\"CONSENT_GIVEN\",\"source\":\"WEB_FORM\",\"occurredAt\":\"born 1970 in Oslo\"}");
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(json(wrongType).get("detail").asText())
        .isEqualTo("the body is not JSON of the expected shape at 'occurredAt'");
    assertThat(wrongType.body()).doesNotContain("Oslo", "C-secret-2");

    HttpResponse<String> purpose = service.call("POST", "/api/v1/consents", capture(),
        consent("C-secret-3", "CONSENT_GIVEN").replace("marketing-segmentation", "Oslo"));
    assertThat(purpose.statusCode()).isEqualTo(400);
    assertThat(json(purpose).get("detail").asText()).isEqualTo("purpose is not one of the "
        + "application's purposes [marketing-segmentation] (privseg.purposes)");

    HttpResponse<String> notJson = service.call("POST", "/api/v1/consents", capture(),
        "C-secret-4, Oslo");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).doesNotContain("Oslo", "C-secret-4");
  }

  @Test
  void globalPrivacyControlIsAnnouncedAndRecordedOnceForTheIdentifiedSubject() throws Exception {
    HttpResponse<String> wellKnown = service.call("GET", "/.well-known/gpc.json", null, null);
    assertThat(wellKnown.statusCode()).isEqualTo(200);
    assertThat(json(wellKnown).get("gpc").asBoolean()).isTrue();

    String token = service.token("C-gpc", "SUBJECT");
    ConsentLedger ledger = service.bean(ConsentLedger.class);
    for (int i = 0; i < 3; i++) {
      assertThat(service.call("GET", "/api/v1/me/export", token, null, "Sec-GPC", "1")
          .statusCode()).isEqualTo(200);
    }
    assertThat(ledger.history(ledger.keyOf(SubjectId.of("C-gpc"))))
        .extracting(e -> e.type()).containsExactly(EventType.OPT_OUT_OF_SALE_OR_SHARING);
    HttpResponse<String> malformed = service.call("GET", "/api/v1/me/export", token, null,
        "Sec-GPC", "yes");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(json(malformed).get("detail").asText())
        .isEqualTo("Sec-GPC header must be \"1\" when present");
  }

  @Test
  void aUsPrivacyStringsOptOutIsRecorded() throws Exception {
    HttpResponse<String> r = service.call("POST", "/api/v1/signals", capture(),
        "{\"subject\":\"C-usp\",\"usPrivacy\":\"1YYN\"}");
    assertThat(r.statusCode()).isEqualTo(201);
    ConsentLedger ledger = service.bean(ConsentLedger.class);
    assertThat(ledger.history(ledger.keyOf(SubjectId.of("C-usp"))))
        .extracting(e -> e.type()).containsExactly(EventType.OPT_OUT_OF_SALE_OR_SHARING);
    HttpResponse<String> none = service.call("POST", "/api/v1/signals", capture(),
        "{\"subject\":\"C-usp\"}");
    assertThat(none.statusCode()).isEqualTo(400);
  }

  @Test
  void subjectRequestsAreLoggedWithTheirDeadlinesAndErasureLeavesNothing() throws Exception {
    service.call("POST", "/api/v1/consents", capture(), consent("C-rights", "CONSENT_GIVEN"));
    String token = service.token("C-rights", "SUBJECT");
    HttpResponse<String> restrict = service.call("POST", "/api/v1/me/requests", token,
        "{\"kind\":\"RESTRICT\"}");
    assertThat(restrict.statusCode()).isEqualTo(201);
    assertThat(json(restrict).get("dueAt").asText()).isNotBlank();
    HttpResponse<String> rectify = service.call("POST", "/api/v1/me/requests", token,
        "{\"kind\":\"RECTIFY\",\"field\":\"email\"}");
    assertThat(rectify.statusCode()).isEqualTo(201);
    assertThat(json(rectify).get("status").asText()).isEqualTo("COMPLETED");
    assertThat(json(rectify).get("outcome").asText())
        .isEqualTo("rectification of field 'email' forwarded to the controller");

    // An access request the support desk took by phone: open, with its deadline, until answered.
    HttpResponse<String> received = service.call("POST", "/api/v1/subjects/requests/received",
        dpo(), "{\"subject\":\"C-rights\",\"type\":\"ACCESS\"}");
    assertThat(received.statusCode()).isEqualTo(201);
    String id = json(received).get("requestId").asText();
    assertThat(json(received).get("status").asText()).isEqualTo("OPEN");
    assertThat(json(service.call("GET", "/api/v1/requests/open", dpo(), null))
        .findValuesAsText("requestId")).contains(id);
    service.call("GET", "/api/v1/me/export", token, null);
    assertThat(json(service.call("GET", "/api/v1/requests/open", dpo(), null))
        .findValuesAsText("requestId")).doesNotContain(id);
    HttpResponse<String> object = service.call("POST", "/api/v1/me/requests", token,
        "{\"kind\":\"OBJECT\"}");
    assertThat(object.statusCode()).isEqualTo(400);

    HttpResponse<String> erase = service.call("POST", "/api/v1/subjects/requests", dpo(),
        "{\"subject\":\"C-rights\",\"kind\":\"ERASE\"}");
    assertThat(erase.statusCode()).isEqualTo(201);
    JsonNode after = json(service.call("GET", "/api/v1/me/export", token, null));
    assertThat(after.get("events")).isEmpty();
    HttpResponse<String> again = service.call("POST", "/api/v1/consents", capture(),
        consent("C-rights", "CONSENT_GIVEN"));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(json(again).get("detail").asText())
        .isEqualTo("the subject was erased: no event is recorded for it");
  }

  @Test
  void anOperatorRunsAPipelineAndActivatesOnlyMembersWhoseBasisHoldsNow() throws Exception {
    for (int i = 1; i <= 12; i++) {
      service.call("POST", "/api/v1/consents", capture(), consent("R" + i, "CONSENT_GIVEN"));
    }
    String operator = service.token("ops-olaf", "OPERATOR");
    HttpResponse<String> run = service.call("POST", "/api/v1/pipelines/offers/runs", operator,
        null);
    assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
    JsonNode record = json(run);
    assertThat(record.get("counts").get("processedRows").asLong()).isEqualTo(12);
    String runId = record.get("runId").asText();

    service.call("POST", "/api/v1/consents", capture(), consent("R1", "OBJECTION"));
    HttpResponse<String> activated = service.call("POST", "/api/v1/runs/" + runId
        + "/activations", operator, "{\"channel\":\"email\"}");
    assertThat(activated.statusCode()).isEqualTo(200);
    JsonNode a = json(activated);
    assertThat(a.get("members")).hasSize(11);
    assertThat(a.get("activation").get("allowed").asLong()).isEqualTo(11);
    assertThat(activated.body()).doesNotContain("\"R1\"", "\"R2\"");

    HttpResponse<String> unknown = service.call("POST", "/api/v1/pipelines/none/runs", operator,
        null);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(json(unknown).get("detail").asText())
        .isEqualTo("no pipeline 'none'; there are [offers] (privseg.pipelines)");
  }

  @Test
  void theOpenApiDocumentDescribesTheEndpoints() throws Exception {
    HttpResponse<String> r = service.call("GET", "/v3/api-docs", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode paths = json(r).get("paths");
    assertThat(paths.has("/api/v1/consents")).isTrue();
    assertThat(paths.has("/api/v1/me/export")).isTrue();
    assertThat(paths.has("/api/v1/runs/{runId}/activations")).isTrue();
  }
}
