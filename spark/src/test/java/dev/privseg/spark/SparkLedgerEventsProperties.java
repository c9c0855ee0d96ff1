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
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.PurposeId;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import dev.privseg.core.gate.BasisDecision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The gate decided from the consent ledger's events, folded per subject on the executors, lets
 * through the rows the snapshot made on the driver lets through, with the same explicit consent
 * and the same counts by decision, and reads no event recorded after the run started; events that
 * are not the ledger's (a copy that lags behind, a table without its columns, a ledger keyed
 * through a directory) are refused as such.
 */
class SparkLedgerEventsProperties {
  private static final Instant DAY0 = Instant.parse("2025-01-01T00:00:00Z");
  /** The event table's columns as H2 names them, and one the gate does not read. */
  static final StructType TABLE = new StructType().add("SEQ", DataTypes.LongType, false)
      .add("SUBJECT_HIGH", DataTypes.LongType, false)
      .add("SUBJECT_LOW", DataTypes.LongType, false)
      .add("PURPOSE", DataTypes.StringType, false)
      .add("EVENT_TYPE", DataTypes.StringType, false)
      .add("OCCURRED_AT", DataTypes.LongType, false)
      .add("NOTICE_VERSION", DataTypes.StringType, false)
      .add("HASH", DataTypes.StringType, false);

  /** The ledger's events as rows of its table. */
  static Dataset<Row> events(ConsentLedger ledger, int partitions) {
    List<Row> rows = new ArrayList<>();
    ledger.scan(e -> rows.add(RowFactory.create(e.sequence(), e.subject().high(),
        e.subject().low(), e.purpose().value(), e.type().name(), e.occurredAt().toEpochMilli(),
        e.noticeVersion(), e.hash())));
    return LocalSpark.session().createDataFrame(rows, TABLE).repartition(partitions);
  }

  /** Up to four events per subject, for the purpose, for all purposes, or for another. */
  static void append(ConsentLedger ledger, SubjectKeyer keyer, int subjects,
      SplittableRandom random) {
    List<EventDraft> drafts = new ArrayList<>();
    EventType[] types = EventType.values();
    for (int s = 0; s < subjects; s++) {
      for (int e = random.nextInt(5); e > 0; e--) {
        EventType type = random.nextInt(3) == 0 ? EventType.EXPLICIT_CONSENT_GIVEN
            : types[random.nextInt(types.length)];
        PurposeId purpose = switch (random.nextInt(8)) {
          case 0 -> type.givesConsent() ? Purposes.MARKETING_SEGMENTATION.id()
              : ConsentEvent.ALL_PURPOSES;
          case 1 -> PurposeId.of("another-purpose");
          default -> Purposes.MARKETING_SEGMENTATION.id();
        };
        drafts.add(new EventDraft(keyer.key(SubjectId.of("S" + s)), purpose, type,
            DAY0.plusSeconds(86_400L * 10 * random.nextInt(30)), EventSource.API,
            "v" + random.nextInt(3), "web", ""));
      }
    }
    if (!drafts.isEmpty()) {
      ledger.appendAll(drafts);
    }
  }

  static ConsentGate gate(ConsentLedger ledger) {
    return ConsentGate.of(ledger, List.of(ConsentPolicy.forPurpose(
        Purposes.MARKETING_SEGMENTATION).consentExpiresAfter(Period.ofDays(200))
        .minimumNoticeVersion("v1").build()));
  }

  @Property(tries = 8)
  void theFoldedEventsAdmitWhatTheSnapshotAdmits(
      @ForAll @IntRange(min = 1, max = 200) int subjects, @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int partitions) throws Exception {
    SparkGateProperties.LedgerKey key = SparkGateProperties.LedgerKey.in(
        Files.createTempDirectory("privseg-events"));
    SplittableRandom random = new SplittableRandom(seed);
    ConsentLedger ledger = ConsentLedger.inMemory(key.keyer());
    append(ledger, key.keyer(), subjects, random);
    ConsentGate gate = gate(ledger);
    Instant at = DAY0.plusSeconds(86_400L * 250);
    Dataset<Row> accepted = SparkInput.acceptedInOrder(new SparkInput(SparkGateProperties.SCHEMA)
        .tagged(LocalSpark.session().createDataFrame(SparkGateProperties.rows(subjects, seed),
            SparkGateProperties.STRUCT).coalesce(partitions)), SparkGateProperties.SCHEMA.names());

    SparkGate fromSnapshot = new SparkGate(gate.snapshot(Purposes.MARKETING_SEGMENTATION, at),
        key.reference());
    SparkGate fromEvents = new SparkGate(gate.fold(Purposes.MARKETING_SEGMENTATION, at),
        LedgerEvents.checked(events(ledger, partitions)), null, null, key.reference());
    append(ledger, key.keyer(), subjects, random); // recorded after the run started

    assertSameDecisions(fromSnapshot, fromEvents, accepted, null);
  }

