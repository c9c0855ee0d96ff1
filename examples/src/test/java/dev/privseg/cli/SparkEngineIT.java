package dev.privseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI jar as users run it on Spark, each run a JVM of its own on Spark's own class path (the
 * spark module writes it: Spark, its Jackson, no privseg): {@code spark-submit} (Spark's
 * {@code SparkSubmit}, which its script starts) of {@code privseg run --engine spark} and of the
 * example program, and {@code bin/privseg}, which hands Spark runs to {@code spark-submit}. The
 * Spark engine's files are the local engine's, byte for byte, and its record the same but for
 * times and ids.
 */
class SparkEngineIT {
  private static final String KEY = Base64.getEncoder().encodeToString(random(32));
  private static Path dist;
  private static Path jar;
  private static String sparkClasspath;
  private static List<String> flags;

  @TempDir
  Path dir;

  @BeforeAll
  static void paths() throws IOException {
    dist = Path.of(System.getProperty("privseg.dist"));
    jar = dist.resolve("lib/privseg-cli.jar");
    Path classpath = Path.of(System.getProperty("privseg.spark.classpath"));
    assertThat(classpath).as("Spark's class path, which the spark module writes when packaged")
        .exists();
    sparkClasspath = Files.readString(classpath).strip();
    flags = Arrays.stream(System.getProperty("privseg.spark.jvm.flags").trim().split("\\s+"))
        .filter(f -> !f.isEmpty()).toList();
  }

  private static byte[] random(int bytes) {
    byte[] out = new byte[bytes];
    new SecureRandom().nextBytes(out);
    return out;
  }

