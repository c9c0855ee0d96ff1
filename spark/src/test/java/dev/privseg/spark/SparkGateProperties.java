package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.core.PurposeId;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.gate.BasisDecision;
import dev.privseg.core.gate.BasisDecisions;
import dev.privseg.core.gate.NoSubjectAllowedException;
import dev.privseg.core.gate.RunGate;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pseudonymize.KeyException;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.KMeans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consent ledger's gate decided on Spark lets through exactly the rows the local run's gate
 * lets through, in input order, and counts the others by the same decisions: subjects with every
 * kind of history, subjects the ledger never heard of, rows without an id, over several
 * partitions. A wrong key and a run nobody may enter are reported as those mistakes.
 */
class SparkGateProperties {
  static final Schema SCHEMA = Schema.builder().subjectId("id")
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER).build();
  static final StructType STRUCT = new StructType().add("id", DataTypes.StringType)
      .add("spend", DataTypes.DoubleType);
  private static final Instant DAY0 = Instant.parse("2025-01-01T00:00:00Z");

  /** A ledger key, in a file the executors read it from. */
  record LedgerKey(SubjectKeyer keyer, ExecutorKey reference) {
    static LedgerKey in(Path dir) throws Exception {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Path file = dir.resolve("ledger.key");
      Files.writeString(file, Base64.getEncoder().encodeToString(key));
      return new LedgerKey(SubjectKeyer.from(KeyProvider.of(new SecretKeySpec(key,
          "HmacSHA256"), "ledger/v1")), ExecutorKey.file(file.toString(), "ledger/v1"));
    }
  }

  static ConsentGate gate(SubjectKeyer keyer, int subjects, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    ConsentLedger ledger = ConsentLedger.inMemory(keyer);
    List<EventDraft> drafts = new ArrayList<>();
    EventType[] types = EventType.values();
    for (int s = 0; s < subjects; s++) {
      for (int e = random.nextInt(4); e > 0; e--) {
        EventType type = random.nextInt(3) == 0 ? EventType.CONSENT_GIVEN
            : types[random.nextInt(types.length)];
        PurposeId purpose = random.nextInt(8) == 0 && !type.givesConsent()
            ? ConsentEvent.ALL_PURPOSES : Purposes.MARKETING_SEGMENTATION.id();
        drafts.add(new EventDraft(keyer.key(SubjectId.of("S" + s)), purpose, type,
            DAY0.plusSeconds(86_400L * random.nextInt(300)), EventSource.API, "", "web", ""));
      }
    }
    if (!drafts.isEmpty()) {
      ledger.appendAll(drafts);
    }
    return ConsentGate.of(ledger, List.of(ConsentPolicy.forPurpose(
        Purposes.MARKETING_SEGMENTATION).consentExpiresAfter(Period.ofDays(200)).build()));
  }

  static List<Row> rows(int subjects, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < subjects + 20; i++) {
      // One row per subject (a run refuses two): every known subject, some unknown ones, and
      // rows with a blank id or none, in a shuffled order.
      String id = i < subjects ? "S" + i : random.nextBoolean() ? "X" + i
          : random.nextBoolean() ? " " : null;
      rows.add(RowFactory.create(id, random.nextDouble()));
    }
    java.util.Collections.shuffle(rows, new java.util.Random(seed));
    return rows;
  }

  @Property(tries = 10)
  void sparkAdmitsTheRowsTheLocalGateAdmitsInInputOrder(
      @ForAll @IntRange(min = 1, max = 300) int subjects, @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int partitions) throws Exception {
    Path dir = Files.createTempDirectory("privseg-gate");
    LedgerKey key = LedgerKey.in(dir);
    ConsentGate gate = gate(key.keyer(), subjects, seed);
    Instant at = DAY0.plusSeconds(86_400L * 250);
    List<Row> rows = rows(subjects, seed);

    RunGate local = gate.forRun(Purposes.MARKETING_SEGMENTATION, at);
    // The subject field is required: a row without an id is rejected when read, on both.
    String[] ids = rows.stream().map(r -> r.getString(0)).filter(java.util.Objects::nonNull)
        .toArray(String[]::new);
    BasisDecisions decisions = new BasisDecisions(ids.length);
    local.decideAll(StringColumn.of(SCHEMA.field("id"), ids), decisions);
    List<String> expected = new ArrayList<>();
    Map<BasisDecision, Long> excluded = new EnumMap<>(BasisDecision.class);
    for (int r = 0; r < ids.length; r++) {
      if (decisions.get(r).isAllowed()) {
        expected.add(ids[r]);
      } else {
        excluded.merge(decisions.get(r), 1L, Long::sum);
      }
    }

    SparkInput read = new SparkInput(SCHEMA);
    Dataset<Row> accepted = SparkInput.acceptedInOrder(read.tagged(LocalSpark.session()
        .createDataFrame(rows, STRUCT).coalesce(partitions)), SCHEMA.names());
    SparkGate spark = new SparkGate(gate.snapshot(Purposes.MARKETING_SEGMENTATION, at),
        key.reference());
    if (expected.isEmpty()) {
      assertThatThrownBy(() -> spark.run(accepted, "id"))
          .isInstanceOf(NoSubjectAllowedException.class);
      return;
    }
    SparkGate.Gated gated = spark.run(accepted, "id");
    assertThat(gated.excluded()).isEqualTo(excluded);
    assertThat(gated.rows()).isEqualTo(ids.length);
    // Admitted in no particular order (a join), each with its place in the input.
    assertThat(gated.admitted().sort(SparkInput.ORDER).collectAsList().stream()
        .map(r -> r.getString(0)).toList()).isEqualTo(expected);
    gated.close();
  }

  @Test
  void aRunNobodyMayEnterIsReportedInTheLocalRunsWords(@TempDir Path dir) throws Exception {
    LedgerKey key = LedgerKey.in(dir);
    ConsentGate gate = gate(key.keyer(), 0, 1); // an empty ledger: nobody has consented
    Instant at = DAY0;
    List<Row> rows = List.of(RowFactory.create("A", 1.0), RowFactory.create("B", 2.0),
        RowFactory.create(" ", 3.0));
    RuntimeException mistake = localMistake(gate, rows, at);
    assertThat(mistake).isInstanceOf(NoSubjectAllowedException.class);
    String local = mistake.getMessage();
    Dataset<Row> accepted = SparkInput.acceptedInOrder(new SparkInput(SCHEMA).tagged(
        LocalSpark.session().createDataFrame(rows, STRUCT)), SCHEMA.names());
    assertThatThrownBy(() -> new SparkGate(gate.snapshot(Purposes.MARKETING_SEGMENTATION, at),
        key.reference()).run(accepted, "id"))
        .isInstanceOf(NoSubjectAllowedException.class).hasMessage(local);
  }

  @Test
  void aGateAskedOnTheExecutorsThatAllowsNobodyIsReportedInTheLocalRunsWords() {
    dev.privseg.core.gate.LawfulBasisGate gate =
        dev.privseg.core.gate.LawfulBasisGate.allowList(List.of("Z"));
    List<Row> rows = List.of(RowFactory.create("A", 1.0), RowFactory.create("B", 2.0));
    String local = localMistake(gate, rows, DAY0).getMessage();
    Dataset<Row> accepted = SparkInput.acceptedInOrder(new SparkInput(SCHEMA).tagged(
        LocalSpark.session().createDataFrame(rows, STRUCT)), SCHEMA.names());
    assertThatThrownBy(() -> SparkGate.shipped(gate.forRun(Purposes.MARKETING_SEGMENTATION,
        DAY0), Purposes.MARKETING_SEGMENTATION, gate.description()).run(accepted, "id"))
        .isInstanceOf(NoSubjectAllowedException.class).hasMessage(local);
  }

  @Test
  void twoAdmittedRowsOfOneSubjectAreRefusedInTheLocalRunsWords(@TempDir Path dir)
      throws Exception {
    LedgerKey key = LedgerKey.in(dir);
    ConsentLedger ledger = ConsentLedger.inMemory(key.keyer());
    List<EventDraft> drafts = new ArrayList<>();
    for (String id : List.of("A", "B", "C")) {
      drafts.add(new EventDraft(key.keyer().key(SubjectId.of(id)),
          Purposes.MARKETING_SEGMENTATION.id(), EventType.CONSENT_GIVEN, DAY0, EventSource.API,
          "", "web", ""));
    }
    ledger.appendAll(drafts);
    ConsentGate gate = ConsentGate.of(ledger, List.of(ConsentPolicy.forPurpose(
        Purposes.MARKETING_SEGMENTATION).build()));
    // X is not allowed; B repeats first (rows 3 and 5), C later (rows 4 and 6).
    List<Row> rows = new ArrayList<>();
    for (String id : List.of("A", "X", "B", "C", "B", "C", "X")) {
      rows.add(RowFactory.create(id, 1.0));
    }
    Instant at = DAY0.plusSeconds(86_400);
    String local = localMistake(gate, rows, at).getMessage();
    assertThat(local).startsWith("rows 3 and 5 have the same subject id");
    Dataset<Row> accepted = SparkInput.acceptedInOrder(new SparkInput(SCHEMA).tagged(
        LocalSpark.session().createDataFrame(rows, STRUCT).coalesce(2)), SCHEMA.names());
    assertThatThrownBy(() -> new SparkGate(gate.snapshot(Purposes.MARKETING_SEGMENTATION, at),
        key.reference()).run(accepted, "id"))
        .isInstanceOf(dev.privseg.core.ConfigurationException.class).hasMessage(local);
  }

  /**
   * The duplicate check groups ids by a hash first and confirms in input order: with every id
   * in one bucket (all collide), in two, or by the real hash, it refuses exactly the first
   * repeat, in the local run's words, and lets distinct ids through.
   */
  @Property(tries = 12)
  void theDuplicateCheckFindsTheFirstRepeatWhateverTheHashesCollide(
      @ForAll @IntRange(min = 1, max = 12) int size, @ForAll @IntRange(min = 2, max = 30)
      int alphabet, @ForAll @IntRange(min = 0, max = 2) int bucketing, @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    String expected = null;
    for (int r = 0; r < size; r++) {
      String id = "s" + random.nextInt(alphabet);
      if (expected == null && ids.contains(id)) {
        expected = "rows " + (ids.indexOf(id) + 1) + " and " + (r + 1) + " have the same "
            + "subject id in field 'id'";
      }
      ids.add(id);
      rows.add(RowFactory.create(id, 1.0));
    }
    Dataset<Row> accepted = SparkInput.acceptedInOrder(new SparkInput(SCHEMA).tagged(
        LocalSpark.session().createDataFrame(rows, STRUCT).coalesce(2)), SCHEMA.names());
    org.apache.spark.sql.Column bucket = switch (bucketing) {
      case 0 -> org.apache.spark.sql.functions.lit(0);
      case 1 -> org.apache.spark.sql.functions.pmod(
          org.apache.spark.sql.functions.hash(org.apache.spark.sql.functions.col("id")),
          org.apache.spark.sql.functions.lit(2));
      default -> org.apache.spark.sql.functions.xxhash64(org.apache.spark.sql.functions.col("id"));
    };
    if (expected == null) {
      SparkGate.checkOneRowPerSubject(accepted, accepted, "id", bucket);
    } else {
      assertThatThrownBy(() -> SparkGate.checkOneRowPerSubject(accepted, accepted, "id", bucket))
          .isInstanceOf(dev.privseg.core.ConfigurationException.class)
          .hasMessageStartingWith(expected);
    }
  }

  /** The mistake the local engine reports for a run of {@code rows} through {@code gate}. */
  private static RuntimeException localMistake(dev.privseg.core.gate.LawfulBasisGate gate,
      List<Row> rows, Instant at) {
    DatasetBuilder b = dev.privseg.core.dataset.Dataset.builder(SCHEMA);
    rows.forEach(r -> b.addRow(s -> {
      s.setObject(0, r.get(0));
      s.setObject(1, r.get(1));
    }));
    try {
      Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION).lawfulBasis(gate)
          .minimize(m -> m.keep("spend"))
          .pseudonymize("id", Pseudonymizer.hmacSha256(KeyProvider.ephemeral()))
          .segmentWith(KMeans.clusters(2)).build()
          .run(b.build(), RunOptions.defaults().at(at));
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("the local run went through");
  }

  @Test
  void executorsWithAnotherLedgerKeyStopTheRunSayingSo(@TempDir Path dir) throws Exception {
    LedgerKey key = LedgerKey.in(dir);
    LedgerKey other = LedgerKey.in(Files.createDirectories(dir.resolve("other")));
    ConsentGate gate = gate(key.keyer(), 20, 3);
    Dataset<Row> accepted = SparkInput.acceptedInOrder(new SparkInput(SCHEMA).tagged(
        LocalSpark.session().createDataFrame(rows(20, 3), STRUCT)), SCHEMA.names());
    assertThatThrownBy(() -> new SparkGate(gate.snapshot(Purposes.MARKETING_SEGMENTATION,
        DAY0.plusSeconds(86_400L * 100)), other.reference()).run(accepted, "id"))
        .isInstanceOf(KeyException.class)
        .hasMessage("the key the executors open for the consent ledger (ledger/v1) is not the "
            + "ledger's key: its subject keys would match no decision; give every executor "
            + "the ledger's key");
    assertThatThrownBy(() -> new SparkGate(gate.snapshot(Purposes.MARKETING_SEGMENTATION,
        DAY0), ExecutorKey.environment("PRIVSEG_KEY")).run(accepted, "id"))
        .isInstanceOf(dev.privseg.core.ConfigurationException.class)
        .hasMessageContaining("the consent ledger keys subjects with ledger/v1");
  }
}