  /**
   * Both gates admit the same rows with the same explicit consent and exclude the same counts
   * (the local gate's mistake, in its words, when nobody is admitted); the snapshot excludes
   * some for {@code excluded} unless it is null.
   */
  private static void assertSameDecisions(SparkGate fromSnapshot, SparkGate fromEvents,
      Dataset<Row> accepted, BasisDecision excluded) {
    SparkGate.Gated expected;
    try {
      expected = fromSnapshot.run(accepted, "id", true);
    } catch (dev.privseg.core.gate.NoSubjectAllowedException e) {
      assertThatThrownBy(() -> fromEvents.run(accepted, "id", true))
          .isInstanceOf(dev.privseg.core.gate.NoSubjectAllowedException.class)
          .hasMessage(e.getMessage());
      return;
    }
    try (SparkGate.Gated gated = expected;
        SparkGate.Gated folded = fromEvents.run(accepted, "id", true)) {
      if (excluded != null) {
        assertThat(gated.excluded()).containsKey(excluded);
      }
      assertThat(folded.excluded()).isEqualTo(gated.excluded());
      assertThat(folded.rows()).isEqualTo(gated.rows());
      assertThat(admitted(folded)).isEqualTo(admitted(gated));
    }
  }

  /** The admitted rows' ids and explicit consent, in input order. */
  private static List<List<Object>> admitted(SparkGate.Gated gated) {
    return gated.admitted().sort(SparkInput.ORDER).collectAsList().stream()
        .map(r -> List.<Object>of(r.getString(0), r.getBoolean(r.length() - 1))).toList();
  }

