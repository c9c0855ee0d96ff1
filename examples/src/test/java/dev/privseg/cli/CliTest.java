package dev.privseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.io.CsvReader;
import dev.privseg.examples.CrmDatabaseExample;
import dev.privseg.examples.SharedData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  static final Path TELCO_SPEC = Path.of("specs/telco-churn.yaml");

  record Result(int exitCode, String out, String err) {}

  /**
   * Runs the telco spec with {@code from} replaced by {@code to} on the real data; returns the
   * report, or skips when ../shared/data is absent.
   */
  static JsonNode runTelcoVariant(Path dir, String from, String to) throws IOException {
    return runTelcoVariant(dir, from, to, true);
  }

  /** As above; with {@code fileInput} false the run is not given the data file. */
  static JsonNode runTelcoVariant(Path dir, String from, String to, boolean fileInput)
      throws IOException {
    runTelcoVariantCli(dir, from, to, fileInput);
    return new ObjectMapper().readTree(dir.resolve("out/report.json").toFile());
  }

  /** As above, returning what the tool printed; its report is {@code dir/out/report.json}. */
  static Result runTelcoVariantCli(Path dir, String from, String to, boolean fileInput)
      throws IOException {
    Path data = SharedData.file("telco_churn.csv");
    String original = Files.readString(TELCO_SPEC);
    assertThat(original).contains(from);
    Path spec = dir.resolve("variant.yaml");
    Files.writeString(spec, original.replace(from, to).replace("telco-consented-subjects.txt",
        Path.of("specs/telco-consented-subjects.txt").toAbsolutePath().toString()));
    Result r = fileInput
        ? run("run", spec.toString(), "--out", dir.resolve("out").toString(), "--replace",
            "--input", data.toString())
        : run("run", spec.toString(), "--out", dir.resolve("out").toString(), "--replace");
    assertThat(r.exitCode()).as(r.err()).isZero();
    return r;
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PrivsegCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void libraryProgressLogsAreQuietUnlessVerboseOrConfigured() {
    String key = "org.slf4j.simpleLogger.defaultLogLevel";
    String before = System.getProperty(key);
    try {
      System.clearProperty(key);
      PrivsegCli.quietLibraryLogs(false);
      assertThat(System.getProperty(key)).isEqualTo("warn");
      System.clearProperty(key);
      PrivsegCli.quietLibraryLogs(true);
      assertThat(System.getProperty(key)).isEqualTo("info");
      System.setProperty(key, "debug");
      PrivsegCli.quietLibraryLogs(false);
      assertThat(System.getProperty(key)).as("the user's own setting wins").isEqualTo("debug");
    } finally {
      if (before == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, before);
      }
    }
  }

  @Test
  void aNonEmptyOutIsRefusedUnlessToldToReplaceAnEarlierRunsOutputs(@TempDir Path dir)
      throws IOException {
    String out = dir.resolve("out").toString();
    String[] demo = {"demo", "--customers", "2000", "--clusters", "3", "--out", out};
    assertThat(run(demo).exitCode()).isZero();
    String report = Files.readString(dir.resolve("out/report.json"));

    Result again = run(demo);
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err().strip()).isEqualTo("privseg: --out " + out + " is not empty (it holds "
        + "4 entries): outputs of different runs would mix; choose an empty or new directory, "
        + "or pass --replace to delete an earlier run's outputs there first");
    assertThat(Files.readString(dir.resolve("out/report.json"))).isEqualTo(report);

    Result replaced = run(append(demo, "--replace"));
    assertThat(replaced.exitCode()).as(replaced.err()).isZero();
    assertThat(Files.readString(dir.resolve("out/report.json"))).isNotEqualTo(report);
    try (var files = Files.list(dir.resolve("out"))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(
          "assignments.csv", "profiles.csv", "report.html", "report.json");
    }

    Files.writeString(dir.resolve("out/notes.txt"), "mine");
    Result foreign = run(append(demo, "--replace"));
    assertThat(foreign.exitCode()).isEqualTo(1);
    assertThat(foreign.err()).contains("that are not a run's outputs (for example notes.txt)");
    assertThat(dir.resolve("out/notes.txt")).exists();
    assertThat(dir.resolve("out/report.json")).exists();
  }

  private static String[] append(String[] args, String more) {
    String[] out = java.util.Arrays.copyOf(args, args.length + 1);
    out[args.length] = more;
    return out;
  }

  /** A parser's message quotes the text it failed on; the CLI's never does. */
  @Test
  void specErrorsNameWhereNeverWhatWasWritten(@TempDir Path dir) throws IOException {
    String spec = Files.readString(TELCO_SPEC);
    Map<String, String> broken = Map.of(
        "type.yaml", spec.replaceFirst("k: \\d+", "k: alice@example.com"),
        "syntax.yaml", spec + "\nsegmentation: {k: \"bob@example.com\n",
        "tab.yaml", spec + "\n\tcarol@example.com: 1\n");
    for (Map.Entry<String, String> b : broken.entrySet()) {
      Path file = dir.resolve(b.getKey());
      Files.writeString(file, b.getValue());
      Result r = run("run", file.toString(), "--out", dir.resolve("out").toString());
      assertThat(r.exitCode()).as(b.getKey()).isNotZero();
      assertThat(r.err()).as(b.getKey()).startsWith("privseg: spec " + b.getKey())
          .doesNotContain("@example.com").doesNotContain("alice").doesNotContain("bob")
          .doesNotContain("carol").containsPattern("line \\d+, column \\d+");
    }
  }

  /** A spec is checked as a run would check it, reading no input and writing nothing. */
  @Test
  void checkValidatesASpecWithoutRunningIt(@TempDir Path dir) throws IOException {
    Path good = dir.resolve("telco.yaml");
    Files.writeString(good, Files.readString(TELCO_SPEC).replace("telco-consented-subjects.txt",
        Path.of("specs/telco-consented-subjects.txt").toAbsolutePath().toString())
        .replace("../../../shared/data/telco_churn.csv", "no-such-export.csv"));
    Result ok = run("check", good.toString());
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out()).isEqualTo("spec ok: telco.yaml, for purpose 'marketing-segmentation', "
        + "with an anonymize stage\n");

    Path typo = dir.resolve("typo.yaml");
    Files.writeString(typo, Files.readString(good).replace("keep: [tenure, contract,",
        "keep: [tenure, contrakt,"));
    Result bad = run("check", typo.toString());
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).startsWith("privseg: kept field 'contrakt' is not in the input schema");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .as("nothing written").containsExactly("telco.yaml", "typo.yaml");
    }
  }

  /** The spec's schema is bound to the pipeline: a field mistake is found before any read. */
  @Test
  void aFieldMistakeInTheSpecIsReportedBeforeTheInputIsRead(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("typo.yaml");
    Files.writeString(file, Files.readString(TELCO_SPEC)
        .replace("keep: [tenure, contract,", "keep: [tenure, contrakt,")
        .replace("telco-consented-subjects.txt", Path.of("specs/telco-consented-subjects.txt")
            .toAbsolutePath().toString()));

    Result r = run("run", file.toString(), "--out", dir.resolve("out").toString(), "--input",
        dir.resolve("no-such-export.csv").toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("privseg: kept field 'contrakt' is not in the input schema");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void demoWritesItsOutputsAndASummary(@TempDir Path dir) throws IOException {
    Result r = run("demo", "--out", dir.toString(), "--customers", "3000", "--clusters", "4");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("generated:  3,000 synthetic customers")
        .contains("segments:   4 by k-means").contains("report.json");
    List<String> assignments = Files.readAllLines(dir.resolve("assignments.csv"));
    assertThat(assignments.get(0)).isEqualTo("pseudonym,segment");
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(report.at("/counts/inputRows").asInt()).isEqualTo(3000);
    assertThat(assignments).hasSize(1 + report.at("/counts/processedRows").asInt());
    assertThat(report.at("/fields/dropped").toString()).contains("email", "postcode",
        "annual_income");
    assertThat(Files.readString(dir.resolve("profiles.csv")))
        .startsWith("segment,size,feature,statistic,value");
    assertThat(Files.readString(dir.resolve("report.html")))
        .contains("<title>Processing record: marketing-segmentation, run "
            + report.at("/runId").asText() + "</title>");
    assertThat(r.out()).contains("report.html");
  }

  @Test
  void demoCanReleaseDifferentiallyPrivateProfiles(@TempDir Path dir) throws IOException {
    Result r = run("demo", "--out", dir.toString(), "--customers", "5000", "--dp-epsilon", "1");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("profiles:   differentially private")
        .contains("the profiles are (epsilon 1, delta 0)-DP in all")
        .contains("assignments: pseudonymous personal data (GDPR Recital 26)");
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    // Half the budget for the DP k-means centres, half for the profiles: 1 in all.
    assertThat(report.at("/segmentation/algorithm").asText())
        .isEqualTo("differentially private k-means (DPLloyd)");
    assertThat(report.at("/release/privacy/epsilon").asText()).isEqualTo("1/2");
    assertThat(report.at("/release/privacy/profilesEpsilon").asText()).isEqualTo("1");
    // Useful segments despite the noise: no segment holds most customers (with the demo's
    // first DP configuration, ~20 one-hot features and wide bounds, one held 99.8 %).
    int largest = 0;
    for (JsonNode size : report.at("/segmentation/segmentSizes")) {
      largest = Math.max(largest, size.asInt());
    }
    assertThat(largest).isLessThan((int) (0.8 * report.at("/counts/processedRows").asInt()));
    assertThat(Files.readString(dir.resolve("profiles.csv"))).contains(",mean,")
        .doesNotContain(",median,");

    Result both = run("demo", "--out", dir.resolve("both").toString(), "--customers", "500",
        "--dp-epsilon", "1", "--k-anonymity", "5");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("--dp-epsilon and --k-anonymity cannot be combined");
  }

  @Test
  void demoCanAddAnAnonymizeStage(@TempDir Path dir) throws IOException {
    Result r = run("demo", "--out", dir.toString(), "--customers", "5000", "--k-anonymity", "50");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("anonymized: 50-anonymity");
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(report.at("/anonymization/summary/achieved/k").asInt()).isGreaterThanOrEqualTo(50);
  }

  @Test
  void demoOutputsHoldNoRawIdentifier(@TempDir Path dir) throws IOException {
    assertThat(run("demo", "--out", dir.toString(), "--customers", "500").exitCode()).isZero();
    for (String file : List.of("assignments.csv", "profiles.csv", "report.json")) {
      String text = Files.readString(dir.resolve(file));
      assertThat(text).doesNotContainPattern("C\\d{8}").doesNotContain("@example.com");
    }
  }

  @Test
  void runsTheShippedTelcoSpecOnTheRealData(@TempDir Path dir) throws IOException {
    Path data = SharedData.file("telco_churn.csv");

    Result r = run("run", TELCO_SPEC.toString(), "--out", dir.toString(), "--input",
        data.toString(), "--write-microdata");

    assertThat(r.exitCode()).as(r.err()).isZero();
    // Where the time goes: reading the input, then the run's stages.
    assertThat(r.out()).containsPattern("time: +[0-9,]+ ms reading the input, then [0-9,]+ ms "
        + "\\{LAWFUL_BASIS=");
    assertThat(r.out()).contains("wrote:      " + dir.resolve("assignments.csv") + ", ")
        .contains(dir.resolve("report.html") + ", " + dir.resolve("microdata.csv") + "\n");
    List<String> microdata = Files.readAllLines(dir.resolve("microdata.csv"));
    // Only what the guarantee covers: the quasi-identifier; the other kept fields (exact
    // charges could single a customer out) are left out.
    assertThat(microdata.get(0)).isEqualTo("tenure");
    assertThat(microdata).hasSize(1 + 6189 - new ObjectMapper().readTree(
        dir.resolve("report.json").toFile()).at("/anonymization/rowsSuppressed").asInt());
    assertThat(String.join("\n", microdata)).doesNotContain("C00");
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(report.at("/counts/inputRows").asInt()).isEqualTo(7043);
    assertThat(report.at("/counts/excludedByGate/NO_BASIS").asInt()).isEqualTo(7043 - 6189);
    assertThat(report.at("/counts/processedRows").asInt()).isEqualTo(6189);
    assertThat(report.at("/fields/coarsened/total_charges").asText()).contains("8000");
    int suppressed = report.at("/anonymization/rowsSuppressed").asInt();
    assertThat(suppressed).isBetween(0, 61);
    assertThat(report.at("/anonymization/summary/achieved/k").asInt()).isGreaterThanOrEqualTo(25);
    assertThat(report.at("/release/assignments").asInt()).isEqualTo(6189 - suppressed);
    assertThat(r.out()).contains("anonymized: 25-anonymity");
    assertThat(report.at("/anonymization/segmentationImpact/adjustedRandIndex").asDouble())
        .isBetween(-1.0, 1.0);
    assertThat(report.at("/anonymization/summary/populationUniquenessAfter/model").asText())
        .isEqualTo("Zayatz");
    assertThat(report.at("/segmentation/segments").asInt()).isEqualTo(5);
    Set<String> consented = new HashSet<>(Files.readAllLines(
        Path.of("specs/telco-consented-subjects.txt")));
    String assignments = Files.readString(dir.resolve("assignments.csv"));
    for (String id : consented) {
      assertThat(assignments).doesNotContain(id);
    }
  }

  @Test
  void aSpecCanLetKMeansChooseKAndMeasureStability(@TempDir Path dir) throws IOException {
    JsonNode report = runTelcoVariant(dir, "  k: 5\n",
        "  chooseK: {min: 2, max: 6, by: silhouette}\n  stability: 1\n");

    assertThat(report.at("/segmentation/algorithm").asText())
        .isEqualTo("k-means, k chosen by silhouette");
    int chosen = report.at("/segmentation/details/chosenK").asInt();
    assertThat(chosen).isBetween(2, 6).isEqualTo(report.at("/segmentation/segments").asInt());
    assertThat(report.at("/segmentation/details/silhouetteByK").size()).isEqualTo(5);
    assertThat(report.at("/segmentation/stability").asDouble()).isBetween(-1.0, 1.0);
  }

  @Test
  void aSpecCanSetKMeansToleranceAndTurnOffTheBoundsWithTheSameSegments(@TempDir Path dir)
      throws IOException {
    Files.createDirectories(dir.resolve("bounded"));
    Files.createDirectories(dir.resolve("plain"));
    JsonNode bounded = runTelcoVariant(dir.resolve("bounded"), "  k: 5\n",
        "  k: 5\n  tolerance: 0\n");
    JsonNode plain = runTelcoVariant(dir.resolve("plain"), "  k: 5\n",
        "  k: 5\n  tolerance: 0\n  accelerated: false\n");

    assertThat(bounded.at("/segmentation/parameters/acceleration").asText())
        .isEqualTo("Hamerly bounds");
    assertThat(plain.at("/segmentation/parameters/acceleration").asText()).isEqualTo("none");
    assertThat(plain.at("/segmentation/parameters/tolerance").asDouble()).isZero();
    // Pseudonyms differ between runs (ephemeral key); the segments, row by row, must not.
    assertThat(segmentColumn(dir.resolve("plain/out/assignments.csv")))
        .isEqualTo(segmentColumn(dir.resolve("bounded/out/assignments.csv")));
  }

  private static List<String> segmentColumn(Path assignments) throws IOException {
    return Files.readAllLines(assignments).stream()
        .map(line -> line.substring(line.lastIndexOf(',') + 1)).toList();
  }

  @Test
  void aSegmentationOptionTheAlgorithmDoesNotUseIsAnError(@TempDir Path dir) throws IOException {
    Path spec = dir.resolve("gmm.yaml");
    Files.writeString(spec, Files.readString(TELCO_SPEC)
        .replace("  algorithm: kmeans\n", "  algorithm: gmm\n  miniBatch: 256\n"));

    Result r = run("run", spec.toString(), "--out", dir.resolve("out").toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo(
        "privseg: spec: segmentation.miniBatch does not apply to algorithm 'gmm' (only to kmeans)");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aGeneralizationOptionUnderMicroaggregationIsNamedInTheError(@TempDir Path dir)
      throws IOException {
    Path spec = dir.resolve("mdav.yaml");
    // The telco spec's anonymize stage, its hierarchies swapped for MDAV's quasi-identifiers;
    // suppressionLimit, metric and populationSize stay behind.
    Files.writeString(spec, Files.readString(TELCO_SPEC).replace(
        "  hierarchies:\n    tenure: {intervals: [3, 6, 12, 24]}\n",
        "  method: mdav\n  quasiIdentifiers: [tenure]\n").replace("telco-consented-subjects.txt",
            Path.of("specs/telco-consented-subjects.txt").toAbsolutePath().toString()));

    Result r = run("run", spec.toString(), "--out", dir.resolve("out").toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("privseg: spec: anonymize.mdav takes quasiIdentifiers "
        + "and models only; suppressionLimit, metric, populationSize are for "
        + "generalization");
  }

  @Test
  void aPrivacyModelOptionThatWouldBeIgnoredOrWeakenedIsAnError(@TempDir Path dir)
      throws IOException {
    String models = "    - {type: k-anonymity, k: 25}\n";
    assertThat(Files.readString(TELCO_SPEC)).contains(models);
    Map<String, String> cases = Map.of(
        "    - {type: k-anonymity, k: 25, l: 3}\n",
        "privseg: spec models.yaml: anonymize model k-anonymity takes [k], not 'l' "
            + "(anonymize.models[0].l)",
        "    - {type: l-diversity, field: tenure, l: 2.5}\n",
        "privseg: spec: distinct l-diversity needs a whole number l but was 2.5",
        "    - {type: l-diversity, field: tenure, l: 2, c: 3}\n",
        "privseg: spec: only recursive l-diversity takes c, not distinct");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Path spec = dir.resolve("models.yaml");
      Files.writeString(spec, Files.readString(TELCO_SPEC).replace(models, c.getKey())
          .replace("telco-consented-subjects.txt",
              Path.of("specs/telco-consented-subjects.txt").toAbsolutePath().toString()));

      Result r = run("run", spec.toString(), "--out", dir.resolve("out").toString());

      assertThat(r.exitCode()).as(c.getKey()).isEqualTo(1);
      assertThat(r.err().strip()).isEqualTo(c.getValue());
    }
    Path unknown = dir.resolve("unknown-model.yaml");
    Files.writeString(unknown, Files.readString(TELCO_SPEC).replace(models,
        "    - {type: k-anonymity, k: 25}\n    - {type: l-closeness, t: 0.2}\n"));
    Result r = run("run", unknown.toString(), "--out", dir.resolve("out").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err().strip()).startsWith("privseg: spec unknown-model.yaml: "
        + "'anonymize.models[1].type' must be one of [k-anonymity, l-diversity, t-closeness]");
  }

  @Test
  void aSpecCanReadItsInputFromADatabaseWithTheSameOutcomeAsFromTheFile(@TempDir Path dir)
      throws Exception {
    org.h2.jdbcx.JdbcDataSource crm = new org.h2.jdbcx.JdbcDataSource();
    String url = "jdbc:h2:file:" + dir.resolve("crm").toAbsolutePath();
    crm.setURL(url);
    crm.setUser("sa");
    Path spec = runFromDatabase(dir, crm, url, "sa");

    Result withFile = run("run", spec.toString(), "--out", dir.resolve("x").toString(),
        "--input", SharedData.file("telco_churn.csv").toString());
    assertThat(withFile.exitCode()).isEqualTo(1);
    assertThat(withFile.err().strip())
        .isEqualTo("privseg: --input names a file; this spec reads a database");
    Files.writeString(spec, Files.readString(spec).replace("FROM telco", "FROM no_such_table"));
    Result badQuery = run("run", spec.toString(), "--out", dir.resolve("y").toString());
    assertThat(badQuery.exitCode()).isEqualTo(1);
    assertThat(badQuery.err()).startsWith("privseg: spec: input.query failed: ")
        .contains("NO_SUCH_TABLE");
  }

  @Test
  void aSpecCanReadItsInputFromPostgresql(@TempDir Path dir) throws Exception {
    TestPostgres.Schema schema = TestPostgres.freshSchema("privseg_cli_");
    org.postgresql.ds.PGSimpleDataSource crm = new org.postgresql.ds.PGSimpleDataSource();
    crm.setURL(schema.server());
    crm.setCurrentSchema(schema.name());
    runFromDatabase(dir, crm, schema.url(), null);
  }

  /**
   * Loads the telco data into table {@code telco} of {@code crm}, runs the telco spec reading it
   * from {@code url}, checks the outcome is that of the file, and returns the spec.
   */
  private static Path runFromDatabase(Path dir, javax.sql.DataSource crm, String url,
      String user) throws Exception {
    Dataset telco;
    try (dev.privseg.spec.Spec loader = dev.privseg.spec.Spec.load(TELCO_SPEC, Map.of())) {
      telco = CsvReader.defaults().read(SharedData.file("telco_churn.csv"), loader.schema());
    }
    CrmDatabaseExample.createTable(crm, "telco", telco);
    String csvInput = "input:\n  path: ../../../shared/data/telco_churn.csv\n  format: csv\n"
        + "  delimiter: \",\"\n  lenient: false\n";
    String jdbcInput = "input:\n  format: jdbc\n  url: \"" + url + "\"\n"
        + (user == null ? "" : "  user: " + user + "\n")
        + "  query: SELECT * FROM telco ORDER BY customer_id\n";
    Files.createDirectories(dir.resolve("db"));

    JsonNode fromDb = runTelcoVariant(dir.resolve("db"), csvInput, jdbcInput, false);

    assertThat(fromDb.at("/counts/inputRows").asInt()).isEqualTo(7043);
    assertThat(fromDb.at("/counts/processedRows").asInt()).isEqualTo(6189);
    assertThat(fromDb.at("/segmentation/segments").asInt()).isEqualTo(5);
    return dir.resolve("db/variant.yaml");
  }

  @Test
  void aSpecCanSegmentByRulesOnTheRealData(@TempDir Path dir) throws IOException {
    Result r = runTelcoVariantCli(dir, "  algorithm: kmeans\n  k: 5\n",
        "  algorithm: rules\n  rules:\n"
            + "    - {name: fibre month-to-month, when: \"internet_service = 'Fiber optic' and "
            + "contract = 'Month-to-month'\"}\n"
            + "    - {name: high spenders, when: \"monthly_charges >= 90\"}\n"
            + "  otherwise: everyone else\n", true);
    JsonNode report = new ObjectMapper().readTree(dir.resolve("out/report.json").toFile());

    // The summary names each segment and does not speak of iterations (rules assign in one
    // pass); the CSVs name the segments too.
    assertThat(r.out()).contains("  segment 0 (fibre month-to-month): ")
        .contains("  segment 2 (everyone else): ").doesNotContain("iteration")
        .containsPattern("segments:   3 by rule-based segments, first match wins, "
            + "silhouette -?[0-9.]+\n");
    assertThat(report.at("/segmentation/iterations").asInt()).isZero();
    List<String> assignments = Files.readAllLines(dir.resolve("out/assignments.csv"));
    assertThat(assignments.get(0)).isEqualTo("pseudonym,segment,segment_name");
    assertThat(assignments).anyMatch(line -> line.endsWith(",1,high spenders"));
    assertThat(Files.readString(dir.resolve("out/profiles.csv")))
        .startsWith("segment,segment_name,size,feature,statistic,value\n")
        .contains("\n2,everyone else,");

    assertThat(report.at("/segmentation/segments").asInt()).isEqualTo(3);
    assertThat(report.at("/segmentation/details/segmentNames/0").asText())
        .isEqualTo("fibre month-to-month");
    int total = 0;
    for (JsonNode size : report.at("/segmentation/segmentSizes")) {
      total += size.asInt();
    }
    // Every subject the anonymize stage released is in exactly one segment.
    assertThat(total).isEqualTo(6189 - report.at("/anonymization/rowsSuppressed").asInt());
  }

  @Test
  void aSpecCanFitAGaussianMixtureChoosingKByBic(@TempDir Path dir) throws IOException {
    JsonNode report = runTelcoVariant(dir, "  algorithm: kmeans\n  k: 5\n",
        "  algorithm: gmm\n  chooseK: {min: 2, max: 5}\n");

    assertThat(report.at("/segmentation/algorithm").asText()).contains("Gaussian mixture");
    assertThat(report.at("/segmentation/details/bicByK").size()).isEqualTo(4);
    assertThat(report.at("/segmentation/details/chosenK").asInt())
        .isEqualTo(report.at("/segmentation/segments").asInt());
  }

  @Test
  void aSpecCanRunKPrototypesOnMixedFields(@TempDir Path dir) throws IOException {
    JsonNode report = runTelcoVariant(dir, "  algorithm: kmeans\n",
        "  algorithm: kprototypes\n");

    assertThat(report.at("/segmentation/algorithm").asText()).isEqualTo("k-prototypes");
    assertThat(report.at("/segmentation/segments").asInt()).isEqualTo(5);
    assertThat(report.at("/counts/processedRows").asInt()).isEqualTo(6189);

    JsonNode weighted = runTelcoVariant(dir, "  algorithm: kmeans\n",
        "  algorithm: kprototypes\n  gamma: 1.5\n");
    assertThat(weighted.at("/segmentation/parameters/gamma").asDouble()).isEqualTo(1.5);
    assertThat(report.at("/segmentation/parameters/gamma").asDouble()).isEqualTo(0.5);
    Path spec = dir.resolve("gamma.yaml");
    Files.writeString(spec, Files.readString(TELCO_SPEC).replace("  algorithm: kmeans\n",
        "  algorithm: kmeans\n  gamma: 1\n"));
    assertThat(run("run", spec.toString(), "--out", dir.toString(), "--input",
        SharedData.file("telco_churn.csv").toString()).err())
        .contains("segmentation.gamma does not apply to algorithm 'kmeans' (only to kprototypes)");
  }

  @Test
  void aSpecCanMicroaggregateOrPartitionNumericQuasiIdentifiers(@TempDir Path dir)
      throws IOException {
    String block = "anonymize:\n  hierarchies:\n    tenure: {intervals: [3, 6, 12, 24]}\n"
        + "  models:\n    - {type: k-anonymity, k: 25}\n  suppressionLimit: 0.01\n"
        + "  metric: LOSS\n  measureImpact: true      # how much generalizing tenure changed "
        + "the segments (in the report)\n  populationSize: 100000";
    for (String method : List.of("mdav", "mondrian")) {
      Path sub = dir.resolve(method);
      Files.createDirectories(sub);
      Result r = runTelcoVariantCli(sub, block, "anonymize:\n  method: " + method
          + "\n  quasiIdentifiers: [tenure]\n  models:\n    - {type: k-anonymity, k: 25}\n"
          + "    - {type: l-diversity, field: contract, l: 2}\n", true);
      JsonNode report = new ObjectMapper().readTree(sub.resolve("out/report.json").toFile());

      // No generalization levels to speak of: the summary line ends at the suppressed rows.
      assertThat(r.out()).contains("by " + report.at("/anonymization/method").asText()
          + "; 0 rows suppressed\n");

      assertThat(report.at("/anonymization/method").asText()).containsIgnoringCase(
          method.equals("mdav") ? "MDAV" : "Mondrian");
      assertThat(report.at("/anonymization/summary/achieved/k").asInt())
          .isGreaterThanOrEqualTo(25);
      assertThat(report.at("/anonymization/parameters/models").toString())
          .isEqualTo("[\"25-anonymity\",\"distinct-2-diversity of 'contract'\"]");
      assertThat(report.at("/guarantees").toString())
          .contains("distinct-2-diversity of 'contract' holds for every released row");
      assertThat(report.at("/anonymization/rowsSuppressed").asInt()).isZero();
      assertThat(report.at("/release/assignments").asInt()).isEqualTo(6189);
    }
  }

  static final String DP_SEGMENTATION = "segmentation:\n  algorithm: dpkmeans\n  k: 4\n"
      + "  seed: 3\n  epsilon: 1\n  bounds: {tenure: [0, 72], monthly_charges: [0, 120], "
      + "total_charges: [0, 9000]}\n\nrelease:\n  minSegmentSize: 50\n"
      + "  differentialPrivacy:\n    epsilon: 1\n    bounds: {tenure: [0, 72], monthly_charges: [0, 120], "
      + "total_charges: [0, 9000]}\n    quartiles: 50\n\nprivacyBudget:\n  epsilon: ";

  /**
   * The telco spec from its anonymize section to the end of its release section: a DP variant
   * replaces all of it, since DP profiles cannot follow an anonymize stage.
   */
  static String anonymizeToRelease() throws IOException {
    String spec = Files.readString(TELCO_SPEC);
    String end = "  minSegmentSize: 25\n";
    return spec.substring(spec.indexOf("# Tenure is a quasi-identifier"),
        spec.indexOf(end) + end.length());
  }

  @Test
  void aSpecCanSegmentAndReleaseUnderDifferentialPrivacy(@TempDir Path dir) throws IOException {
    // Two releases spend from the budget: the centres and the profiles.
    JsonNode report = runTelcoVariant(dir, anonymizeToRelease(), DP_SEGMENTATION + "2\n");

    assertThat(report.at("/segmentation/algorithm").asText())
        .isEqualTo("differentially private k-means (DPLloyd)");
    assertThat(report.at("/release/privacy/epsilon").asText()).isEqualTo("1");
    assertThat(report.at("/release/privacy/spentEpsilon").asText()).isEqualTo("2");
    assertThat(report.at("/release/privacy/profilesEpsilon").asText()).isEqualTo("2");
    assertThat(report.at("/release/profileMechanism").asText()).startsWith(
        "differentially private");
  }

  @Test
  void privacyParametersMayBeFractionsAndABadOneIsNamedWhereItIs(@TempDir Path dir)
      throws IOException {
    String original = "segmentation:\n  algorithm: kmeans\n  k: 5\n  seed: 42\n\nrelease:\n"
        + "  minSegmentSize: 25\n";
    JsonNode report = runTelcoVariant(dir, anonymizeToRelease(),
        DP_SEGMENTATION.replace("    epsilon: 1\n", "    epsilon: 1/2\n") + "3/2\n");
    // The profiles' epsilon, and the whole budget spent: 1 (centres) + 1/2.
    assertThat(report.at("/release/privacy/epsilon").asText()).isEqualTo("1/2");
    assertThat(report.at("/release/privacy/spentEpsilon").asText()).isEqualTo("3/2");

    Path spec = dir.resolve("bad-epsilon.yaml");
    Files.writeString(spec, Files.readString(TELCO_SPEC).replace(original,
        DP_SEGMENTATION + "two\n"));
    Result r = run("run", spec.toString(), "--out", dir.resolve("bad").toString(), "--input",
        SharedData.file("telco_churn.csv").toString());
    assertThat(r.err().strip()).isEqualTo("privseg: spec: privacyBudget.epsilon: privacy "
        + "parameter must be a decimal (0.5, 1e-6) or a fraction (1/2), in ASCII digits: at "
        + "most 40 digits and an exponent within -30 to 30");
  }

  @Test
  void aDifferentiallyPrivateSpecWithAnAnonymizeStageIsRefusedSayingWhy(@TempDir Path dir)
      throws IOException {
    Path spec = dir.resolve("dp-after-anonymize.yaml");
    Files.writeString(spec, Files.readString(TELCO_SPEC)
        .replace("segmentation:\n  algorithm: kmeans\n  k: 5\n  seed: 42\n\nrelease:\n"
            + "  minSegmentSize: 25\n", DP_SEGMENTATION + "2\n")
        .replace("telco-consented-subjects.txt",
            Path.of("specs/telco-consented-subjects.txt").toAbsolutePath().toString()));

    Result r = run("run", spec.toString(), "--out", dir.resolve("out").toString(), "--input",
        SharedData.file("telco_churn.csv").toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("privseg: differentially private profiles cannot follow an "
        + "anonymize stage");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aSpecWhoseReleasesWouldOverspendTheBudgetFails(@TempDir Path dir) throws IOException {
    Path data = SharedData.file("telco_churn.csv");
    Path spec = dir.resolve("overspend.yaml");
    Files.writeString(spec, Files.readString(TELCO_SPEC)
        .replace(anonymizeToRelease(), DP_SEGMENTATION + "1.5\n")
        .replace("telco-consented-subjects.txt",
            Path.of("specs/telco-consented-subjects.txt").toAbsolutePath().toString()));

    Result r = run("run", spec.toString(), "--out", dir.resolve("out").toString(), "--input",
        data.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("privseg: ").contains("budget");
    assertThat(dir.resolve("out/assignments.csv")).doesNotExist();
  }

  @Test
  void aSpecWhoseModelsCannotBeMetFailsNamingTheCriterion(@TempDir Path dir) throws IOException {
    Path data = SharedData.file("telco_churn.csv");
    Path spec = dir.resolve("strict.yaml");
    Files.writeString(spec, Files.readString(TELCO_SPEC)
        .replace("{type: k-anonymity, k: 25}", "{type: k-anonymity, k: 100000}")
        .replace("telco-consented-subjects.txt",
            Path.of("specs/telco-consented-subjects.txt").toAbsolutePath().toString()));

    Result r = run("run", spec.toString(), "--out", dir.resolve("out").toString(), "--input",
        data.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("privseg: no generalization of [tenure] meets "
        + "100000-anonymity with at most 1.00% of rows suppressed");
    assertThat(dir.resolve("out/assignments.csv")).doesNotExist();
  }

  @Test
  void badSpecExitsWithOneLineAndNoStackTrace(@TempDir Path dir) throws IOException {
    Path spec = dir.resolve("bad.yaml");
    Files.writeString(spec, Files.readString(TELCO_SPEC).replace("k: 5", "k: 1")
        .replace("../../../shared/data/telco_churn.csv", "missing.csv"));

    Result r = run("run", spec.toString(), "--out", dir.resolve("out").toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("privseg: clusters must be >= 2 but was 1");
    assertThat(r.err()).doesNotContain("at dev.privseg");
  }

  @Test
  void verboseAddsTheStackTrace(@TempDir Path dir) throws IOException {
    Path spec = dir.resolve("bad.yaml");
    Files.writeString(spec, "input: {path: x.csv}\nunknown: 1\n");

    Result r = run("run", spec.toString(), "--out", dir.toString(), "--verbose");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("privseg: spec bad.yaml: unknown option 'unknown'; a spec "
        + "takes [").contains("at dev.privseg");
  }

  @Test
  void aSpreadsheetExportInWindows1252ReadsWithInputEncoding(@TempDir Path dir)
      throws IOException {
    StringBuilder csv = new StringBuilder("id,spend,city\n");
    StringBuilder allowed = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      csv.append("C").append(i).append(',').append(i % 3 * 100 + i % 7).append(",M\u00fcnchen\n");
      allowed.append("C").append(i).append('\n');
    }
    Files.writeString(dir.resolve("export.csv"), csv, java.nio.charset.Charset.forName(
        "windows-1252"));
    Files.writeString(dir.resolve("allowed.txt"), allowed);
    String spec = """
        input: {path: export.csv ENCODING}
        schema:
          subjectId: id
          fields:
            - {name: id, type: IDENTIFIER, role: DIRECT_IDENTIFIER}
            - {name: spend, type: NUMERIC, role: OTHER}
        purpose: {id: marketing-segmentation, description: Offers, lawfulBasis: CONSENT}
        lawfulBasis: {allowedSubjects: allowed.txt}
        minimize: {keep: [spend]}
        pseudonymize: {field: id, key: {ephemeral: true}}
        segmentation: {algorithm: kmeans, k: 3, seed: 1}
        release: {minSegmentSize: 10}
        """;
    Path file = dir.resolve("spec.yaml");
    String out = dir.resolve("out").toString();

    Files.writeString(file, spec.replace(" ENCODING", ""));
    Result utf8 = run("run", file.toString(), "--out", out);
    assertThat(utf8.exitCode()).isEqualTo(1);
    assertThat(utf8.err()).startsWith("privseg: the CSV input is not valid UTF-8 text; read it "
        + "with the character set it was written in").doesNotContain("Exception");

    Files.writeString(file, spec.replace(" ENCODING", ", encoding: windows-1252"));
    Result read = run("run", file.toString(), "--out", out);
    assertThat(read.exitCode()).as(read.err()).isZero();
    assertThat(read.out()).contains("processed:  300 subjects");

    Files.writeString(file, spec.replace(" ENCODING", ", encoding: latin-9x"));
    assertThat(run("run", file.toString(), "--out", out + "-2").err().strip()).isEqualTo(
        "privseg: spec: input.encoding 'latin-9x' is not a character set this Java knows (for "
            + "example UTF-8, windows-1252, ISO-8859-1)");
  }

  @Test
  void aMistypedOrMisplacedOptionIsNamedWithWhatIsAllowedThere(@TempDir Path dir)
      throws IOException {
    Path spec = dir.resolve("bad.yaml");
    Files.writeString(spec, "input: {path: x.csv}\nlawfulBasis: {allowAll: true}\n");
    assertThat(run("run", spec.toString(), "--out", dir.toString()).err().strip()).isEqualTo(
        "privseg: spec bad.yaml: unknown option 'lawfulBasis.allowAll'; 'lawfulBasis' takes "
            + "[allowedSubjects, ledger]");

    Files.writeString(spec, "input: {path: x.csv}\nsegmentation: {algorithm: kmeans, k: four}\n");
    assertThat(run("run", spec.toString(), "--out", dir.toString()).err().strip()).isEqualTo(
        "privseg: spec bad.yaml: 'segmentation.k' must be a whole number (line 2, column 38)");

    Files.writeString(spec, "input: {path: x.csv}\nminimize: {keep: spend}\n");
    assertThat(run("run", spec.toString(), "--out", dir.toString()).err().strip()).isEqualTo(
        "privseg: spec bad.yaml: 'minimize.keep' must be a list (line 2, column 18)");

    Files.writeString(spec, "");
    assertThat(run("run", spec.toString(), "--out", dir.toString()).err().strip()).isEqualTo(
        "privseg: spec bad.yaml is empty");
    Files.writeString(spec, "- input\n");
    assertThat(run("run", spec.toString(), "--out", dir.toString()).err().strip()).isEqualTo(
        "privseg: spec bad.yaml: '(top level)' must be a mapping of options (key: value) "
            + "(line 1, column 1)");
  }

  @Test
  void missingInputFileIsNamedInOneLine(@TempDir Path dir) throws IOException {
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec, Files.readString(TELCO_SPEC)
        .replace("../../../shared/data/telco_churn.csv", "nowhere.csv")
        .replace("telco-consented-subjects.txt",
            Path.of("specs/telco-consented-subjects.txt").toAbsolutePath().toString()));

    Result r = run("run", spec.toString(), "--out", dir.resolve("out").toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err().strip()).startsWith("privseg: no such file: ").endsWith("nowhere.csv");
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(run().exitCode()).isEqualTo(2);
    assertThat(run("demo").exitCode()).isEqualTo(2);
    assertThat(run("demo", "--out", "x", "--customers", "many").exitCode()).isEqualTo(2);
    assertThat(run("--help").exitCode()).isZero();
  }
}