  /** A spec over 3,000 customers (some rows bad, a seventh not consented) in {@code dir}. */
  private Path spec() throws IOException {
    SplittableRandom r = new SplittableRandom(7);
    StringBuilder csv = new StringBuilder("customer_id,age,region,spend,orders\n");
    StringBuilder consented = new StringBuilder();
    String[] regions = {"north", "south", "east", "west", "centre"};
    for (int i = 0; i < 3_000; i++) {
      String age = i % 50 == 0 ? "unknown" : Integer.toString(18 + r.nextInt(60));
      csv.append("C-").append(i).append(',').append(age).append(',')
          .append(regions[r.nextInt(regions.length)]).append(',')
          .append(String.format(java.util.Locale.ROOT, "%.2f", r.nextDouble() * 1_000))
          .append(',').append(r.nextInt(20)).append('\n');
      if (i % 7 != 0) {
        consented.append("C-").append(i).append('\n');
      }
    }
    Files.writeString(dir.resolve("customers.csv"), csv);
    Files.writeString(dir.resolve("consented.txt"), consented);
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec, """
        input: {path: customers.csv, format: csv, lenient: true}
        schema:
          subjectId: customer_id
          fields:
            - {name: customer_id, type: IDENTIFIER, role: DIRECT_IDENTIFIER}
            - {name: age, type: INTEGER, role: QUASI_IDENTIFIER}
            - {name: region, type: CATEGORICAL, role: QUASI_IDENTIFIER}
            - {name: spend, type: NUMERIC, role: OTHER}
            - {name: orders, type: INTEGER, role: OTHER}
        purpose:
          id: marketing-segmentation
          description: Grouping customers by spending to tailor offers
          lawfulBasis: CONSENT
        lawfulBasis: {allowedSubjects: consented.txt}
        minimize:
          keep: [age, region, spend, orders]
          coarsen: {spend: {topCode: 900}}
        pseudonymize: {field: customer_id, key: {env: PRIVSEG_KEY}}
        anonymize:
          hierarchies:
            age: {intervals: [5, 10, 20]}
            region: {flat: true}
          models: [{type: k-anonymity, k: 10}]
          suppressionLimit: 0.01
        segmentation: {algorithm: kmeans, k: 4, seed: 42}
        release: {minSegmentSize: 25}
        """);
    return spec;
  }

  /** What a process did. */
  record Exit(int code, String out, String err) {}

  private Exit run(List<String> command, Map<String, String> environment) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(environment);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Exit(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Spark's {@code spark-submit}, as its script starts it, with these arguments. */
  private List<String> sparkSubmit(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(flags);
    command.addAll(List.of("-cp", sparkClasspath, "org.apache.spark.deploy.SparkSubmit",
        "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.sql.shuffle.partitions=4"));
    command.addAll(List.of(args));
    return command;
  }

  @Test
  void aSpecRunsOnSparkAsOnTheLocalEngine() throws Exception {
    assertSameRunOnSpark(spec(), "anonymized: 10-anonymity");
  }

  /**
   * The example telco spec (examples/specs/telco-churn.yaml, over ../shared/data) with its key
   * in an environment variable, as the Spark engine needs: its anonymization's impact on the
   * segments measured on both engines.
   */
  @Test
  void theTelcoSpecRunsOnSparkAsOnTheLocalEngine() throws Exception {
    Path data = shared("telco_churn.csv");
    String telco = Files.readString(Path.of("specs/telco-churn.yaml"))
        .replace("path: ../../../shared/data/telco_churn.csv", "path: " + data)
        .replaceAll("key: \\{ephemeral: true\\}.*", "key: {env: PRIVSEG_KEY}");
    Files.copy(Path.of("specs/telco-consented-subjects.txt"),
        dir.resolve("telco-consented-subjects.txt"));
    Path spec = dir.resolve("telco.yaml");
    Files.writeString(spec, telco);
    assertSameRunOnSpark(spec, "anonymized: 25-anonymity");
  }

  /**
   * A spec that anonymizes with Mondrian under k-anonymity and l-diversity (its cuts made and
   * checked on the executors) writes the local engine's files on Spark.
   */
  @Test
  void aMondrianSpecRunsOnSparkAsOnTheLocalEngine() throws Exception {
    Path spec = spec();
    Files.writeString(spec, Files.readString(spec)
        .replace("keep: [age, region, spend, orders]", "keep: [age, spend, orders]")
        .replaceFirst("(?s)anonymize:.*?suppressionLimit: 0\\.01\n", "anonymize: {method: "
            + "mondrian, quasiIdentifiers: [age], models: [{type: k-anonymity, k: 10}, "
            + "{type: l-diversity, field: orders, l: 3}]}\n"));
    assertSameRunOnSpark(spec,
        "anonymized: 10-anonymity, distinct-3-diversity of 'orders' by Mondrian");
  }

  /**
   * Adult (../shared/data/arx-adult) with an id per row, its eight quasi-identifiers generalized
   * with ARX's hierarchy files to 10-anonymity and 2-diversity of occupation, then segmented.
   */
  @Test
  void theAdultSpecRunsOnSparkAsOnTheLocalEngine() throws Exception {
    Path adult = shared("arx-adult/adult.csv");
    List<String> lines = Files.readAllLines(adult);
    StringBuilder csv = new StringBuilder("id;").append(lines.get(0)).append('\n');
    StringBuilder consented = new StringBuilder();
    for (int r = 1; r < lines.size(); r++) {
      csv.append("A-").append(r).append(';').append(lines.get(r)).append('\n');
      if (r % 10 != 3) {
        consented.append("A-").append(r).append('\n');
      }
    }
    Files.writeString(dir.resolve("adult.csv"), csv);
    Files.writeString(dir.resolve("consented.txt"), consented);
    List<String> qis = List.of("sex", "age", "race", "marital-status", "education",
        "native-country", "workclass", "salary-class");
    StringBuilder spec = new StringBuilder("""
        input: {path: adult.csv, format: csv, delimiter: ";"}
        schema:
          subjectId: id
          fields:
            - {name: id, type: IDENTIFIER, role: DIRECT_IDENTIFIER}
            - {name: occupation, type: CATEGORICAL, role: SENSITIVE}
        """);
    for (String q : qis) {
      spec.append("    - {name: ").append(q)
          .append(", type: CATEGORICAL, role: QUASI_IDENTIFIER}\n");
    }
    spec.append("""
        purpose:
          id: marketing-segmentation
          description: Grouping people by their generalized profile
          lawfulBasis: CONSENT
        lawfulBasis: {allowedSubjects: consented.txt}
        pseudonymize: {field: id, key: {env: PRIVSEG_KEY}}
        minimize:
          keep: [occupation, %s]
        anonymize:
          models: [{type: k-anonymity, k: 10}, {type: l-diversity, field: occupation, l: 2}]
          suppressionLimit: 0.01
          hierarchies:
        """.formatted(String.join(", ", qis)));
    for (String q : qis) {
      spec.append("    ").append(q).append(": {csv: ")
          .append(adult.resolveSibling("adult_hierarchy_" + q + ".csv"))
          .append(", delimiter: \";\"}\n");
    }
    spec.append("""
        segmentation: {algorithm: kmeans, k: 6, seed: 11}
        release: {minSegmentSize: 50}
        """);
    Path file = dir.resolve("adult.yaml");
    Files.writeString(file, spec);
    assertSameRunOnSpark(file, "anonymized: 10-anonymity");
  }

  /** A spec over 1,000,000 generated customers. */
  @Test
  void aMillionGeneratedCustomersRunOnSparkAsOnTheLocalEngine() throws Exception {
    Path spec = spec();
    SplittableRandom r = new SplittableRandom(11);
    String[] regions = {"north", "south", "east", "west", "centre"};
    try (var out = Files.newBufferedWriter(dir.resolve("customers.csv"))) {
      out.write("customer_id,age,region,spend,orders\n");
      for (int i = 0; i < 1_000_000; i++) {
        int group = r.nextInt(4);
        out.write("C-" + i + "," + (20 + 12 * group + r.nextInt(12)) + ","
            + regions[r.nextInt(regions.length)] + ","
            + String.format(java.util.Locale.ROOT, "%.2f", group * 200 + r.nextDouble() * 250)
            + "," + (group * 4 + r.nextInt(5)) + "\n");
      }
    }
    StringBuilder consented = new StringBuilder();
    for (int i = 0; i < 1_000_000; i++) {
      if (i % 9 != 0) {
        consented.append("C-").append(i).append('\n');
      }
    }
    Files.writeString(dir.resolve("consented.txt"), consented);
    assertSameRunOnSpark(spec, "anonymized: 10-anonymity");
  }

  private static Path shared(String name) {
    Path p = Path.of(System.getProperty("privseg.shared.data", "../../shared/data"), name)
        .toAbsolutePath().normalize();
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(p),
        "skipped: ../shared/data/" + name + " is absent");
    return p;
  }

  /**
   * Runs {@code spec} with the local engine in this JVM and with the Spark engine under
   * spark-submit, and compares: the same files byte for byte, the same record but for times.
   */
  /** What the last run on Spark of {@link #assertSameRunOnSpark} printed. */
  private String lastSparkOut;

  private void assertSameRunOnSpark(Path spec, String anonymized) throws Exception {
    String local = dir.resolve("local").toString();
    StringWriter localOut = new StringWriter();
    StringWriter localErr = new StringWriter();
    int exit = PrivsegCli.execute(new String[] {"run", spec.toString(), "--out", local,
        "--write-microdata"}, new PrintWriter(localOut), new PrintWriter(localErr),
        Map.of("PRIVSEG_KEY", KEY));
    assertThat(exit).as(localErr.toString()).isZero();

    Exit spark = run(sparkSubmit("--class", "dev.privseg.cli.PrivsegCli", jar.toString(),
        "run", spec.toString(), "--engine", "spark", "--master", "local[2]", "--out",
        dir.resolve("spark").toString(), "--write-microdata"), Map.of("PRIVSEG_KEY", KEY));
    assertThat(spark.code()).as(spark.err()).isZero();
    lastSparkOut = spark.out();
    String processed = localOut.toString().lines().filter(l -> l.startsWith("processed:"))
        .findFirst().orElseThrow();
    assertThat(spark.out()).contains(processed, anonymized);

    for (String file : List.of("assignments.csv", "profiles.csv", "microdata.csv")) {
      assertThat(dir.resolve("spark").resolve(file)).as(file)
          .hasSameBinaryContentAs(dir.resolve("local").resolve(file));
    }
    assertThat(comparable(dir.resolve("spark/report.json")))
        .isEqualTo(comparable(dir.resolve("local/report.json")));
  }

  /** A record without what differs between any two runs: ids, times, the search's time. */
  private static JsonNode comparable(Path report) throws IOException {
    ObjectNode json = (ObjectNode) new ObjectMapper().readTree(report.toFile());
    String at = json.get("basisEvaluatedAt").asText();
    json.remove(List.of("runId", "startedAt", "basisEvaluatedAt", "stageMillis"));
    ((ObjectNode) json.get("anonymization").get("summary")).remove("searchMillis");
    var guarantees = (com.fasterxml.jackson.databind.node.ArrayNode) json.get("guarantees");
    for (int i = 0; i < guarantees.size(); i++) {
      guarantees.set(i, TextNode.valueOf(guarantees.get(i).asText().replace(at, "<at>")));
    }
    return json;
  }

  /**
   * With the consent ledger in PostgreSQL, {@code --engine spark} has the executors read its
   * tables over JDBC and fold them per subject: the same subjects are excluded, for the same
   * reasons (a withdrawal, an erasure, no record), and the run's files are the local run's.
   */
  @Test
  void aLedgerInPostgresqlIsReadAndDecidedOnTheExecutors() throws Exception {
    String url = TestPostgres.freshSchema("privseg_spark_").url();
    Path spec = ledgerSpec(url);

    assertSameRunOnSpark(spec, "decided on the executors from the ledger's tables");
    JsonNode counts = new ObjectMapper().readTree(dir.resolve("spark/report.json").toFile())
        .get("counts").get("excludedByGate");
    assertThat(counts.get("ERASED").asLong()).isEqualTo(1);
    assertThat(counts.get("CONSENT_WITHDRAWN").asLong()).isPositive();
    assertThat(counts.get("NO_BASIS").asLong()).isPositive();
  }

  /**
   * With the subject directory's pseudonyms, a run on Spark gives the local run's pseudonyms
   * (joined from the directory's table on the executors) and registers its memberships, written
   * by the executors: each of its subjects then lists one membership from each run.
   */
  @Test
  void directoryPseudonymsAreTheLocalRunsAndTheirMembershipsAreRegistered() throws Exception {
    String url = TestPostgres.freshSchema("privseg_spark_").url();
    Path spec = ledgerSpec(url);
    Files.writeString(spec, Files.readString(spec).replace("key: {env: PRIVSEG_KEY}",
        "key: {directory: true}"));

    assertSameRunOnSpark(spec, "decided on the executors from the ledger's tables");
    List<String> assignments = Files.readAllLines(dir.resolve("spark/assignments.csv"));
    long members = assignments.size() - 1;
    assertThat(lastSparkOut).contains(String.format(java.util.Locale.ROOT,
        "runs:       registered %,d segment memberships (written by the executors, each once)",
        members));
    String[] first = assignments.get(1).split(",");
    try (var db = dev.privseg.consent.store.jdbc.ConsentDatabase.postgresExisting(url, null)) {
      assertThat(db.memberships().memberships(first[0]))
          .extracting(dev.privseg.consent.rights.SegmentMembership::segment)
          .containsExactly(Integer.parseInt(first[1]), Integer.parseInt(first[1]));
    }
  }

  /**
   * The spec with its consent ledger in PostgreSQL at {@code url}: consents imported for most
   * customers, some withdrawn, one customer erased.
   */
  private Path ledgerSpec(String url) throws Exception {
    Path spec = spec();
    StringBuilder consents = new StringBuilder("subject_id,purpose,event,occurred_at,source,"
        + "notice_version,actor,proof_reference\n");
    for (int i = 0; i < 3_000; i++) {
      if (i % 7 != 0) {
        consents.append("C-").append(i).append(",marketing-segmentation,CONSENT_GIVEN,")
            .append("2026-01-01T00:00:00Z,WEB_FORM,notice-1,signup,form-").append(i)
            .append('\n');
      }
      if (i % 13 == 1) {
        consents.append("C-").append(i).append(",marketing-segmentation,CONSENT_WITHDRAWN,")
            .append("2026-02-01T00:00:00Z,WEB_FORM,notice-1,preferences,\n");
      }
    }
    Files.writeString(dir.resolve("consents.csv"), consents);
    Map<String, String> environment = Map.of("PRIVSEG_KEY", KEY);
    StringWriter err = new StringWriter();
    assertThat(PrivsegCli.execute(new String[] {"consent", "import",
        dir.resolve("consents.csv").toString(), "--jdbc", url}, new PrintWriter(new StringWriter()),
        new PrintWriter(err), environment)).as(err.toString()).isZero();
    assertThat(PrivsegCli.execute(new String[] {"subject", "erase", "C-2", "--jdbc", url,
        "--actor", "dpo"}, new PrintWriter(new StringWriter()), new PrintWriter(err),
        environment)).as(err.toString()).isZero();
    Files.writeString(spec, Files.readString(spec).replace(
        "lawfulBasis: {allowedSubjects: consented.txt}", "lawfulBasis: {ledger: {jdbc: '" + url
            + "'}}"));
    return spec;
  }

  /**
   * A differentially private spec (DP k-means and DP profiles, half of a budget of 1 each) runs
   * under spark-submit and spends its budget there; under a budget of 3/4 the same spec is
   * refused at the profiles' spend, and no output is written.
   */
  @Test
  void aDifferentiallyPrivateSpecSpendsItsBudgetOnSpark() throws Exception {
    Path spec = spec();
    String dp = Files.readString(spec)
        .replaceFirst("(?s)anonymize:.*?suppressionLimit: 0\\.01\n", "")
        .replace("age, region, spend, orders", "spend, orders")
        .replace("segmentation: {algorithm: kmeans, k: 4, seed: 42}", "segmentation: "
            + "{algorithm: dpkmeans, k: 3, seed: 42, epsilon: 1/2, bounds: {spend: [0, 900], "
            + "orders: [0, 20]}}")
        .replace("release: {minSegmentSize: 25}", "release: {minSegmentSize: 25, "
            + "differentialPrivacy: {epsilon: 1/2, bounds: {spend: [0, 900], orders: [0, 20]}}}"
            + "\nprivacyBudget: {epsilon: 1}");
    Files.writeString(spec, dp);
    Exit paid = run(sparkSubmit("--class", "dev.privseg.cli.PrivsegCli", jar.toString(), "run",
        spec.toString(), "--engine", "spark", "--master", "local[2]", "--out",
        dir.resolve("paid").toString()), Map.of("PRIVSEG_KEY", KEY));
    assertThat(paid.code()).as(paid.err()).isZero();
    JsonNode release = new ObjectMapper().readTree(dir.resolve("paid/report.json").toFile())
        .get("release");
    assertThat(release.get("profileMechanism").asText()).startsWith("differentially private");
    assertThat(release.get("privacy").get("spentEpsilon").asText()).isEqualTo("1");

    Files.writeString(spec, dp.replace("privacyBudget: {epsilon: 1}",
        "privacyBudget: {epsilon: 3/4}"));
    Exit refused = run(sparkSubmit("--class", "dev.privseg.cli.PrivsegCli", jar.toString(),
        "run", spec.toString(), "--engine", "spark", "--master", "local[2]", "--out",
        dir.resolve("refused").toString()), Map.of("PRIVSEG_KEY", KEY));
    assertThat(refused.code()).isNotZero();
    assertThat(refused.err()).contains("budget");
    assertThat(dir.resolve("refused")).doesNotExist();
  }

  @Test
  void theExampleRunsUnderSparkSubmit() throws Exception {
    Exit example = run(sparkSubmit("--master", "local[2]", "--class",
        "dev.privseg.examples.SparkSegmentationExample", jar.toString(), "5000"), Map.of());
    assertThat(example.code()).as(example.err()).isZero();
    assertThat(example.out()).contains("5,000 customers read, 500 excluded without consent, "
        + "4,500 segmented", "anonymized: levels");
  }

  @Test
  void binPrivsegHandsSparkRunsToSparkSubmit() throws Exception {
    Path spec = spec();
    String privseg = dist.resolve("bin/privseg").toString();
    Exit without = run(List.of(privseg, "run", spec.toString(), "--engine", "spark", "--out",
        dir.resolve("none").toString()), Map.of("SPARK_HOME", ""));
    assertThat(without.code()).isEqualTo(1);
    assertThat(without.err()).contains("--engine spark needs SPARK_HOME");
    assertThat(dir.resolve("none")).doesNotExist();

    // A Spark installation's bin/spark-submit comes down to this line (through spark-class).
    Path home = dir.resolve("spark-home");
    Files.createDirectories(home.resolve("bin"));
    Path submit = home.resolve("bin/spark-submit");
    StringBuilder line = new StringBuilder("#!/bin/sh\nexec");
    for (String part : sparkSubmit()) {
      line.append(" '").append(part).append('\'');
    }
    Files.writeString(submit, line.append(" \"$@\"\n"));
    submit.toFile().setExecutable(true);
    Exit with = run(List.of(privseg, "run", spec.toString(), "--engine=spark", "--master",
        "local[2]", "--out", dir.resolve("spark").toString()),
        Map.of("SPARK_HOME", home.toString(), "PRIVSEG_KEY", KEY));
    assertThat(with.code()).as(with.err()).isZero();
    assertThat(dir.resolve("spark/report.json")).exists();
  }

  @Test
  void theJarWithoutSparkSaysWhatItNeeds() throws Exception {
    Path spec = spec();
    Exit exit = run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString(), "run", spec.toString(), "--engine", "spark", "--out",
        dir.resolve("out").toString()), Map.of("PRIVSEG_KEY", KEY));
    assertThat(exit.code()).isEqualTo(1);
    assertThat(exit.err()).startsWith("privseg: --engine spark needs Spark 4.0 or 3.5 (Scala "
        + "2.13): set SPARK_HOME for bin/privseg, or run the privseg jar with spark-submit");
  }
}