  @Example
  void aCopyThatLagsBehindTheLedgerIsRefusedAsSuch() throws Exception {
    SparkGateProperties.LedgerKey key = SparkGateProperties.LedgerKey.in(
        Files.createTempDirectory("privseg-events"));
    ConsentLedger ledger = ConsentLedger.inMemory(key.keyer());
    append(ledger, key.keyer(), 30, new SplittableRandom(1));
    Dataset<Row> copy = events(ledger, 2).cache();
    copy.count();
    append(ledger, key.keyer(), 5, new SplittableRandom(2));
    Instant at = DAY0.plusSeconds(86_400L * 250);
    SparkGate gate = new SparkGate(gate(ledger).fold(Purposes.MARKETING_SEGMENTATION, at),
        LedgerEvents.checked(copy), null, null, key.reference());
    Dataset<Row> accepted = SparkInput.acceptedInOrder(new SparkInput(SparkGateProperties.SCHEMA)
        .tagged(LocalSpark.session().createDataFrame(SparkGateProperties.rows(30, 1),
            SparkGateProperties.STRUCT)), SparkGateProperties.SCHEMA.names());
    assertThatThrownBy(() -> gate.run(accepted, "id"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("the consent ledger's events given hold")
        .hasMessageContaining("but the ledger held " + String.format("%,d", ledger.size()))
        .hasMessageContaining("a copy that lags behind");
  }

  @Example
  void eventsWithoutTheTablesColumnsAreRefusedNamingTheColumn() {
    Dataset<Row> noNotice = LocalSpark.session().createDataFrame(List.of(),
        new StructType().add("seq", DataTypes.LongType).add("subject_high", DataTypes.LongType)
            .add("subject_low", DataTypes.LongType).add("purpose", DataTypes.StringType)
            .add("event_type", DataTypes.StringType).add("occurred_at", DataTypes.LongType));
    assertThatThrownBy(() -> LedgerEvents.checked(noNotice))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("the consent ledger's events have no column 'notice_version': give the "
            + "ledger's table, privseg_consent_event");
    Dataset<Row> textTimes = LocalSpark.session().createDataFrame(List.of(),
        new StructType().add("seq", DataTypes.LongType).add("subject_high", DataTypes.LongType)
            .add("subject_low", DataTypes.LongType).add("purpose", DataTypes.StringType)
            .add("event_type", DataTypes.StringType).add("occurred_at", DataTypes.StringType)
            .add("notice_version", DataTypes.StringType));
    assertThatThrownBy(() -> LedgerEvents.checked(textTimes))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("the consent ledger's events hold column 'occurred_at' as string, not "
            + "bigint: give the ledger's table, privseg_consent_event");
  }

  /** The directory's live entries and tombstones as rows of its tables, as H2 names them. */
  static List<Dataset<Row>> directoryTables(
      dev.privseg.consent.directory.SubjectDirectory directory) {
    List<Row> live = new ArrayList<>();
    directory.forEachLedgerKey((lookupHigh, lookupLow, ledgerHigh, ledgerLow) ->
        live.add(RowFactory.create(lookupHigh, lookupLow, ledgerHigh, ledgerLow, "p")));
    List<Row> erased = new ArrayList<>();
    directory.forEachErased(k -> erased.add(RowFactory.create(k.high(), k.low(), 0L)));
    return List.of(
        LocalSpark.session().createDataFrame(live, new StructType()
            .add("LOOKUP_HIGH", DataTypes.LongType).add("LOOKUP_LOW", DataTypes.LongType)
            .add("LEDGER_HIGH", DataTypes.LongType).add("LEDGER_LOW", DataTypes.LongType)
            .add("PSEUDONYM", DataTypes.StringType)).repartition(2),
        LocalSpark.session().createDataFrame(erased, new StructType()
            .add("LOOKUP_HIGH", DataTypes.LongType).add("LOOKUP_LOW", DataTypes.LongType)
            .add("ERASED_AT", DataTypes.LongType)));
  }

  @Property(tries = 6)
  void throughASubjectDirectoryTheFoldedEventsAdmitWhatTheSnapshotAdmits(
      @ForAll @IntRange(min = 1, max = 150) int subjects, @ForAll long seed) throws Exception {
    SparkGateProperties.LedgerKey key = SparkGateProperties.LedgerKey.in(
        Files.createTempDirectory("privseg-events"));
    SplittableRandom random = new SplittableRandom(seed);
    dev.privseg.consent.directory.InMemorySubjectDirectory directory =
        new dev.privseg.consent.directory.InMemorySubjectDirectory();
    ConsentLedger ledger = ConsentLedger.open(new dev.privseg.consent.store.InMemoryLedgerStore(),
        key.keyer(), directory);
    List<EventDraft> drafts = new ArrayList<>();
    EventType[] types = {EventType.CONSENT_GIVEN, EventType.CONSENT_WITHDRAWN,
        EventType.OBJECTION, EventType.EXPLICIT_CONSENT_GIVEN, EventType.RESTRICTION};
    for (int s = 0; s < subjects; s++) {
      for (int e = random.nextInt(4); e > 0; e--) {
        drafts.add(new EventDraft(ledger.keyOf(SubjectId.of("S" + s)),
            Purposes.MARKETING_SEGMENTATION.id(), types[random.nextInt(types.length)],
            DAY0.plusSeconds(86_400L * random.nextInt(200)), EventSource.API, "v2", "web", ""));
      }
    }
    if (!drafts.isEmpty()) {
      ledger.appendAll(drafts);
    }
    for (int s = 0; s < subjects; s += 1 + random.nextInt(6)) {
      ledger.erase(SubjectId.of("S" + s), DAY0.plusSeconds(86_400L * 10), "property");
    }
    ConsentGate gate = gate(ledger);
    Instant at = DAY0.plusSeconds(86_400L * 250);
    Dataset<Row> accepted = SparkInput.acceptedInOrder(new SparkInput(SparkGateProperties.SCHEMA)
        .tagged(LocalSpark.session().createDataFrame(SparkGateProperties.rows(subjects, seed),
            SparkGateProperties.STRUCT).coalesce(2)), SparkGateProperties.SCHEMA.names());
    List<Dataset<Row>> tables = directoryTables(directory);
    SparkGate fromSnapshot = new SparkGate(gate.snapshot(Purposes.MARKETING_SEGMENTATION, at),
        key.reference());
    SparkGate fromEvents = new SparkGate(gate.fold(Purposes.MARKETING_SEGMENTATION, at),
        LedgerEvents.checked(events(ledger, 3)), LedgerEvents.checkedDirectory(tables.get(0)),
        LedgerEvents.checkedErased(tables.get(1)), key.reference());

    assertSameDecisions(fromSnapshot, fromEvents, accepted, BasisDecision.ERASED);
  }

  @Example
  void aDirectoryMissingOrGivenInVainIsRefusedUpFront() throws Exception {
    SparkGateProperties.LedgerKey key = SparkGateProperties.LedgerKey.in(
        Files.createTempDirectory("privseg-events"));
    dev.privseg.consent.directory.InMemorySubjectDirectory directory =
        new dev.privseg.consent.directory.InMemorySubjectDirectory();
    ConsentLedger withDirectory = ConsentLedger.open(
        new dev.privseg.consent.store.InMemoryLedgerStore(), key.keyer(), directory);
    assertThatThrownBy(() -> new SparkGate(gate(withDirectory).fold(
        Purposes.MARKETING_SEGMENTATION, DAY0), LedgerEvents.checked(events(withDirectory, 1)),
        null, null, key.reference()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("the consent ledger keys its events through a subject "
            + "directory: give its tables too");
    ConsentLedger without = ConsentLedger.inMemory(key.keyer());
    List<Dataset<Row>> tables = directoryTables(directory);
    assertThatThrownBy(() -> new SparkGate(gate(without).fold(Purposes.MARKETING_SEGMENTATION,
        DAY0), LedgerEvents.checked(events(without, 1)), LedgerEvents.checkedDirectory(
            tables.get(0)), LedgerEvents.checkedErased(tables.get(1)), key.reference()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("the consent ledger keys its events by the subjects' lookup "
            + "keys and has no subject directory");
  }
}
