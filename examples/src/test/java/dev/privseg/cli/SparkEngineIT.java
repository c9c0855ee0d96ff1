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
    Path spec = spec();
    StringWriter localOut = new StringWriter();
    int local = PrivsegCli.execute(new String[] {"run", spec.toString(), "--out",
        dir.resolve("local").toString(), "--write-microdata"}, new PrintWriter(localOut),
        new PrintWriter(new StringWriter()), Map.of("PRIVSEG_KEY", KEY));
    assertThat(local).as(localOut.toString()).isZero();

    Exit spark = run(sparkSubmit("--class", "dev.privseg.cli.PrivsegCli", jar.toString(),
        "run", spec.toString(), "--engine", "spark", "--master", "local[2]", "--out",
        dir.resolve("spark").toString(), "--write-microdata"), Map.of("PRIVSEG_KEY", KEY));
    assertThat(spark.code()).as(spark.err()).isZero();
    String processed = localOut.toString().lines().filter(l -> l.startsWith("processed:"))
        .findFirst().orElseThrow();
    assertThat(spark.out()).contains(processed, "anonymized: 10-anonymity");

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
