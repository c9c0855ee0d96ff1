package dev.privseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The consent side of the CLI: import, signals, a ledger-backed run, export and erasure. */
class ConsentCliTest {
  final Map<String, String> env = Map.of("PRIVSEG_KEY", randomKey());

  static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  record Result(int exitCode, String out, String err) {}

  /** A consent CSV in which customer {@code Ci} (i = 1..n) has the event {@code event(i)}. */
  static StringBuilder consents(int n, java.util.function.IntFunction<String> event) {
    StringBuilder csv = new StringBuilder(
        "subject_id,purpose,event,occurred_at,source,notice_version,actor,proof_reference\n");
    for (int i = 1; i <= n; i++) {
      csv.append("C").append(i).append(",marketing-segmentation,").append(event.apply(i))
          .append(",2026-01-01T00:00:00Z,WEB_FORM,notice-1,signup,form-").append(i).append('\n');
    }
    return csv;
  }

  Result run(String... args) {
    return runWith(env, args);
  }

  /**
   * Writes {@code customers.csv} (customers C1..Cn, two spend groups) and {@code spec.yaml}, a
   * ledger-backed k-means spec over it with erasable pseudonyms, into {@code dir}.
   */
  static void customersAndSpec(Path dir, int n, int minSegmentSize) throws java.io.IOException {
    StringBuilder customers = new StringBuilder("id,spend\n");
    for (int i = 1; i <= n; i++) {
      customers.append("C").append(i).append(',').append(i % 2 == 0 ? i : 500 + i).append('\n');
    }
    Files.writeString(dir.resolve("customers.csv"), customers);
    Files.writeString(dir.resolve("spec.yaml"), """
        input: {path: customers.csv}
        schema:
          subjectId: id
          fields:
            - {name: id, type: IDENTIFIER, role: DIRECT_IDENTIFIER}
            - {name: spend, type: NUMERIC, role: OTHER}
        purpose: {id: marketing-segmentation, description: Offers, lawfulBasis: CONSENT}
        lawfulBasis:
          ledger: {db: consent-db, directMarketing: true}
        minimize: {keep: [spend]}
        pseudonymize: {field: id, key: {directory: true}}
        segmentation: {algorithm: kmeans, k: 2, seed: 1}
        release: {minSegmentSize: MIN}
        """.replace("MIN", Integer.toString(minSegmentSize)));
  }

  /**
   * Customers C1..C20 who all consented, imported into {@code dir/consent-db}, and the spec of
   * {@link #customersAndSpec}; returns the database directory.
   */
  String twentyConsentingCustomers(Path dir) throws java.io.IOException {
    Files.writeString(dir.resolve("consents.csv"), consents(20, i -> "CONSENT_GIVEN"));
    customersAndSpec(dir, 20, 5);
    String db = dir.resolve("consent-db").toString();
    assertThat(run("consent", "import", dir.resolve("consents.csv").toString(), "--db", db)
        .exitCode()).isZero();
    return db;
  }

  /** Runs {@code dir/spec.yaml} into {@code dir/out}, expects success, returns the report. */
  JsonNode runSpec(Path dir, String out) throws java.io.IOException {
    Result r = run("run", dir.resolve("spec.yaml").toString(), "--out",
        dir.resolve(out).toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    return new ObjectMapper().readTree(dir.resolve(out).resolve("report.json").toFile());
  }

  @Test
  void importSignalRunExportEraseAndRunAgain(@TempDir Path dir) throws Exception {
    StringBuilder consents = consents(40, i -> "CONSENT_GIVEN");
    consents.append("C5,marketing-segmentation,consent_withdrawn,2026-02-01T00:00:00Z,"
        + "WEB_FORM,,preference-centre,\n");
    Files.writeString(dir.resolve("consents.csv"), consents);
    customersAndSpec(dir, 40, 5);
    String db = dir.resolve("consent-db").toString();

    Result imported = run("consent", "import", dir.resolve("consents.csv").toString(), "--db", db);
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("imported 41 consent events");

    Result signal = run("consent", "signal", "--db", db, "--subject", "C6", "--usp", "1YYN");
    assertThat(signal.exitCode()).as(signal.err()).isZero();
    assertThat(signal.out()).contains("recorded 1 events");

    JsonNode report1 = runSpec(dir, "out1");
    assertThat(report1.at("/counts/processedRows").asInt()).isEqualTo(38);
    assertThat(report1.at("/counts/excludedByGate/CONSENT_WITHDRAWN").asInt()).isEqualTo(1);
    assertThat(report1.at("/counts/excludedByGate/OPTED_OUT").asInt()).isEqualTo(1);

    Result export = run("subject", "export", "C7", "--db", db);
    assertThat(export.exitCode()).as(export.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(export.out());
    assertThat(json.at("/events/0/type").asText()).isEqualTo("CONSENT_GIVEN");
    assertThat(json.at("/states/marketing-segmentation/decision").asText()).isEqualTo("ALLOWED");
    String pseudonym = json.at("/pseudonyms/0/value").asText();
    assertThat(json.at("/segments/0/runId").asText()).isEqualTo(report1.at("/runId").asText());
    assertThat(json.at("/segments/0/logic").asText()).contains("k-means", "marketing-segmentation");
    assertThat(Files.readString(dir.resolve("out1/assignments.csv"))).contains(pseudonym);

    Result erased = run("subject", "erase", "C7", "--db", db, "--actor", "dpo");
    assertThat(erased.exitCode()).as(erased.err()).isZero();
    assertThat(erased.out()).contains("ledger keys and pseudonym deleted");

    JsonNode report2 = runSpec(dir, "out2");
    assertThat(report2.at("/counts/processedRows").asInt()).isEqualTo(37);
    assertThat(report2.at("/counts/excludedByGate/ERASED").asInt()).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("out2/assignments.csv"))).doesNotContain(pseudonym);
    assertThat(run("subject", "export", "C7", "--db", db).out()).contains("\"events\" : [ ]");
  }

  /**
   * Requests with time limits from the command line: received open, listed (overdue, due soon,
   * as JSON), answered by the request carried out, extended and refused with reasons; mistakes
   * named.
   */
  @Test
  void requestsAreReceivedListedWithTheirTimeLimitsAndAnswered(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("consents.csv"), consents(3, i -> "CONSENT_GIVEN"));
    String db = dir.resolve("consent-db").toString();
    assertThat(run("consent", "import", dir.resolve("consents.csv").toString(), "--db", db)
        .exitCode()).isZero();

    // Received long ago: overdue now. Received now under the CCPA: an opt-out, due soon.
    Result old = run("subject", "receive", "C1", "--type", "access", "--received",
        "2026-01-05T09:00:00Z", "--db", db);
    assertThat(old.exitCode()).as(old.err()).isZero();
    assertThat(old.out()).matches("(?s)received request [0-9a-f-]{36}: ACCESS under GDPR, due by "
        + "2026-02-06T00:00:00Z\\s*");
    String oldId = old.out().substring(17, 53);
    Result optOut = run("subject", "receive", "C2", "--type", "OPT_OUT", "--regime", "ccpa",
        "--db", db);
    assertThat(optOut.out()).contains("OPT_OUT under CCPA");
    String optOutId = optOut.out().substring(17, 53);
    Result erasure = run("subject", "receive", "C3", "--type", "erasure", "--db", db);
    String erasureId = erasure.out().substring(17, 53);

    assertThat(run("subject", "requests", "--overdue", "--db", db).out())
        .contains(oldId, "OVERDUE", "1 request").doesNotContain(optOutId);
    assertThat(run("subject", "requests", "--due-within", "40", "--db", db).out())
        .contains(optOutId, "2 requests").doesNotContain(oldId);
    JsonNode listed = new ObjectMapper().readTree(run("subject", "requests", "--open", "--json",
        "--db", db).out());
    assertThat(listed).hasSize(3);
    assertThat(listed.at("/0/overdue").asBoolean()).isTrue();
    assertThat(listed.toString()).doesNotContain("C1", "C2", "subjectKey");

    // Carried out: the export answers the old request, late; the others are extended and
    // refused with their reasons.
    assertThat(run("subject", "export", "C1", "--db", db).out())
        .contains("\"requestId\" : \"" + oldId + "\"");
    Result extended = run("subject", "extend", erasureId, "--reason", "three archives", "--db",
        db);
    assertThat(extended.out()).contains("request " + erasureId + ": EXTENDED, due by ");
    Result again = run("subject", "extend", erasureId, "--reason", "more", "--db", db);
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.err()).contains("was extended already");
    Result refused = run("subject", "refuse", optOutId, "--reason", "identity not established",
        "--db", db);
    assertThat(refused.out()).contains("REFUSED; refused: identity not established");
    Result erased = run("subject", "erase", "C3", "--db", db);
    assertThat(erased.out()).contains("(answers request " + erasureId + ", received ",
        ": on time)");
    String all = run("subject", "requests", "--db", db).out();
    assertThat(all).contains(oldId + "  ACCESS", " LATE", "3 requests");
    assertThat(run("subject", "requests", "--open", "--db", db).out()).contains("0 requests");

    Result badType = run("subject", "receive", "C1", "--type", "complaint", "--db", db);
    assertThat(badType.exitCode()).isNotZero();
    assertThat(badType.err()).contains("--type must be one of [ACCESS, RECTIFICATION");
    Result badZone = run("subject", "receive", "C1", "--type", "access", "--zone", "Mars/Base",
        "--db", db);
    assertThat(badZone.err()).contains("--zone must be a time zone such as UTC or "
        + "Europe/Berlin");
  }

  /**
   * A registered run goes stale as consents are withdrawn and a subject opts out; the
   * activation writes only the members whose basis holds now, counts the others by reason, and
   * a mistake (an unknown run, a missing directory) leaves no file.
   */
  @Test
  void aStaleRunIsListedAndItsActivationLeavesOutWhoWithdrew(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("consents.csv"), consents(30, i -> "CONSENT_GIVEN"));
    customersAndSpec(dir, 30, 1);
    Files.writeString(dir.resolve("plain.yaml"), Files.readString(dir.resolve("spec.yaml"))
        .replace("  ledger: {db: consent-db, directMarketing: true}",
            "  allowedSubjects: consented.txt"));
    String db = dir.resolve("consent-db").toString();
    assertThat(run("consent", "import", dir.resolve("consents.csv").toString(), "--db", db)
        .exitCode()).isZero();
    JsonNode report = runSpec(dir, "out");
    String runId = report.at("/runId").asText();
    String spec = dir.resolve("spec.yaml").toString();
    String fresh = run("consent", "runs", "--db", db, "--spec", spec).out();
    assertThat(fresh).contains(runId + "  marketing-segmentation  30 members, 30 with a basis "
        + "now\n", "1 registered run").doesNotContain("STALE");
    // Without the spec, the default policy is not the one the run's gate used (direct
    // marketing): the run is not decided by it, and the listing says why.
    assertThat(run("consent", "runs", "--db", db).out()).contains(runId + "  "
        + "marketing-segmentation  30 members; not decided: run " + runId + " was decided by the "
        + "policy marketing-segmentation {consentExpiry=none, directMarketing=true,");

    Files.writeString(dir.resolve("withdrawals.csv"), "subject_id,purpose,event,occurred_at,"
        + "source,actor\nC2,marketing-segmentation,CONSENT_WITHDRAWN,2026-03-01T00:00:00Z,"
        + "WEB_FORM,preference-centre\nC3,marketing-segmentation,CONSENT_WITHDRAWN,"
        + "2026-03-01T00:00:00Z,WEB_FORM,preference-centre\n");
    assertThat(run("consent", "import", dir.resolve("withdrawals.csv").toString(), "--db", db)
        .exitCode()).isZero();
    assertThat(run("consent", "signal", "--db", db, "--subject", "C4", "--usp", "1YYN")
        .exitCode()).isZero();
    assertThat(run("consent", "runs", "--db", db, "--spec", spec).out())
        .contains("30 members, 27 with a basis now; STALE: lost {", "CONSENT_WITHDRAWN=2",
            "OPTED_OUT=1");

    Path allowed = dir.resolve("allowed.csv");
    // Decided as the spec's ledger gate decided the run, by its policy.
    Result activated = run("activate", runId, "--channel", "email", "--out", allowed.toString(),
        "--spec", dir.resolve("spec.yaml").toString(), "--db", db);
    assertThat(activated.exitCode()).as(activated.err()).isZero();
    assertThat(activated.out()).contains("activated run " + runId + " for email: 27 of 30 "
        + "members allowed (purpose marketing-segmentation), left out {");
    List<String> lines = Files.readAllLines(allowed);
    assertThat(lines.get(0)).isEqualTo("pseudonym,segment");
    assertThat(lines).hasSize(28);
    String assignments = Files.readString(dir.resolve("out/assignments.csv"));
    for (String line : lines.subList(1, lines.size())) {
      assertThat(assignments).contains(line.split(",")[0]);
    }
    for (String id : List.of("C2", "C3", "C4")) {
      JsonNode export = new ObjectMapper().readTree(run("subject", "export", id, "--db", db)
          .out());
      assertThat(Files.readString(allowed))
          .doesNotContain(export.at("/pseudonyms/0/value").asText());
    }

    Result noLedger = run("activate", runId, "--channel", "email", "--out", allowed.toString(),
        "--spec", dir.resolve("plain.yaml").toString(), "--db", db);
    assertThat(noLedger.exitCode()).isNotZero();
    assertThat(noLedger.err()).contains("has no consent ledger (lawfulBasis.ledger)");

    Path none = dir.resolve("none.csv");
    Result unknown = run("activate", "no-such-run", "--channel", "email", "--out",
        none.toString(), "--db", db);
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.err()).contains("run no-such-run is not registered");
    assertThat(none).doesNotExist();
    assertThat(dir.toFile().list()).noneMatch(f -> f.startsWith(".privseg-activation"));
    Result noDir = run("activate", runId, "--channel", "email", "--out",
        dir.resolve("missing/allowed.csv").toString(), "--db", db);
    assertThat(noDir.err()).contains("--out must be a file in an existing directory");
  }

  @Test
  void customersWhoConsentedSinceAreAssignedToARegisteredRunsSegments(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("consents.csv"), consents(30, i -> "CONSENT_GIVEN"));
    customersAndSpec(dir, 30, 1);
    String db = dir.resolve("consent-db").toString();
    assertThat(run("consent", "import", dir.resolve("consents.csv").toString(), "--db", db)
        .exitCode()).isZero();
    String runId = runSpec(dir, "out").at("/runId").asText();

    // Ten new customers, eight of whom consent; their spends lie among the first run's.
    StringBuilder fresh = new StringBuilder("id,spend\n");
    StringBuilder later = new StringBuilder("subject_id,purpose,event,occurred_at,source,actor\n");
    for (int i = 31; i <= 40; i++) {
      fresh.append("C").append(i).append(',').append(i % 2 == 0 ? i : 500 + i).append('\n');
      if (i <= 38) {
        later.append("C").append(i).append(",marketing-segmentation,CONSENT_GIVEN,"
            + "2026-02-01T00:00:00Z,WEB_FORM,signup\n");
      }
    }
    Files.writeString(dir.resolve("new.csv"), fresh);
    Files.writeString(dir.resolve("later.csv"), later);
    assertThat(run("consent", "import", dir.resolve("later.csv").toString(), "--db", db)
        .exitCode()).isZero();

    Result assigned = run("run", dir.resolve("spec.yaml").toString(), "--input",
        dir.resolve("new.csv").toString(), "--assign-to", runId, "--out",
        dir.resolve("out2").toString());
    assertThat(assigned.exitCode()).as(assigned.err()).isZero();
    JsonNode report = new ObjectMapper().readTree(dir.resolve("out2/report.json").toFile());
    assertThat(report.at("/segmentation/algorithm").asText())
        .isEqualTo("incremental assignment of run " + runId);
    assertThat(report.at("/counts/processedRows").asInt()).isEqualTo(8);
    assertThat(report.at("/segmentation/iterations").asInt()).isZero();
    // Low spenders go with the first run's low spenders, high with high.
    Map<String, String> segmentOf = new java.util.HashMap<>();
    for (String line : Files.readAllLines(dir.resolve("out/assignments.csv")).subList(1, 31)) {
      segmentOf.put(line.split(",")[0], line.split(",")[1]);
    }
    String low = segmentOf.get(pseudonymOf(db, "C2"));
    String high = segmentOf.get(pseudonymOf(db, "C3"));
    assertThat(low).isNotEqualTo(high);
    for (String line : Files.readAllLines(dir.resolve("out2/assignments.csv")).subList(1, 9)) {
      String[] cells = line.split(",");
      boolean even = List.of(32, 34, 36, 38).stream()
          .anyMatch(i -> pseudonymOf(db, "C" + i).equals(cells[0]));
      assertThat(cells[1]).isEqualTo(even ? low : high);
    }
    assertThat(run("consent", "runs", "--db", db).out()).contains("2 registered runs");

    Result unknown = run("run", dir.resolve("spec.yaml").toString(), "--input",
        dir.resolve("new.csv").toString(), "--assign-to", "no-such-run", "--out",
        dir.resolve("out3").toString());
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.err()).contains("run no-such-run is not registered in the spec's "
        + "consent database");
    assertThat(dir.resolve("out3")).doesNotExist();
  }

  private String pseudonymOf(String db, String subject) {
    try {
      return new ObjectMapper().readTree(run("subject", "export", subject, "--db", db).out())
          .at("/pseudonyms/0/value").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aConsentFileMayLeaveOutTheOptionalColumns(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("consents.csv"), "subject_id,purpose,event,occurred_at,source,"
        + "actor\nC1,marketing-segmentation,CONSENT_GIVEN,2026-01-01T00:00:00Z,WEB_FORM,crm\n");
    String db = dir.resolve("consent-db").toString();

    Result imported = run("consent", "import", dir.resolve("consents.csv").toString(), "--db", db);

    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("imported 1 consent events");
    JsonNode export = new ObjectMapper().readTree(run("subject", "export", "C1", "--db", db)
        .out());
    assertThat(export.at("/events/0/noticeVersion").asText()).isEmpty();
    Files.writeString(dir.resolve("consents.csv"), "subject_id,purpose,occurred_at,source,"
        + "actor\nC1,marketing-segmentation,2026-01-01T00:00:00Z,WEB_FORM,crm\n");
    assertThat(run("consent", "import", dir.resolve("consents.csv").toString(), "--db", db)
        .err()).contains("CSV header has no column 'event'");
  }

  @Test
  void aForgottenRunNoLongerExplainsAnyonesSegments(@TempDir Path dir) throws Exception {
    String db = twentyConsentingCustomers(dir);
    String first = runSpec(dir, "out1").at("/runId").asText();
    String second = runSpec(dir, "out2").at("/runId").asText();

    Result forgot = run("consent", "forget-run", first, "--db", db);

    assertThat(forgot.exitCode()).as(forgot.err()).isZero();
    assertThat(forgot.out()).contains("forgot 20 segment memberships of run " + first);
    JsonNode export = new ObjectMapper().readTree(run("subject", "export", "C3", "--db", db)
        .out());
    assertThat(export.at("/segments")).hasSize(1);
    assertThat(export.at("/segments/0/runId").asText()).isEqualTo(second);
    assertThat(run("consent", "forget-run", first, "--db", db).out())
        .contains("forgot 0 segment memberships");
  }

  @Test
  void runsOlderThanAPeriodAreForgotten(@TempDir Path dir) throws Exception {
    String db = twentyConsentingCustomers(dir);
    runSpec(dir, "out1");
    runSpec(dir, "out2");

    Result young = run("consent", "forget-runs", "--older-than", "P1D", "--db", db);
    assertThat(young.exitCode()).as(young.err()).isZero();
    assertThat(young.out()).contains("forgot 0 segment memberships of runs registered before");
    assertThat(new ObjectMapper().readTree(run("subject", "export", "C3", "--db", db).out())
        .at("/segments")).hasSize(2);

    Result all = run("consent", "forget-runs", "--older-than", "P0D", "--db", db);
    assertThat(all.out()).contains("forgot 40 segment memberships");
    JsonNode export = new ObjectMapper().readTree(run("subject", "export", "C3", "--db", db)
        .out());
    assertThat(export.at("/segments").isArray()).isTrue();
    assertThat(export.at("/segments")).isEmpty();

    Result bad = run("consent", "forget-runs", "--older-than", "90 days", "--db", db);
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.err()).contains("--older-than must be an ISO-8601 period");
  }

  @Test
  void aSpecKeepsRegisteredRunsForAPeriod(@TempDir Path dir) throws Exception {
    String db = twentyConsentingCustomers(dir);
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec, Files.readString(spec).replace("directMarketing: true}",
        "directMarketing: true, keepRunsFor: P30D}"));
    Result first = run("run", spec.toString(), "--out", dir.resolve("out1").toString());
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains("runs:       forgot 0 segment memberships of runs "
        + "registered before").contains("(keepRunsFor P30D)");
    // The first run, as if registered 40 days ago.
    String url = "jdbc:h2:file:" + dir.resolve("consent-db").resolve("consent-ledger")
        + ";FILE_LOCK=FS";
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "privseg", "");
        java.sql.Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("UPDATE privseg_registered_run SET registered_at = "
          + "registered_at - " + java.time.Duration.ofDays(40).toMillis())).isEqualTo(1);
    }

    Result second = run("run", spec.toString(), "--out", dir.resolve("out2").toString());

    assertThat(second.out()).contains("runs:       forgot 20 segment memberships");
    JsonNode export = new ObjectMapper().readTree(run("subject", "export", "C3", "--db", db)
        .out());
    assertThat(export.at("/segments")).hasSize(1);
    assertThat(export.at("/segments/0/runId").asText()).isEqualTo(new ObjectMapper()
        .readTree(dir.resolve("out2").resolve("report.json").toFile()).at("/runId").asText());
    Files.writeString(spec, Files.readString(spec).replace("P30D", "P0D"));
    assertThat(run("run", spec.toString(), "--out", dir.resolve("out3").toString()).err())
        .contains("spec: lawfulBasis.ledger.keepRunsFor must be a positive period");
  }

  @Test
  void verifyChecksTheHashChainWithoutTheKeyAndNamesTheFirstBrokenLink(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("consents.csv"), consents(12, i -> "CONSENT_GIVEN"));
    String db = dir.resolve("consent-db").toString();
    assertThat(run("consent", "import", dir.resolve("consents.csv").toString(), "--db", db)
        .exitCode()).isZero();
    Map<String, String> noKey = Map.of();

    Result intact = runWith(noKey, "consent", "verify", "--db", db);

    assertThat(intact.exitCode()).as(intact.err()).isZero();
    assertThat(intact.out()).contains("intact: 12 events in ").contains("hash chain unbroken");

    // Someone edits an event in place, behind the library's back.
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:"
        + dir.resolve("consent-db").toAbsolutePath().resolve("consent-ledger"), "privseg", "");
        java.sql.Statement s = c.createStatement()) {
      assertThat(s.executeUpdate(
          "UPDATE privseg_consent_event SET actor = 'backdated' WHERE seq = 7")).isEqualTo(1);
    }

    Result broken = runWith(noKey, "consent", "verify", "--db", db);

    assertThat(broken.exitCode()).isEqualTo(1);
    assertThat(broken.err().strip()).startsWith("privseg: consent ledger in ")
        .endsWith("is broken at event 7: hash does not match the event's contents");
  }

  @Test
  void verifySaysWhatItCannotDetectAndACheckpointCatchesEventsRemovedFromTheEnd(
      @TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("consents.csv"), consents(12, i -> "CONSENT_GIVEN"));
    String db = dir.resolve("consent-db").toString();
    assertThat(run("consent", "import", dir.resolve("consents.csv").toString(), "--db", db)
        .exitCode()).isZero();
    Result first = runWith(Map.of(), "consent", "verify", "--db", db);
    assertThat(first.out()).contains("cannot detect: events removed from the end, or the chain "
        + "rewritten with its hashes recomputed");
    String head = first.out().lines().filter(l -> l.startsWith("head:")).findFirst()
        .orElseThrow().substring("head:".length()).strip();
    assertThat(head).startsWith("12:");

    // The last three events are deleted behind the library's back, the head row set to match.
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:"
        + dir.resolve("consent-db").toAbsolutePath().resolve("consent-ledger"), "privseg", "");
        java.sql.Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("DELETE FROM privseg_consent_event WHERE seq > 9")).isEqualTo(3);
      s.executeUpdate("UPDATE privseg_consent_head SET last_seq = 9, last_hash = "
          + "(SELECT hash FROM privseg_consent_event WHERE seq = 9)");
    }

    Result alone = runWith(Map.of(), "consent", "verify", "--db", db);
    assertThat(alone.exitCode()).as("the chain alone cannot tell, and says so").isZero();
    assertThat(alone.out()).contains("intact: 9 events").contains("cannot detect");
    Result checked = runWith(Map.of(), "consent", "verify", "--db", db, "--checkpoint", head);
    assertThat(checked.exitCode()).isEqualTo(1);
    assertThat(checked.err()).contains("the ledger ends at event 9 but the checkpoint holds "
        + "event 12: events were removed from the end");
  }

  /**
   * Keys made, a checkpoint signed and kept outside the database: it seals the run's record
   * (what {@code sha256sum report.json} prints), holds while events are appended, and catches
   * the ledger's last events removed with its head re-sealed; mistakes (no public key, another
   * key, an existing file) are reported as such.
   */
  @Test
  void aSignedCheckpointSealsTheLedgerAndTheRunsRecords(@TempDir Path dir) throws Exception {
    String db = twentyConsentingCustomers(dir);
    JsonNode report = runSpec(dir, "out");
    String key = dir.resolve("key.pem").toString();
    String pub = dir.resolve("key.pub.pem").toString();
    Result keys = run("consent", "checkpoint-keys", "--key", key, "--public-key", pub);
    assertThat(keys.exitCode()).as(keys.err()).isZero();
    assertThat(keys.out()).contains("private key in " + key + " (keep it secret)");
    Result again = run("consent", "checkpoint-keys", "--key", key, "--public-key", pub);
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("key file " + key + " already exists");

    String file = dir.resolve("checkpoint.json").toString();
    Result signed = run("consent", "checkpoint", "--db", db, "--key", key, "--out", file);
    assertThat(signed.exitCode()).as(signed.err()).isZero();
    assertThat(signed.out()).contains("head 20:", "1 run record(s)");
    String recordDigest = java.util.HexFormat.of().formatHex(java.security.MessageDigest
        .getInstance("SHA-256").digest(Files.readAllBytes(dir.resolve("out/report.json"))));
    assertThat(dev.privseg.consent.SignedCheckpoint.read(Path.of(file)).runs())
        .containsExactly(Map.entry(report.at("/runId").asText(), recordDigest));
    assertThat(run("consent", "checkpoint", "--db", db, "--key", key, "--out", file).err())
        .contains("checkpoint file " + file + " already exists");

    Files.writeString(dir.resolve("more.csv"), "subject_id,purpose,event,occurred_at,source,"
        + "actor\nC2,marketing-segmentation,CONSENT_WITHDRAWN,2026-03-01T00:00:00Z,WEB_FORM,"
        + "preference-centre\n");
    assertThat(run("consent", "import", dir.resolve("more.csv").toString(), "--db", db)
        .exitCode()).isZero();
    Result holds = run("consent", "verify", "--db", db, "--checkpoint", file, "--public-key", pub);
    assertThat(holds.exitCode()).as(holds.err()).isZero();
    assertThat(holds.out()).contains("intact: 21 events", "checkpoint event 20 unchanged",
        "1 sealed run record(s) unchanged");

    try (dev.privseg.consent.TestTimestampAuthority tsa =
        new dev.privseg.consent.TestTimestampAuthority()) {
      String stampedFile = dir.resolve("stamped.json").toString();
      Result stamped = run("consent", "checkpoint", "--db", db, "--key", key, "--out",
          stampedFile, "--tsa", tsa.uri().toString());
      assertThat(stamped.exitCode()).as(stamped.err()).isZero();
      assertThat(stamped.out()).contains("time-stamped by " + tsa.uri());
      String cert = tsa.writeCertificate(dir.resolve("tsa.pem")).toString();
      Result checked = run("consent", "verify", "--db", db, "--checkpoint", stampedFile,
          "--public-key", pub, "--tsa-cert", cert);
      assertThat(checked.exitCode()).as(checked.err()).isZero();
      assertThat(checked.out()).contains("time stamp: ", "by the authority of " + cert);
      Result unstamped = run("consent", "verify", "--db", db, "--checkpoint", file,
          "--public-key", pub, "--tsa-cert", cert);
      assertThat(unstamped.exitCode()).isEqualTo(1);
      assertThat(unstamped.err()).contains("the checkpoint has no time stamp");
    }

    Result noKey = run("consent", "verify", "--db", db, "--checkpoint", file);
    assertThat(noKey.exitCode()).isEqualTo(1);
    assertThat(noKey.err()).contains("give --public-key");
    String otherKey = dir.resolve("other.pem").toString();
    String otherPub = dir.resolve("other.pub.pem").toString();
    assertThat(run("consent", "checkpoint-keys", "--key", otherKey, "--public-key", otherPub)
        .exitCode()).isZero();
    Result other = run("consent", "verify", "--db", db, "--checkpoint", file, "--public-key",
        otherPub);
    assertThat(other.exitCode()).isEqualTo(1);
    assertThat(other.err()).contains("the checkpoint was signed with key ",
        ", not with this public key (");

    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:"
        + dir.resolve("consent-db").toAbsolutePath().resolve("consent-ledger"), "privseg", "");
        java.sql.Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("DELETE FROM privseg_consent_event WHERE seq > 17"))
          .isEqualTo(4);
      s.executeUpdate("UPDATE privseg_consent_head SET last_seq = 17, last_hash = "
          + "(SELECT hash FROM privseg_consent_event WHERE seq = 17)");
    }
    assertThat(run("consent", "verify", "--db", db).exitCode()).as("alone it cannot tell")
        .isZero();
    Result caught = run("consent", "verify", "--db", db, "--checkpoint", file, "--public-key",
        pub);
    assertThat(caught.exitCode()).isEqualTo(1);
    assertThat(caught.err()).contains("does not match the checkpoint of ",
        "the ledger ends at event 17 but the checkpoint holds event 20");
  }

  /**
   * {@code privseg status} across a run, a withdrawal, an activation, an overdue request and a
   * spent budget, as text and JSON; it names no subject and writes nothing.
   */
  @Test
  void statusShowsTheStaleRunTheOverdueRequestAndTheLedgerAsTextAndJson(@TempDir Path dir)
      throws Exception {
    String db = twentyConsentingCustomers(dir);
    JsonNode report = runSpec(dir, "out");
    String runId = report.at("/runId").asText();
    Files.writeString(dir.resolve("withdrawals.csv"), "subject_id,purpose,event,occurred_at,"
        + "source,actor\nC2,marketing-segmentation,CONSENT_WITHDRAWN,2026-03-01T00:00:00Z,"
        + "WEB_FORM,preference-centre\n");
    assertThat(run("consent", "import", dir.resolve("withdrawals.csv").toString(), "--db", db)
        .exitCode()).isZero();
    assertThat(run("activate", runId, "--channel", "email", "--out",
        dir.resolve("allowed.csv").toString(), "--spec", dir.resolve("spec.yaml").toString(),
        "--db", db).exitCode()).isZero();
    assertThat(run("subject", "receive", "C1", "--type", "access", "--received",
        "2026-01-05T09:00:00Z", "--db", db).exitCode()).isZero();
    try (dev.privseg.consent.store.jdbc.ConsentDatabase cdb =
        dev.privseg.consent.store.jdbc.ConsentDatabase.h2Existing(Path.of(db))) {
      dev.privseg.anonymization.dp.PrivacyAccountant.persistent("crm-profiles",
          dev.privseg.anonymization.dp.Rational.of(2, 1), dev.privseg.anonymization.dp.Rational.ZERO,
          cdb.spendLog()).spendPure("profile means", dev.privseg.anonymization.dp.Rational.of(1, 2));
    }

    Result text = run("status", "--db", db, "--spec", dir.resolve("spec.yaml").toString(),
        "--keep-runs-for", "P1D", "--weeks", "52", "--html", dir.resolve("status.html")
            .toString());
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out()).contains("ledger:    intact, 21 events checked, head 21:",
        "consent:   marketing-segmentation: 19 of 20 subjects with a basis now (95.0 %); "
            + "without: CONSENT_WITHDRAWN 1",
        "runs:      1 registered, 1 stale, 0 past retention (kept for P1D)",
        runId + "  marketing-segmentation  registered ",
        "20 members, 19 with a basis now; STALE: lost CONSENT_WITHDRAWN 1; activated 1 time(s)",
        "requests:  1 open, 1 overdue, 0 due soon", "ACCESS  OPEN  received "
            + "2026-01-05T09:00:00Z  due 2026-02-06T00:00:00Z  OVERDUE",
        "crm-profiles: epsilon 1/2 of 2 spent (25.0 %), delta 0, 1 release(s)");
    assertThat(text.out()).doesNotContainPattern("\\bC[0-9]+\\b");
    assertThat(Files.readString(dir.resolve("status.html"))).contains("<h1>Compliance status</h1>",
        "19 of 20 people (95.0 %) have a lawful basis for marketing-segmentation now");

    Result json = run("status", "--db", db, "--spec", dir.resolve("spec.yaml").toString(),
        "--json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode status = new ObjectMapper().readTree(json.out());
    assertThat(status.at("/ledger/intact").asBoolean()).isTrue();
    assertThat(status.at("/coverage/0/allowed").asLong()).isEqualTo(19);
    assertThat(status.at("/runs/0/lost/CONSENT_WITHDRAWN").asLong()).isEqualTo(1);
    assertThat(status.at("/runs/0/pastRetention").asBoolean()).isFalse();
    assertThat(status.at("/requests/overdue").asLong()).isEqualTo(1);
    assertThat(status.at("/budgets/0/spentEpsilon").asText()).isEqualTo("1/2");
    assertThat(status.at("/coverage/0/weeks").size()).isEqualTo(12);
    assertThat(json.out()).doesNotContainPattern("\\bC[0-9]+\\b");

    String head = text.out().lines().filter(l -> l.startsWith("ledger:")).findFirst()
        .orElseThrow().replaceAll(".*head ", "");
    Result since = run("status", "--db", db, "--checkpoint", head);
    assertThat(since.exitCode()).as(since.err()).isZero();
    assertThat(since.out()).contains("ledger:    intact, 1 events checked from the "
        + "checkpoint's event 21 on (the whole chain: privseg consent verify), head " + head);

    // The nightly snapshot; a later status with the checkpoint reads it and the events since.
    Result saved = run("status", "--db", db, "--spec", dir.resolve("spec.yaml").toString(),
        "--save-snapshot");
    assertThat(saved.exitCode()).as(saved.err()).isZero();
    assertThat(saved.err()).contains("saved the status snapshot of marketing-segmentation at ",
        ": 20 subjects, ledger event 21");
    Files.writeString(dir.resolve("later.csv"), "subject_id,purpose,event,occurred_at,"
        + "source,actor\nC5,marketing-segmentation,CONSENT_WITHDRAWN,2026-03-02T00:00:00Z,"
        + "WEB_FORM,preference-centre\n");
    assertThat(run("consent", "import", dir.resolve("later.csv").toString(), "--db", db)
        .exitCode()).isZero();
    Result resumed = run("status", "--db", db, "--spec", dir.resolve("spec.yaml").toString(),
        "--checkpoint", head);
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("ledger:    intact, 2 events checked from the "
        + "checkpoint's event 21 on", "marketing-segmentation: 18 of 20 subjects with a basis "
        + "now (90.0 %); without: CONSENT_WITHDRAWN 2");

    Result bad = run("status", "--db", db, "--keep-runs-for", "90 days");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).contains("--keep-runs-for must be an ISO-8601 period");
    Result missing = run("status", "--db", dir.resolve("no-such-db").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("no consent database in");
    assertThat(dir.resolve("no-such-db")).doesNotExist();
  }

  /**
   * {@code privseg ropa}: the records of processing from the registered run and a small YAML
   * file, as text and JSON; a mistake in the file is named without quoting it.
   */
  @Test
  void theRecordsOfProcessingComeFromTheRegisteredRun(@TempDir Path dir) throws Exception {
    String db = twentyConsentingCustomers(dir);
    JsonNode report = runSpec(dir, "out");
    Files.writeString(dir.resolve("register.yaml"), """
        controller: {name: Example Retail Ltd, contact: privacy@example.com}
        dpo: {contact: dpo@example.com}
        keepRunsFor: P90D
        purposes:
          marketing-segmentation:
            subjects: [customers who consented to offers]
            recipients: [e-mail service provider (processor)]
        """);
    Result text = run("ropa", "--config", dir.resolve("register.yaml").toString(), "--db", db,
        "--html", dir.resolve("ropa.html").toString());
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out()).contains("controller: Example Retail Ltd, privacy@example.com",
        "purpose:    marketing-segmentation (Offers)", "  lawful basis:       CONSENT",
        "  data subjects:      customers who consented to offers", "  data used:          spend",
        "  transfers:          none", "kept for P90D", "    - pseudonymisation: id replaced by",
        "  runs (evidence):    1", report.at("/runId").asText() + "  registered ",
        "20 of 20 rows processed");
    JsonNode json = new ObjectMapper().readTree(run("ropa", "--config",
        dir.resolve("register.yaml").toString(), "--db", db, "--json").out());
    assertThat(json.at("/activities/0/runs/0/recordDigest").asText()).isEqualTo(
        java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
            .digest(Files.readAllBytes(dir.resolve("out/report.json")))));
    assertThat(text.out() + json).doesNotContainPattern("\\bC[0-9]+\\b");

    assertThat(run("subject", "receive", "C1", "--type", "access", "--db", db).exitCode())
        .isZero();
    Result dpia = run("dpia", "marketing-segmentation", "--config",
        dir.resolve("register.yaml").toString(), "--db", db, "--html",
        dir.resolve("dpia.html").toString());
    assertThat(Files.readString(dir.resolve("ropa.html"))).contains(
        "<h1>Records of processing activities</h1>", "customers who consented to offers");
    assertThat(Files.readString(dir.resolve("dpia.html"))).contains(
        "Evidence for a data protection impact assessment: marketing-segmentation");
    assertThat(dpia.exitCode()).as(dpia.err()).isZero();
    JsonNode evidence = new ObjectMapper().readTree(dpia.out());
    assertThat(evidence.at("/activity/runs/0/runId").asText())
        .isEqualTo(report.at("/runId").asText());
    assertThat(evidence.at("/requests/open").asLong()).isEqualTo(1);
    assertThat(evidence.at("/guarantees").size()).isPositive();

    Files.writeString(dir.resolve("bad.yaml"), """
        controller: {name: Example Retail Ltd, contact: privacy@example.com}
        purposes:
          marketing-segmentation: {subjects: [customers], recipient: [C12345]}
        """);
    Result bad = run("ropa", "--config", dir.resolve("bad.yaml").toString(), "--db", db);
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).contains("unknown option 'recipient'").doesNotContain("C12345");
  }

  @Test
  void anotherKeyIsRefusedSoErasedSubjectsCannotComeBack(@TempDir Path dir) throws Exception {
    String db = twentyConsentingCustomers(dir);
    assertThat(run("subject", "erase", "C1", "--db", db).exitCode()).isZero();
    Map<String, String> otherKey = Map.of("PRIVSEG_KEY", randomKey());

    Result reimport = runWith(otherKey, "consent", "import",
        dir.resolve("consents.csv").toString(), "--db", db);
    Result runs = runWith(otherKey, "run", dir.resolve("spec.yaml").toString(), "--out",
        dir.resolve("other").toString());

    for (Result r : List.of(reimport, runs)) {
      assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
      assertThat(r.err()).contains("is not the key the H2 consent database in consent-db was "
          + "keyed with").doesNotContain("C1");
    }
    assertThat(run("consent", "verify", "--db", db).out()).contains("intact: 21 events");
  }

  @Test
  void aRunForAPurposeTheLedgerDoesNotHoldSaysSoInsteadOfFailingDownstream(@TempDir Path dir)
      throws Exception {
    twentyConsentingCustomers(dir);
    Files.writeString(dir.resolve("newsletter.yaml"), Files.readString(dir.resolve("spec.yaml"))
        .replace("id: marketing-segmentation", "id: newsletter"));

    Result r = run("run", dir.resolve("newsletter.yaml").toString(), "--out",
        dir.resolve("o").toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("privseg: no subject may be processed for purpose "
        + "'newsletter': the lawful-basis gate allowed none of the 20 input rows "
        + "({NO_BASIS=20}); the consent ledger (H2 consent database in consent-db) holds 20 "
        + "events, for purposes [marketing-segmentation], none for 'newsletter'");
  }

  @Test
  void anAccessExportReportsEveryPurposeTheSubjectHasEventsFor(@TempDir Path dir)
      throws Exception {
    StringBuilder consents = consents(3, i -> "CONSENT_GIVEN");
    consents.append("C2,newsletter,CONSENT_GIVEN,2026-01-02T00:00:00Z,WEB_FORM,,signup,\n")
        .append("C2,newsletter,OBJECTION,2026-01-03T00:00:00Z,WEB_FORM,,desk,\n");
    Files.writeString(dir.resolve("consents.csv"), consents);
    String db = dir.resolve("consent-db").toString();
    assertThat(run("consent", "import", dir.resolve("consents.csv").toString(), "--db", db)
        .exitCode()).isZero();

    JsonNode json = new ObjectMapper().readTree(run("subject", "export", "C2", "--db", db)
        .out());

    assertThat(json.at("/states/marketing-segmentation/decision").asText()).isEqualTo("ALLOWED");
    assertThat(json.at("/states/newsletter/decision").asText())
        .isEqualTo("NO_POLICY_CONFIGURED");
    assertThat(json.at("/states/newsletter/objected").asBoolean()).isTrue();
    assertThat(json.at("/states/newsletter/consentGivenAt").asText())
        .isEqualTo("2026-01-02T00:00:00Z");
    assertThat(json.at("/events").size()).isEqualTo(3);
  }

  @Test
  void membershipsUnderKeyedHashPseudonymsAreNotRegisteredSinceErasureCouldNotForgetThem(
      @TempDir Path dir) throws Exception {
    twentyConsentingCustomers(dir);
    Files.writeString(dir.resolve("hmac.yaml"), Files.readString(dir.resolve("spec.yaml"))
        .replace("key: {directory: true}", "key: {env: PRIVSEG_KEY}"));

    Result r = run("run", dir.resolve("hmac.yaml").toString(), "--out",
        dir.resolve("o").toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("runs:       memberships not registered: the pseudonyms are "
        + "not the subject directory's");
    JsonNode export = new ObjectMapper().readTree(run("subject", "export", "C2", "--db",
        dir.resolve("consent-db").toString()).out());
    assertThat(export.at("/segments").size()).isZero();
  }

  @Test
  void readOnlyCommandsOnAMistypedDatabaseSaySoAndCreateNothing(@TempDir Path dir)
      throws Exception {
    String db = twentyConsentingCustomers(dir);
    String typo = dir.resolve("consnet-db").toString();
    Files.writeString(dir.resolve("typo.yaml"), Files.readString(dir.resolve("spec.yaml"))
        .replace("db: consent-db", "db: consnet-db"));

    List<Result> results = List.of(
        runWith(Map.of(), "consent", "verify", "--db", typo),
        run("subject", "export", "C1", "--db", typo),
        run("subject", "erase", "C1", "--db", typo),
        run("consent", "forget-run", "some-run", "--db", typo),
        run("consent", "forget-runs", "--older-than", "P1D", "--db", typo),
        run("run", dir.resolve("typo.yaml").toString(), "--out", dir.resolve("o").toString()));

    for (Result r : results) {
      assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
      assertThat(r.err()).startsWith("privseg: no consent database in ")
          .contains("consnet-db").doesNotContain("intact").doesNotContain("rows but got 0");
    }
    assertThat(dir.resolve("consnet-db")).doesNotExist();
    assertThat(run("consent", "verify", "--db", db).exitCode()).isZero();
  }

  @Test
  void aSpecialCategoryIsUsedOnlyForSubjectsWhoseExplicitConsentTheLedgerHolds(@TempDir Path dir)
      throws Exception {
    // Every fourth customer gave explicit consent (GDPR Art. 9(2)(a)); the rest plain consent.
    StringBuilder consents = consents(40,
        i -> i % 4 == 0 ? "EXPLICIT_CONSENT_GIVEN" : "CONSENT_GIVEN");
    StringBuilder customers = new StringBuilder("id,spend,health\n");
    for (int i = 1; i <= 40; i++) {
      customers.append("C").append(i).append(',').append(i % 2 == 0 ? i : 500 + i).append(',')
          .append(i % 3 == 0 ? "diabetic" : "none").append('\n');
    }
    Files.writeString(dir.resolve("consents.csv"), consents);
    Files.writeString(dir.resolve("customers.csv"), customers);
    String spec = """
        input: {path: customers.csv}
        schema:
          subjectId: id
          fields:
            - {name: id, type: IDENTIFIER, role: DIRECT_IDENTIFIER}
            - {name: spend, type: NUMERIC, role: OTHER}
            - {name: health, type: CATEGORICAL, role: SPECIAL_CATEGORY}
        purpose: {id: marketing-segmentation, description: Offers, lawfulBasis: CONSENT}
        lawfulBasis:
          ledger: {db: consent-db, directMarketing: true}
        minimize: MINIMIZE
        pseudonymize: {field: id, key: {ephemeral: true}}
        segmentation: {algorithm: kprototypes, k: 2, seed: 1}
        release: {minSegmentSize: 5}
        """;
    Files.writeString(dir.resolve("plain.yaml"),
        spec.replace("MINIMIZE", "{keep: [spend, health]}"));
    Files.writeString(dir.resolve("special.yaml"),
        spec.replace("MINIMIZE", "{keep: [spend], keepSpecialCategory: [health]}"));
    String db = dir.resolve("consent-db").toString();
    assertThat(run("consent", "import", dir.resolve("consents.csv").toString(), "--db", db)
        .exitCode()).isZero();

    Result plain = run("run", dir.resolve("plain.yaml").toString(), "--out",
        dir.resolve("plain").toString());
    Result special = run("run", dir.resolve("special.yaml").toString(), "--out",
        dir.resolve("out").toString());

    assertThat(plain.exitCode()).isEqualTo(1);
    assertThat(plain.err()).contains("'health' is a special category")
        .contains("keepSpecialCategory");
    assertThat(special.exitCode()).as(special.err()).isZero();
    JsonNode report = new ObjectMapper().readTree(dir.resolve("out/report.json").toFile());
    assertThat(report.at("/counts/processedRows").asInt()).isEqualTo(40);
    assertThat(report.at("/counts/specialCategoryWithheld").asInt()).isEqualTo(30);
    assertThat(report.at("/fields/specialCategories/0").asText()).isEqualTo("health");
  }

  Result runWith(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PrivsegCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true),
        environment);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void malformedInputIsOneLineAndRecordsNothing(@TempDir Path dir) throws Exception {
    String db = dir.resolve("db").toString();
    Files.writeString(dir.resolve("bad.csv"),
        "subject_id,purpose,event,occurred_at,source,notice_version,actor,proof_reference\n"
            + "C1,marketing-segmentation,CONSENT_MAYBE,2026-01-01T00:00:00Z,WEB_FORM,,x,\n");

    Result bad = run("consent", "import", dir.resolve("bad.csv").toString(), "--db", db);
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err().strip()).startsWith("privseg: row 1, field 'event' must be one of")
        .doesNotContain("C1,");
    Files.writeString(dir.resolve("blanket.csv"),
        "subject_id,purpose,event,occurred_at,source,notice_version,actor,proof_reference\n"
            + "C1,marketing-segmentation,CONSENT_GIVEN,2026-01-01T00:00:00Z,WEB_FORM,,x,\n"
            + "C2,all-purposes,CONSENT_GIVEN,2026-01-01T00:00:00Z,WEB_FORM,,x,\n");
    Result blanket = run("consent", "import", dir.resolve("blanket.csv").toString(), "--db", db);
    assertThat(blanket.exitCode()).isEqualTo(1);
    assertThat(blanket.err().strip()).isEqualTo("privseg: row 2: a consent must be given for "
        + "one specific purpose (GDPR Art. 4(11), 6(1)(a)), not for 'all-purposes': record one "
        + "consent per purpose");
    Files.writeString(dir.resolve("shifted.csv"),
        "subject_id,purpose,event,occurred_at,source,notice_version,actor,proof_reference\n"
            + "C1,alice@example.com,CONSENT_GIVEN,2026-01-01T00:00:00Z,WEB_FORM,,x,\n");
    Result shifted = run("consent", "import", dir.resolve("shifted.csv").toString(), "--db", db);
    assertThat(shifted.exitCode()).isEqualTo(1);
    assertThat(shifted.err()).startsWith("privseg: row 1: purpose id must match")
        .doesNotContain("alice");
    Result badSignal = run("consent", "signal", "--db", db, "--subject", "C1", "--gpp", "%%%");
    assertThat(badSignal.exitCode()).isEqualTo(1);
    assertThat(badSignal.err()).contains("GPP string is malformed").doesNotContain("%%%");
    Result noKey = runWithout("consent", "signal", "--db", db, "--subject", "C1", "--gpc", "1");
    assertThat(noKey.exitCode()).isEqualTo(1);
    assertThat(noKey.err()).contains("environment variable PRIVSEG_KEY is not set");
    assertThat(List.of(bad, badSignal)).allMatch(r -> !r.err().contains("at dev.privseg"));
  }

  @Test
  void aReimportLeavesOutErasedSubjectsAndABadRowLeavesNoTrace(@TempDir Path dir)
      throws Exception {
    String db = dir.resolve("db").toString();
    Path consents = dir.resolve("consents.csv");
    Files.writeString(consents, consents(3, i -> "CONSENT_GIVEN"));
    assertThat(run("consent", "import", consents.toString(), "--db", db).exitCode()).isZero();
    assertThat(run("subject", "erase", "C2", "--db", db).exitCode()).isZero();

    // The CRM exports its consent history again, the erased customer included; the file is
    // read two rows at a time, and written one event at a time.
    Result again = run("consent", "import", consents.toString(), "--db", db, "--part-size", "2",
        "--batch-size", "1");

    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("imported 2 consent events")
        .contains("left out 1 events of erased subjects");
    assertThat(run("subject", "export", "C2", "--db", db).out()).contains("\"events\" : [ ]");

    // A row that fails its checks only after the rows before it were read, two parts of them:
    // nothing is written and no subject gets keys or a pseudonym.
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, consents(5, i -> "CONSENT_GIVEN").toString()
        .replace("signup,form-5", "x".repeat(200) + ",form-5"));
    Result failed = run("consent", "import", bad.toString(), "--db", db, "--part-size", "2");

    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.err().strip()).startsWith("privseg: row 5: ").contains("actor (128)");
    JsonNode c4 = new ObjectMapper().readTree(run("subject", "export", "C4", "--db", db).out());
    assertThat(c4.at("/events")).isEmpty();
    assertThat(c4.at("/pseudonyms")).as("no keys or pseudonym were issued").isEmpty();
    // Three consents, one erasure, two re-imported consents: nothing from the bad file.
    assertThat(run("consent", "verify", "--db", db).out()).contains("intact: 6 events");
    Result noPart = run("consent", "import", consents.toString(), "--db", db, "--part-size",
        "0");
    assertThat(noPart.exitCode()).isEqualTo(2);
    assertThat(noPart.err()).contains("--part-size must be at least 1 but was 0");
    assertThat(run("consent", "import", consents.toString(), "--db", db, "--batch-size", "-1")
        .err()).contains("--batch-size must be at least 1 but was -1");
  }

  @Test
  void objectionRestrictionAndOptOutFromTheCommandLineAreHonouredByTheNextRun(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("consents.csv"), consents(20, i -> "CONSENT_GIVEN"));
    customersAndSpec(dir, 20, 2);
    String db = dir.resolve("consent-db").toString();
    assertThat(run("consent", "import", dir.resolve("consents.csv").toString(), "--db", db)
        .exitCode()).isZero();

    Result objected = run("subject", "object", "C1", "--db", db, "--actor", "dpo");
    Result restricted = run("subject", "restrict", "C2", "--db", db);
    run("subject", "restrict", "C3", "--db", db);
    Result lifted = run("subject", "lift-restriction", "C3", "--db", db);
    Result optedOut = run("subject", "opt-out", "C4", "--db", db);
    Result rectify = run("subject", "rectify", "C5", "--field", "email", "--db", db);
    Result noField = run("subject", "rectify", "C5", "--db", db);

    assertThat(List.of(objected, restricted, lifted, optedOut, rectify))
        .allSatisfy(r -> assertThat(r.exitCode()).as(r.err()).isZero());
    assertThat(objected.out().strip())
        .matches("object: recorded OBJECTION for marketing-segmentation as ledger event \\d+");
    assertThat(rectify.out()).contains("rectification of field 'email' forwarded");
    assertThat(noField.exitCode()).isEqualTo(2);
    JsonNode report = runSpec(dir, "out");
    assertThat(report.at("/counts/excludedByGate/OBJECTED").asInt()).isEqualTo(1);
    assertThat(report.at("/counts/excludedByGate/RESTRICTED").asInt()).isEqualTo(1);
    assertThat(report.at("/counts/excludedByGate/OPTED_OUT").asInt()).isEqualTo(1);
    assertThat(report.at("/counts/processedRows").asInt()).as("C3's restriction was lifted")
        .isEqualTo(17);
    JsonNode c1 = new ObjectMapper().readTree(run("subject", "export", "C1", "--db", db).out());
    assertThat(c1.at("/states/marketing-segmentation/objected").asBoolean()).isTrue();
  }

  /** Runs with an environment that holds no key. */
  Result runWithout(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PrivsegCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true),
        Map.of());
    return new Result(code, out.toString(), err.toString());
  }
}
